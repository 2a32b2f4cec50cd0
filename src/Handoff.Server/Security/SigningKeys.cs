using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Handoff.Server.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Security;

/// <summary>Reads the keys tokens are validated with, failing the start-up with the setting's name when one is unusable.</summary>
public static class SigningKeys
{
    /// <summary>HMAC-SHA256 needs a key at least as long as its output.</summary>
    public const int MinimumSymmetricKeyBytes = 32;

    public static SymmetricSecurityKey Symmetric(string base64Key, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64Key.Trim());
        }
        catch (FormatException)
        {
            throw new HandoffStartupException($"{setting} is not base64. Generate one with: openssl rand -base64 {MinimumSymmetricKeyBytes}");
        }

        return bytes.Length >= MinimumSymmetricKeyBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new HandoffStartupException(
                $"{setting} holds {bytes.Length} bytes; it needs at least {MinimumSymmetricKeyBytes}. Generate one with: openssl rand -base64 {MinimumSymmetricKeyBytes}");
    }

    /// <summary>The public key of a PEM file: "PUBLIC KEY" (RSA or EC), "RSA PUBLIC KEY", or a certificate.</summary>
    public static SecurityKey PublicKeyFromPem(string path, string setting)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HandoffStartupException($"{setting}: cannot read '{path}' ({e.Message}).", e);
        }

        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new HandoffStartupException($"{setting}: '{path}' holds a private key; give the server only the public key.");
        }

        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            try
            {
                return new X509SecurityKey(X509Certificate2.CreateFromPem(pem));
            }
            catch (CryptographicException e)
            {
                throw new HandoffStartupException($"{setting}: '{path}' holds a certificate that cannot be read ({e.Message}).", e);
            }
        }

        // A "PUBLIC KEY" block names no algorithm: an EC key fails the RSA import as malformed data
        // (CryptographicException), a file without a key block as ArgumentException.
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            throw new HandoffStartupException($"{setting}: '{path}' holds no RSA or EC public key in PEM form.", e);
        }
    }

    /// <summary>
    /// The development key: read from <paramref name="path"/>, or generated and written there (readable by its owner
    /// only) on the first start, so tokens minted before a restart stay valid after it.
    /// </summary>
    public static string DevelopmentKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = TokenIssuer.NewSharedKey();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(key);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process wrote it first: use theirs.
            return File.ReadAllText(path).Trim();
        }

        return key;
    }
}
