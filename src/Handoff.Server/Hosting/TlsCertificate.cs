using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Handoff.Server.Hosting;

/// <summary>
/// The certificate the host's https:// listeners present. From a file (PEM certificate with its PEM key, or a PKCS#12
/// file with its password) or from the certificate store (by subject). Bound from "Handoff:Server:Tls".
/// </summary>
public sealed class TlsOptions
{
    /// <summary>A PEM certificate (chain) file, or a .pfx/.p12 file.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; empty when the certificate file holds the key too.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>The password of a .pfx/.p12 file or of an encrypted PEM key.</summary>
    public string Password { get; set; } = "";

    /// <summary>Instead of a file: the subject of a certificate in the store <see cref="StoreName"/> (e.g. "handoff.example.com").</summary>
    public string Subject { get; set; } = "";

    public StoreName StoreName { get; set; } = StoreName.My;

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;
}

public static class TlsCertificate
{
    private const string Section = HandoffServerOptions.Section + ":Tls";

    /// <summary>The certificate, when any listener's URL is https; null when none is. Fails the start-up naming the setting.</summary>
    public static X509Certificate2? Load(HandoffServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var https = new[] { options.GrpcUrl, options.GrpcWebUrl, options.ManagementUrl }
            .Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (!https)
        {
            return null;
        }

        var tls = options.Tls;
        if (tls.CertificatePath.Length > 0)
        {
            return FromFile(tls);
        }

        if (tls.Subject.Length > 0)
        {
            return FromStore(tls);
        }

        throw new HandoffStartupException(
            $"A listener URL is https but no certificate is configured: set {Section}:CertificatePath (and KeyPath for a PEM key) or {Section}:Subject.");
    }

    private static X509Certificate2 FromFile(TlsOptions tls)
    {
        try
        {
            var certificate = Path.GetExtension(tls.CertificatePath).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password)
                : tls.Password.Length > 0
                    ? X509Certificate2.CreateFromEncryptedPemFile(tls.CertificatePath, tls.Password, NullIfEmpty(tls.KeyPath))
                    : X509Certificate2.CreateFromPemFile(tls.CertificatePath, NullIfEmpty(tls.KeyPath));
            return certificate.HasPrivateKey
                ? certificate
                : throw new HandoffStartupException($"{Section}:CertificatePath: '{tls.CertificatePath}' has no private key; set {Section}:KeyPath.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new HandoffStartupException($"{Section}:CertificatePath: cannot load '{tls.CertificatePath}' ({e.Message}).", e);
        }
    }

    private static X509Certificate2 FromStore(TlsOptions tls)
    {
        using var store = new X509Store(tls.StoreName, tls.StoreLocation);
        store.Open(OpenFlags.ReadOnly);
        var found = store.Certificates.Find(X509FindType.FindBySubjectName, tls.Subject, validOnly: false)
            .Where(c => c.HasPrivateKey)
            .OrderByDescending(c => c.NotAfter)
            .FirstOrDefault();
        return found ?? throw new HandoffStartupException(
            $"{Section}:Subject: no certificate with a private key for '{tls.Subject}' in {tls.StoreLocation}/{tls.StoreName}.");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
