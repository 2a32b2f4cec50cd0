using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Validation;

/// <summary>
/// A request body that is not exactly one well-formed gRPC message, or is larger than the server reads, is answered as
/// every other bad request: INVALID_ARGUMENT (MALFORMED_REQUEST) or RESOURCE_EXHAUSTED, with a correlation id. grpc-dotnet
/// answers these itself before any interceptor runs (INTERNAL or UNKNOWN, no details); the fuzz run found them
/// (Security/FuzzTests). The client library frames correctly, so the framing cases are sent as raw HTTP/2.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MisframedRequestTests(ServerFixture fixture)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_unary_method_called_with_no_message_or_two_is_INVALID_ARGUMENT_with_a_correlation_id(int messages)
    {
        var tenant = ServerFixture.NewTenant();
        var request = new GetContactRequest { TenantId = tenant, ContactId = "c-1" }.ToByteArray();

        var e = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => AsStreamAsync(ContactService.Descriptor.FindMethodByName("GetContact"), tenant, Enumerable.Repeat(request, messages)));

        AssertRich(e.GetRpcStatus(), Code.InvalidArgument, "MALFORMED_REQUEST");
    }

    [Fact]
    public async Task A_watch_called_with_two_request_messages_is_INVALID_ARGUMENT_with_a_correlation_id()
    {
        var tenant = ServerFixture.NewTenant();
        var request = new WatchNotificationsRequest { TenantId = tenant, Inbox = TestTenant.UnassignedInbox }.ToByteArray();

        var e = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => AsStreamAsync(NotificationService.Descriptor.FindMethodByName("WatchNotifications"), tenant, [request, request]));

        AssertRich(e.GetRpcStatus(), Code.InvalidArgument, "MALFORMED_REQUEST");
    }

    [Fact]
    public async Task A_request_past_the_size_limit_is_RESOURCE_EXHAUSTED_with_a_correlation_id()
    {
        var tenant = ServerFixture.NewTenant();
        var request = new QueueMessageRequest
        {
            TenantId = tenant, ContactId = "c-1", Source = MessageSource.Manual, Channel = Channel.Email, Body = new string('b', 4 * 1024 * 1024),
        };
        var e = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => fixture.Host.Outreach.QueueMessageAsync(request).ResponseAsync);

        AssertRich(e.GetRpcStatus(), Code.ResourceExhausted, "REQUEST_TOO_LARGE");
    }

    /// <param name="frames">The request body, in hex: a one-byte flag, a four-byte length, the message.</param>
    [Theory]
    [InlineData("0000000005 0a01", "a message shorter than its header says")]
    [InlineData("0100000000", "a compressed message without grpc-encoding")]
    [InlineData("0200000000", "a flag that is neither 0 nor 1")]
    [InlineData("FFFFFFFFFF", "a length past 2 GiB")]
    public async Task A_unary_body_with_a_broken_message_header_is_INVALID_ARGUMENT_with_a_correlation_id(string frames, string what)
    {
        var tenant = ServerFixture.NewTenant();

        var status = await RawAsync("/handoff.v1.ContactService/GetContact", tenant, Convert.FromHexString(frames.Replace(" ", "", StringComparison.Ordinal)));

        Assert.True(status is not null, $"{what}: no rich status");
        AssertRich(status, Code.InvalidArgument, "MALFORMED_REQUEST");
    }

    [Fact]
    public async Task An_ingest_stream_cut_off_inside_a_message_is_INVALID_ARGUMENT_with_a_correlation_id()
    {
        var tenant = ServerFixture.NewTenant();
        var batch = new IngestEventsRequest { TenantId = tenant, BatchId = "b-1" }.ToByteArray();
        byte[] body = [0, .. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(batch.Length)), .. batch, 0, 0, 0, 0, 9, 0x0a];

        var status = await RawAsync("/handoff.v1.IngestService/IngestEvents", tenant, body);

        AssertRich(status, Code.InvalidArgument, "MALFORMED_REQUEST");
    }

    private static void AssertRich(Google.Rpc.Status? status, Code code, string reason)
    {
        Assert.True(status is not null, "The answer carries no google.rpc.Status.");
        Assert.Equal(code, (Code)status.Code);
        Assert.Equal(reason, status.GetDetail<ErrorInfo>()?.Reason);
        Assert.False(string.IsNullOrEmpty(status.GetDetail<RequestInfo>()?.RequestId), $"No correlation id: {status}");
    }

    /// <summary>Calls <paramref name="rpc"/> as a bidirectional stream, so that it can send any number of messages.</summary>
    private async Task AsStreamAsync(Google.Protobuf.Reflection.MethodDescriptor rpc, string tenant, IEnumerable<byte[]> requests)
    {
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, rpc.Service.FullName, rpc.Name, Bytes, Bytes);
        using var call = fixture.Host.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null,
            new CallOptions(fixture.Host.Credentials.Headers(tenant), DateTime.UtcNow + Streams.Patience));
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }
    }

    /// <summary>Posts <paramref name="body"/> as it is over HTTP/2; the google.rpc.Status of the answer (headers or trailers).</summary>
    private async Task<Google.Rpc.Status?> RawAsync(string path, string tenant, byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Host.GrpcAddress, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Host.Credentials.Token(tenant));
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var details = response.TrailingHeaders.TryGetValues("grpc-status-details-bin", out var trailing) ? trailing
            : response.Headers.TryGetValues("grpc-status-details-bin", out var leading) ? leading : null;
        return details?.FirstOrDefault() is { } value ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(value)) : null;
    }
}
