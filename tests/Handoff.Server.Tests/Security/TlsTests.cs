using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// https:// listeners: plain gRPC and gRPC-Web over TLS with the certificate of Handoff:Server:Tls (PEM certificate and
/// key, or a password-protected PKCS#12 file), refused to clients that speak cleartext or do not trust it, and a start-up
/// that stops, naming the setting, when an https URL has no certificate.
/// </summary>
public sealed class TlsTests(TlsHostFixture fixture) : IClassFixture<TlsHostFixture>
{
    private ServerHost Host => fixture.Host;

    [Fact]
    public void The_https_URLs_given_as_settings_replace_the_default_http_ones()
    {
        // ServerHost gives http:// URLs first; a setting given after them must win, or every TLS test would test cleartext.
        var listening = Host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

        Assert.Equal(
            new[] { Host.GrpcAddress, Host.GrpcWebAddress, Host.ManagementAddress }.Select(a => a.ToString().TrimEnd('/')).Order(),
            listening.Order());
        Assert.Equal((Uri.UriSchemeHttps, Uri.UriSchemeHttps), (Host.GrpcAddress.Scheme, Host.GrpcWebAddress.Scheme));
    }

    [Fact]
    public async Task Plain_gRPC_over_TLS_answers_a_client_that_trusts_the_certificate()
    {
        using var channel = GrpcChannel.ForAddress(Host.GrpcAddress, new GrpcChannelOptions { HttpHandler = TlsClient.Trusting(fixture.Certificate) });
        var contacts = new ContactService.ContactServiceClient(Host.Credentials.ForRequestTenant(channel.CreateCallInvoker()));

        var contact = await UpsertAndGetAsync(contacts);

        Assert.Equal(("c-1", "Brandon Lee"), (contact.ContactId, contact.DisplayName));
    }

    [Fact]
    public async Task gRPC_Web_over_TLS_answers_on_the_https_gRPC_Web_URL()
    {
        using var channel = GrpcChannel.ForAddress(Host.GrpcWebAddress, new GrpcChannelOptions
        {
            // A browser's way: gRPC-Web frames over HTTP/1.1, here inside TLS.
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, TlsClient.Trusting(fixture.Certificate)),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        var contacts = new ContactService.ContactServiceClient(Host.Credentials.ForRequestTenant(channel.CreateCallInvoker()));

        var contact = await UpsertAndGetAsync(contacts);

        Assert.Equal(("c-1", "Brandon Lee"), (contact.ContactId, contact.DisplayName));
    }

    [Fact]
    public async Task A_cleartext_HTTP_2_client_gets_no_answer_from_the_TLS_port()
    {
        var cleartext = new UriBuilder(Host.GrpcAddress) { Scheme = Uri.UriSchemeHttp }.Uri;
        using var channel = GrpcChannel.ForAddress(cleartext);
        var contacts = new ContactService.ContactServiceClient(Host.Credentials.ForRequestTenant(channel.CreateCallInvoker()));

        var refused = await Assert.ThrowsAsync<RpcException>(() => UpsertAndGetAsync(contacts));

        // The server sent no status of its own: the client's transport failed, under the status it gives such failures.
        TlsClient.AssertTransportFailure(refused);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_fails_the_TLS_handshake()
    {
        using var channel = GrpcChannel.ForAddress(Host.GrpcAddress);
        var contacts = new ContactService.ContactServiceClient(Host.Credentials.ForRequestTenant(channel.CreateCallInvoker()));

        var refused = await Assert.ThrowsAsync<RpcException>(() => UpsertAndGetAsync(contacts));

        TlsClient.AssertTransportFailure(refused);
        Assert.True(TlsClient.Causes(refused.Status.DebugException).OfType<AuthenticationException>().Any(),
            $"Expected a TLS authentication failure, got: {refused.Status.DebugException}");
    }

    [Fact]
    public async Task A_password_protected_PKCS12_certificate_serves_TLS()
    {
        using var certificate = TlsClient.SelfSignedCertificate();
        var pfx = Path.Combine(fixture.Folder, "server.pfx");
        const string Password = "correct horse";
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, Password));
        await using var host = await ServerHost.StartAsync(null,
            $"Handoff:Server:GrpcUrl=https://127.0.0.1:{ServerHost.FreePort}",
            $"Handoff:Server:Tls:CertificatePath={pfx}",
            $"Handoff:Server:Tls:Password={Password}");
        // Trusting only the new certificate: an answer proves the host presents the one from the .pfx file.
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress, new GrpcChannelOptions { HttpHandler = TlsClient.Trusting(certificate) });
        var contacts = new ContactService.ContactServiceClient(host.Credentials.ForRequestTenant(channel.CreateCallInvoker()));

