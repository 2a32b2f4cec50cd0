using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Web;

/// <summary>
/// The browser's way in: gRPC-Web over HTTP/1.1 on the gRPC-Web endpoint, with CORS for the allowed origins and the
/// gRPC status headers exposed to scripts.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class GrpcWebTests(ServerFixture fixture) : IDisposable
{
    private const string AllowedOrigin = "http://localhost:5173";
    private const string GetContactPath = "/handoff.v1.ContactService/GetContact";

    private readonly HttpClient http = new() { BaseAddress = fixture.Host.GrpcWebAddress, Timeout = Streams.Patience };

    public void Dispose() => http.Dispose();

    [Theory]
    [InlineData(GrpcWebMode.GrpcWebText)]
    [InlineData(GrpcWebMode.GrpcWeb)]
    public async Task GetContact_answers_over_grpc_web_on_HTTP_1_1(GrpcWebMode mode)
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", owner: "alice", displayName: "Brandon Lee");
        using var web = WebChannel(mode, out var versions);

        var contact = (await new ContactService.ContactServiceClient(Authorized(web)).GetContactAsync(
            new GetContactRequest { TenantId = tenant.Id, ContactId = "c-1" })).Contact;

        Assert.Equal(("c-1", "Brandon Lee", "alice"), (contact.ContactId, contact.DisplayName, contact.OwnerUserId));
        Assert.Equal((LifecycleStage.Sql, PipelinePhase.Win), (contact.Stage, contact.Phase));
        Assert.Equal([HttpVersion.Version11], versions.Distinct());
    }

    [Fact]
    public async Task Errors_reach_the_browser_with_their_status_and_the_offending_field()
    {
        using var web = WebChannel(GrpcWebMode.GrpcWebText, out _);
        var client = new ContactService.ContactServiceClient(Authorized(web));

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => client.GetContactAsync(
            new GetContactRequest { TenantId = ServerFixture.NewTenant(), ContactId = "nobody" }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("contact_id", () => client.GetContactAsync(
            new GetContactRequest { TenantId = ServerFixture.NewTenant() }).ResponseAsync);
    }

    [Fact]
    public async Task The_notification_stream_and_its_changes_work_over_grpc_web_text()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        using var web = WebChannel(GrpcWebMode.GrpcWebText, out _);
        using var watch = new NotificationService.NotificationServiceClient(Authorized(web)).WatchNotifications(
            new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = TestTenant.UserInbox("alice") });

        Assert.Equal("c-1", (await watch.ResponseStream.NextAsync()).Notification.ContactId);
        await tenant.RaiseCardAsync("c-2", owner: "alice");
        Assert.Equal("c-2", (await watch.ResponseStream.NextAsync()).Notification.ContactId);

        // The browser's inbox shows a handoff resolved elsewhere without a reload.
        await tenant.ResumeAsync(raised);
        var (resolved, unread) = await watch.ResponseStream.NextChangeAsync(NotificationChangeKind.Resolved);
        Assert.Equal((1L, "c-1", true, 2), (resolved.NotificationSequence, resolved.Notification.ContactId, resolved.Notification.Resolved, unread));
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_allowed()
    {
        using var response = await http.SendAsync(Preflight(AllowedOrigin));

        Assert.True(response.IsSuccessStatusCode, $"Preflight answered {response.StatusCode}.");
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        var allowedHeaders = Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        Assert.Contains("content-type", allowedHeaders);
        Assert.Contains("x-grpc-web", allowedHeaders);
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_allow_origin()
    {
        using var response = await http.SendAsync(Preflight("http://evil.example"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_grpc_web_post_from_an_allowed_origin_exposes_the_grpc_status_headers()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", displayName: "Brandon Lee");

        using var response = await http.SendAsync(GrpcWebPost(AllowedOrigin, new GetContactRequest { TenantId = tenant.Id, ContactId = "c-1" }, TokenFor(tenant.Id)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        var exposed = Header(response, "Access-Control-Expose-Headers")!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Superset(new HashSet<string>(["grpc-status", "grpc-message", "grpc-status-details-bin"], StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(exposed, StringComparer.OrdinalIgnoreCase));

        // The body is one data frame with the response, then the trailers frame with grpc-status 0.
        var (message, trailers) = ReadFrames(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("Brandon Lee", GetContactResponse.Parser.ParseFrom(message).Contact.DisplayName);
        Assert.Equal("0", trailers["grpc-status"]);
    }

    [Fact]
    public async Task A_failed_grpc_web_post_carries_the_rich_status_in_headers_a_script_may_read()
    {
        var tenant = ServerFixture.NewTenant();
        using var response = await http.SendAsync(GrpcWebPost(AllowedOrigin, new GetContactRequest { TenantId = tenant }, TokenFor(tenant)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("grpc-status-details-bin", Header(response, "Access-Control-Expose-Headers")!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "grpc-status"));
        var details = DetailsOf(response);
        var badRequest = Assert.Single(details.Details, d => d.Is(Google.Rpc.BadRequest.Descriptor)).Unpack<Google.Rpc.BadRequest>();
        Assert.Contains(badRequest.FieldViolations, v => v.Field == "contact_id");
        Assert.Single(details.Details, d => d.Is(Google.Rpc.RequestInfo.Descriptor));
    }

    [Theory]
    [InlineData(null, "needs a bearer token")]
    [InlineData("not-a-jwt", "not a well-formed JWT")]
    public async Task A_grpc_web_post_without_a_valid_token_is_UNAUTHENTICATED_in_headers_a_script_may_read(string? token, string explained)
    {
        using var response = await http.SendAsync(GrpcWebPost(AllowedOrigin, new GetContactRequest { TenantId = ServerFixture.NewTenant(), ContactId = "c-1" }, token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        var exposed = Header(response, "Access-Control-Expose-Headers")!;
        Assert.Contains("grpc-status", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("grpc-message", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "grpc-status"));
        Assert.Contains(explained, Uri.UnescapeDataString(Header(response, "grpc-message")!), StringComparison.Ordinal);
        Assert.Single(DetailsOf(response).Details, d => d.Is(Google.Rpc.RequestInfo.Descriptor));
    }

    [Fact]
    public async Task A_grpc_web_client_without_a_token_gets_UNAUTHENTICATED()
    {
        using var web = WebChannel(GrpcWebMode.GrpcWebText, out _);

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => new ContactService.ContactServiceClient(web).GetContactAsync(
            new GetContactRequest { TenantId = ServerFixture.NewTenant(), ContactId = "c-1" }).ResponseAsync);
    }

    [Fact]
    public async Task A_grpc_web_post_from_another_origin_gets_no_allow_origin()
    {
        using var response = await http.SendAsync(GrpcWebPost("http://evil.example", new GetContactRequest { TenantId = ServerFixture.NewTenant(), ContactId = "c-1" }));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
    }

    private CallInvoker Authorized(GrpcChannel channel) => fixture.Host.Credentials.ForRequestTenant(channel.CreateCallInvoker());

    private string TokenFor(string tenant) => fixture.Host.Credentials.Token(tenant);

    private static Google.Rpc.Status DetailsOf(HttpResponseMessage response) =>
        Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(PadBase64(Header(response, "grpc-status-details-bin")!)));

    /// <summary>A gRPC-Web channel to the HTTP/1.1 endpoint; <paramref name="versions"/> records the HTTP version of each response.</summary>
    private GrpcChannel WebChannel(GrpcWebMode mode, out List<Version> versions)
    {
        var recorder = new VersionRecorder(new HttpClientHandler());
        versions = recorder.Versions;
        // GrpcWebHandler.HttpVersion is obsolete (an error here): the channel options carry the HTTP version now.
        return GrpcChannel.ForAddress(fixture.Host.GrpcWebAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(mode, recorder),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, GetContactPath);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-grpc-web");
        return request;
    }

    private static HttpRequestMessage GrpcWebPost(string origin, IMessage message, string? token = null)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        var request = new HttpRequestMessage(HttpMethod.Post, GetContactPath) { Content = new ByteArrayContent(frame) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web+proto");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("X-Grpc-Web", "1");
        if (token is not null)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
        }

        return request;
    }

    private static (byte[] Message, Dictionary<string, string> Trailers) ReadFrames(byte[] body)
    {
        byte[]? message = null;
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var at = 0; at < body.Length;)
        {
            var flags = body[at];
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at + 1, 4));
            var content = body.AsSpan(at + 5, length);
            if ((flags & 0x80) != 0)
            {
                foreach (var line in Encoding.ASCII.GetString(content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    trailers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
            else
            {
                message = content.ToArray();
            }

            at += 5 + length;
        }

        Assert.True(message is not null, $"No data frame; trailers: {string.Join(", ", trailers)}");
        return (message, trailers);
    }

    /// <summary>gRPC sends binary headers as base64 without padding.</summary>
    private static string PadBase64(string value) => value.PadRight(value.Length + (4 - (value.Length % 4)) % 4, '=');

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private sealed class VersionRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<Version> Versions { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (Versions)
            {
                Versions.Add(response.Version);
            }

            return response;
        }
    }
}
