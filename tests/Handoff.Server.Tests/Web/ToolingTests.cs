using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Web;

/// <summary>
/// What operators and tools (grpcurl, grpc_health_probe, load balancers) rely on. Health answers anyone; reflection is
/// served in Development, or wherever Handoff:Server:Reflection turns it on.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ToolingTests(ServerFixture fixture)
{
    private static readonly string[] HandoffServices =
    [
        "handoff.v1.ContactService", "handoff.v1.HandoffService", "handoff.v1.IngestService",
        "handoff.v1.NotificationService", "handoff.v1.OutreachService",
    ];

    [Fact]
    public async Task The_health_service_answers_SERVING()
    {
        var health = new Health.HealthClient(fixture.Host.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Streams.Patience);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Server_reflection_is_off_by_default_outside_Development()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Host.Invoker);
        using var call = reflection.ServerReflectionInfo(fixture.Host.Credentials.Headers("t-1"), DateTime.UtcNow + Streams.Patience);

        // The server answers at once, before anything is sent: no such service here.
        await RpcAssert.FailsAsync(StatusCode.Unimplemented, () => call.ResponseStream.NextAsync());
    }

    [Theory]
    [InlineData("Handoff:Server:Reflection=true")]
    [InlineData("environment=Development")]
    public async Task Server_reflection_lists_the_five_handoff_services_to_a_caller_without_a_token(string setting)
    {
        await using var host = await ServerHost.StartAsync(null, setting);

        var services = await ReflectAsync(host, new ServerReflectionRequest { ListServices = "" });

        var names = services.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Superset(HandoffServices.ToHashSet(), names.ToHashSet());
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Server_reflection_serves_the_proto_files_so_tools_can_build_requests()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Server:Reflection=true");

        var response = await ReflectAsync(host, new ServerReflectionRequest { FileContainingSymbol = "handoff.v1.ContactService" });

        var files = response.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => FileDescriptorProto.Parser.ParseFrom(bytes))
            .ToList();
        var contactFile = Assert.Single(files, f => f.Name == "handoff/v1/contact_service.proto");
        Assert.Equal("handoff.v1", contactFile.Package);
        Assert.Contains("GetContact", contactFile.Service.Single().Method.Select(m => m.Name));
    }

    private static async Task<ServerReflectionResponse> ReflectAsync(ServerHost host, ServerReflectionRequest request)
    {
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel);
        using var call = reflection.ServerReflectionInfo(deadline: DateTime.UtcNow + Streams.Patience);
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseStream.NextAsync();
        Assert.Null(response.ErrorResponse);
        await call.ResponseStream.EndsAsync();
        return response;
    }
}
