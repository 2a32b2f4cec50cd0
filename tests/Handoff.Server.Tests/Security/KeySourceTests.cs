using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// Where the host gets the keys it checks tokens with (Handoff:Auth): an issuer's public key in a PEM file, an OpenID
/// Connect provider's key set, a shared key, or, in Development only, a key it makes itself and mints tokens with at
/// /dev/token. Anything else stops the start-up naming the settings to fix.
/// </summary>
public sealed class KeySourceTests : IDisposable
{
    private const string User = "alice";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "handoff-server-tests", $"keys-{Guid.NewGuid():N}");

    public KeySourceTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task With_an_RSA_public_key_file_tokens_signed_by_its_private_key_are_accepted_and_others_are_UNAUTHENTICATED()
    {
        using var issuer = RSA.Create(2048);
        using var stranger = RSA.Create(2048);

        await AssertTrustsOnlyAsync(issuer.ExportSubjectPublicKeyInfoPem(), new RsaSecurityKey(issuer), new RsaSecurityKey(stranger));
    }

    [Fact]
    public async Task With_an_EC_P256_public_key_file_tokens_signed_by_its_private_key_are_accepted_and_others_are_UNAUTHENTICATED()
    {
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertTrustsOnlyAsync(issuer.ExportSubjectPublicKeyInfoPem(), new ECDsaSecurityKey(issuer), new ECDsaSecurityKey(stranger));
    }

    [Fact]
    public async Task With_the_issuer_s_certificate_as_the_key_file_tokens_signed_by_its_key_are_accepted_and_others_are_UNAUTHENTICATED()
    {
        using var certificate = TlsClient.SelfSignedCertificate();
        using var issuer = certificate.GetRSAPrivateKey()!;
        using var stranger = RSA.Create(2048);

        await AssertTrustsOnlyAsync(certificate.ExportCertificatePem(), new RsaSecurityKey(issuer), new RsaSecurityKey(stranger));
    }

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("pkcs1")]
    [InlineData("ec")]
    public async Task A_PEM_file_holding_a_private_key_stops_the_start_up_asking_for_only_the_public_key(string form)
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = form switch
        {
            "pkcs8" => rsa.ExportPkcs8PrivateKeyPem(),
            "pkcs1" => rsa.ExportRSAPrivateKeyPem(),
            _ => ec.ExportECPrivateKeyPem(),
        };
        var path = await WriteAsync("issuer.pem", pem);

        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgsWithoutKey($"--Handoff:Auth:PublicKeyPemPath={path}")));

        Assert.Contains("Handoff:Auth:PublicKeyPemPath", refused.Message, StringComparison.Ordinal);
        Assert.Contains("only the public key", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no PEM at all")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n")]
    public async Task A_key_file_without_a_usable_public_key_stops_the_start_up_naming_the_setting(string content)
    {
        var path = await WriteAsync("issuer.pem", content);

        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgsWithoutKey($"--Handoff:Auth:PublicKeyPemPath={path}")));

        Assert.Contains("Handoff:Auth:PublicKeyPemPath", refused.Message, StringComparison.Ordinal);
        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_OpenID_Connect_authority_tokens_of_its_issuer_and_keys_are_accepted_and_others_are_UNAUTHENTICATED()
    {
        await using var provider = await FakeOpenIdProvider.StartAsync();
        await using var host = await ServerHost.StartWithoutSharedKeyAsync(null,
            $"Handoff:Auth:Authority={provider.Issuer}",
            "Handoff:Auth:RequireHttpsMetadata=false");
        var tenant = ServerFixture.NewTenant();

        await ListOwnInboxAsync(host, tenant, TokenOf(tenant, provider.SigningKey, provider.Issuer));

        var otherIssuer = await RpcAssert.FailsAsync(StatusCode.Unauthenticated,
            () => ListOwnInboxAsync(host, tenant, TokenOf(tenant, provider.SigningKey, "http://login.example.com/realms/sales")));
        Assert.Contains("issuer this server does not trust", otherIssuer.Status.Detail, StringComparison.Ordinal);
        using var stranger = RSA.Create(2048);
        var otherKey = await RpcAssert.FailsAsync(StatusCode.Unauthenticated,
            () => ListOwnInboxAsync(host, tenant, TokenOf(tenant, new RsaSecurityKey(stranger) { KeyId = "not-the-provider's" }, provider.Issuer)));
        Assert.Contains("not signed by a key this server trusts", otherKey.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void In_Production_a_host_without_a_key_stops_the_start_up_naming_the_three_key_settings()
    {
        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgsWithoutKey()));

        Assert.Contains("Handoff:Auth:SigningKey", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Handoff:Auth:PublicKeyPemPath", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Handoff:Auth:Authority", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SigningKey", "PublicKeyPemPath")]
    [InlineData("SigningKey", "Authority")]
    [InlineData("PublicKeyPemPath", "Authority")]
    public void Two_key_sources_at_once_stop_the_start_up_naming_both(string first, string second)
    {
        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgsWithoutKey(
            $"--Handoff:Auth:{first}={KeySetting(first)}",
            $"--Handoff:Auth:{second}={KeySetting(second)}")));

        Assert.Contains($"Handoff:Auth:{first}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"Handoff:Auth:{second}", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    public void A_shared_key_that_is_not_base64_or_shorter_than_32_bytes_stops_the_start_up_naming_it(string signingKey)
    {
        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgsWithoutKey(
            $"--Handoff:Auth:SigningKey={signingKey}")));

        Assert.Contains("Handoff:Auth:SigningKey", refused.Message, StringComparison.Ordinal);
        // A key must never be echoed into a log.
        Assert.DoesNotContain(signingKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_binary_without_a_key_exits_with_1_and_one_line_naming_the_setting_without_a_stack_trace()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Handoff.Server.dll");
        Assert.True(File.Exists(server), $"{server} is not next to the tests; build tests/Handoff.Server.Tests.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(server);
        foreach (var argument in ServerHost.ThrowawayArgsWithoutKey())
        {
            start.ArgumentList.Add(argument);
        }

        // The environment an operator's shell would not set: Production, no key from the environment either.
        foreach (var inherited in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Handoff__Auth__SigningKey", "Handoff__Auth__PublicKeyPemPath", "Handoff__Auth__Authority" })
        {
            start.Environment.Remove(inherited);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(Streams.Patience);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The server did not exit within {Streams.Patience}.");
        }

        var lines = (await output + await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("Handoff cannot start.", line, StringComparison.Ordinal);
        Assert.Contains("Handoff:Auth:SigningKey", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_without_a_key_the_host_makes_one_only_its_owner_can_read_and_serves_tokens_it_accepts()
    {
        var keyPath = Path.Combine(folder, "data", "dev-signing-key");
        await using var host = await StartDevelopmentAsync(keyPath);
        var tenant = ServerFixture.NewTenant();

        Assert.True(File.Exists(keyPath), $"No key was written at {keyPath}.");
        // Windows has no unix modes; there the file is the user's profile's to protect.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }

        using var http = new HttpClient { Timeout = Streams.Patience };
        using var minted = await http.GetAsync(DevelopmentTokenUri(host, tenant, User, "agent"));
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var token = await minted.Content.ReadAsStringAsync();
        Assert.Empty((await ListOwnInboxAsync(host, tenant, token)).Notifications);

        // The token is alice's: another agent's inbox stays closed to it.
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => new NotificationService.NotificationServiceClient(host.Channel).ListNotificationsAsync(
            new ListNotificationsRequest { TenantId = tenant, Inbox = TestTenant.UserInbox("bob") }, TestCredentials.Bearer(token),
            deadline: DateTime.UtcNow + Streams.Patience).ResponseAsync);
    }

    [Fact]
    public async Task A_development_token_is_still_accepted_after_a_restart_on_the_same_key_file()
    {
        var keyPath = Path.Combine(folder, "dev-signing-key");
        var host = await StartDevelopmentAsync(keyPath);
        var tenant = ServerFixture.NewTenant();
        string token;
        using (var http = new HttpClient { Timeout = Streams.Patience })
        {
            token = await http.GetStringAsync(DevelopmentTokenUri(host, tenant, User, "agent"));
        }

        var key = await File.ReadAllTextAsync(keyPath);
        host = await host.RestartAsync();
        await using (host)
        {
            await ListOwnInboxAsync(host, tenant, token);
            Assert.Equal(key, await File.ReadAllTextAsync(keyPath));
        }
    }

    [Fact]
    public async Task The_development_token_endpoint_answers_400_to_a_role_that_does_not_exist()
    {
        await using var host = await StartDevelopmentAsync(Path.Combine(folder, "dev-signing-key"));
        using var http = new HttpClient { Timeout = Streams.Patience };

        using var refused = await http.GetAsync(DevelopmentTokenUri(host, ServerFixture.NewTenant(), User, "root"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role 'root'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Production_the_development_token_endpoint_mints_nothing_even_with_a_shared_key()
    {
        await using var host = await ServerHost.StartAsync();
        using var http = new HttpClient { Timeout = Streams.Patience };

        foreach (var listener in new[] { host.GrpcWebAddress, host.ManagementAddress })
        {
            using var response = await http.GetAsync(DevelopmentTokenUri(new UriBuilder(listener), ServerFixture.NewTenant(), User, "agent"));

            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized,
                $"{listener}: /dev/token answered {(int)response.StatusCode} {response.StatusCode}.");
        }
    }

    [Fact]
    public async Task A_shared_key_mounted_as_a_secret_file_is_read_as_the_signing_key_setting()
    {
        // As docker compose and Kubernetes mount a secret: a file named after the setting, with the key and a newline.
        var secrets = Directory.CreateDirectory(Path.Combine(folder, "secrets")).FullName;
        var credentials = new TestCredentials();
        await File.WriteAllTextAsync(Path.Combine(secrets, "Handoff__Auth__SigningKey"), credentials.SigningKey + "\n");
        await using var host = await ServerHost.StartWithoutSharedKeyAsync(null, $"Handoff:Server:SecretsPath={secrets}");
        var tenant = ServerFixture.NewTenant();

        Assert.Empty((await ListOwnInboxAsync(host, tenant, credentials.Token(tenant, User, "agent"))).Notifications);
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => ListOwnInboxAsync(host, tenant, new TestCredentials().Token(tenant, User, "agent")));
    }

    /// <summary>A host given <paramref name="pem"/> as its key file accepts tokens signed by <paramref name="issuer"/> and no others.</summary>
    private async Task AssertTrustsOnlyAsync(string pem, SecurityKey issuer, SecurityKey stranger)
    {
        await using var host = await ServerHost.StartWithoutSharedKeyAsync(null, $"Handoff:Auth:PublicKeyPemPath={await WriteAsync("issuer.pem", pem)}");
        var tenant = ServerFixture.NewTenant();

        Assert.Empty((await ListOwnInboxAsync(host, tenant, TokenOf(tenant, issuer))).Notifications);

        var refused = await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => ListOwnInboxAsync(host, tenant, TokenOf(tenant, stranger)));
        Assert.Contains("not signed by a key this server trusts", refused.Status.Detail, StringComparison.Ordinal);
    }

    private Task<ServerHost> StartDevelopmentAsync(string keyPath) =>
        ServerHost.StartWithoutSharedKeyAsync(null, "environment=Development", $"Handoff:Auth:DevelopmentKeyPath={keyPath}");

    private static Uri DevelopmentTokenUri(ServerHost host, string tenant, string user, string role) =>
        DevelopmentTokenUri(new UriBuilder(host.GrpcWebAddress), tenant, user, role);

    private static Uri DevelopmentTokenUri(UriBuilder listener, string tenant, string user, string role)
    {
        listener.Path = "/dev/token";
        listener.Query = $"tenant={Uri.EscapeDataString(tenant)}&user={Uri.EscapeDataString(user)}&role={Uri.EscapeDataString(role)}";
        return listener.Uri;
    }

    /// <summary>What any agent may do with a valid token: read its own inbox. Fails with the call's status otherwise.</summary>
    private static async Task<ListNotificationsResponse> ListOwnInboxAsync(ServerHost host, string tenant, string token) =>
        await new NotificationService.NotificationServiceClient(host.Channel).ListNotificationsAsync(
            new ListNotificationsRequest { TenantId = tenant, Inbox = TestTenant.UserInbox(User) }, TestCredentials.Bearer(token),
            deadline: DateTime.UtcNow + Streams.Patience);

    private static string TokenOf(string tenant, SecurityKey key, string issuer = TestCredentials.Issuer) =>
        TestCredentials.Token(tenant, User, ["agent"], DateTimeOffset.UtcNow, TimeSpan.FromHours(1), key, issuer);

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private string KeySetting(string name) => name switch
    {
        "SigningKey" => new TestCredentials().SigningKey,
        "PublicKeyPemPath" => Path.Combine(folder, "issuer.pub.pem"),
        _ => "https://login.example.com/realms/sales",
    };
}