        var contact = await UpsertAndGetAsync(contacts);

        Assert.Equal(Uri.UriSchemeHttps, host.GrpcAddress.Scheme);
        Assert.Equal("Brandon Lee", contact.DisplayName);
    }

    [Fact]
    public async Task A_PKCS12_file_with_the_wrong_password_stops_the_start_up_naming_the_setting()
    {
        using var certificate = TlsClient.SelfSignedCertificate();
        var pfx = Path.Combine(fixture.Folder, "wrong-password.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "the real one"));

        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgs(null,
            $"--Handoff:Server:GrpcUrl=https://127.0.0.1:{ServerHost.FreePort}",
            $"--Handoff:Server:Tls:CertificatePath={pfx}",
            "--Handoff:Server:Tls:Password=a guess")));

        Assert.Contains("Handoff:Server:Tls:CertificatePath", refused.Message, StringComparison.Ordinal);
        Assert.Contains(pfx, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GrpcUrl")]
    [InlineData("GrpcWebUrl")]
    [InlineData("ManagementUrl")]
    public void An_https_URL_without_a_certificate_stops_the_start_up_naming_the_certificate_setting(string listener)
    {
        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgs(null,
            $"--Handoff:Server:{listener}=https://127.0.0.1:{ServerHost.FreePort}")));

        Assert.Contains("Handoff:Server:Tls:CertificatePath", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<Contact> UpsertAndGetAsync(ContactService.ContactServiceClient contacts)
    {
        var tenant = ServerFixture.NewTenant();
        await contacts.UpsertContactAsync(new UpsertContactRequest
        {
            TenantId = tenant, ContactId = "c-1", DisplayName = "Brandon Lee", Stage = LifecycleStage.Sql, Phase = PipelinePhase.Win,
        }, deadline: DateTime.UtcNow + Streams.Patience);
        return (await contacts.GetContactAsync(new GetContactRequest { TenantId = tenant, ContactId = "c-1" },
            deadline: DateTime.UtcNow + Streams.Patience)).Contact;
    }
}

/// <summary>
/// One host for the TLS tests that only call it: plain gRPC and gRPC-Web on https:// URLs with a self-signed
/// certificate given as PEM certificate and key files.
/// </summary>
public sealed class TlsHostFixture : IAsyncLifetime
{
    private ServerHost? host;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "handoff-server-tests", $"tls-{Guid.NewGuid():N}");

    public X509Certificate2 Certificate { get; } = TlsClient.SelfSignedCertificate();

    public ServerHost Host => host ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var certificatePath = Path.Combine(Folder, "server.crt");
        var keyPath = Path.Combine(Folder, "server.key");
        await File.WriteAllTextAsync(certificatePath, Certificate.ExportCertificatePem());
        using (var key = Certificate.GetRSAPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        host = await ServerHost.StartAsync(null,
            $"Handoff:Server:GrpcUrl=https://127.0.0.1:{ServerHost.FreePort}",
            $"Handoff:Server:GrpcWebUrl=https://127.0.0.1:{ServerHost.FreePort}",
            $"Handoff:Server:Tls:CertificatePath={certificatePath}",
            $"Handoff:Server:Tls:KeyPath={keyPath}");
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        Certificate.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>The client side of TLS: a server certificate made for the test, and a handler that trusts only it.</summary>
internal static class TlsClient
{
    /// <summary>A self-signed RSA 2048 server certificate for 127.0.0.1 and localhost, with its private key.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=handoff-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A handler that accepts exactly <paramref name="certificate"/>, as a client pinned to it would.</summary>
    public static HttpClientHandler Trusting(X509Certificate2 certificate)
    {
        var expected = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), expected, StringComparison.Ordinal),
        };
    }

    /// <summary>
    /// The call failed in the client's HTTP stack, before any gRPC status came back: Grpc.Net.Client reports that as
    /// UNAVAILABLE or INTERNAL depending on how the connection broke, with the HTTP error as the debug exception.
    /// </summary>
    public static void AssertTransportFailure(RpcException refused)
    {
        Assert.True(refused.StatusCode is StatusCode.Unavailable or StatusCode.Internal, $"Expected a transport failure, got {refused.Status}.");
        Assert.IsType<HttpRequestException>(refused.Status.DebugException, exactMatch: false);
    }

    /// <summary><paramref name="error"/> and every exception inside it.</summary>
    public static IEnumerable<Exception> Causes(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
