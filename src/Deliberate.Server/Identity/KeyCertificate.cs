using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

/// <summary>
/// The certificate that encrypts the data-protection keys (which sign cookies and tokens) before they are stored in
/// the database, so that a copy of the database alone cannot forge a session.
/// <list type="bullet">
/// <item><c>DataProtection:CertificatePath</c> (a PKCS#12 file) and <c>DataProtection:CertificatePassword</c>: used as
/// given. Every node of a cluster needs the same one.</item>
/// <item>Otherwise, with SQLite (one node): a certificate made once, at the first start, in the database's folder
/// beside the database file (<c>deliberate.keys.pfx</c>), readable by the server's user only.</item>
/// <item>Otherwise, with PostgreSQL: nodes do not share a folder, so the operator must configure one; the server refuses
/// to start without it, as it does without the audit key. Only a demo server (Demo:Enabled) starts without one, with a
/// warning at every start, its keys unencrypted.</item>
/// </list>
/// </summary>
public static class KeyCertificate
{
    public const string GeneratedFileName = "deliberate.keys.pfx";

    public static X509Certificate2? Load(IConfiguration config, DatabaseSettings database, bool demo, out string source)
    {
        if (config["DataProtection:CertificatePath"] is { Length: > 0 } path)
        {
            source = $"the configured certificate {Path.GetFullPath(path)}";
            return X509CertificateLoader.LoadPkcs12FromFile(path, config["DataProtection:CertificatePassword"]);
        }
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            if (!demo)
                throw new InvalidOperationException(
                    "The session keys must be encrypted with a certificate kept outside the database: set DataProtection:CertificatePath " +
                    "(a PKCS#12 file, the same on every node) and DataProtection:CertificatePassword. See docs/operations.md, \"Session keys\".");
            source = "none: DataProtection:CertificatePath is not set";
            return null;
        }
        var folder = Path.GetDirectoryName(database.SqliteFile() ?? Path.GetFullPath(Path.Combine("data", "deliberate.db")))!;
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, GeneratedFileName);
        if (!File.Exists(file)) Generate(file);
        source = $"the certificate generated beside the database, {file}";
        return X509CertificateLoader.LoadPkcs12FromFile(file, null);
    }

    /// <summary>
    /// Writes a new self-signed certificate to <paramref name="file"/> unless another process (a second server on the
    /// same file, a parallel test) got there first: written aside, then moved into place without overwriting.
    /// </summary>
    static void Generate(string file)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Deliberate data-protection keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary); // the other one won; everybody uses its certificate
        }
    }
}

/// <summary>Whether the data-protection keys are encrypted, and with what; said at start-up.</summary>
public sealed record KeyProtection(bool Encrypted, string Source)
{
    /// <summary>
    /// At start-up: logs how the keys are protected, and deletes keys that an older version stored unencrypted (they
    /// would still let a copy of the database forge sessions). That ends the sessions they signed: everyone signs in
    /// again once.
    /// </summary>
    public static async Task ApplyAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var protection = services.GetRequiredService<KeyProtection>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Deliberate.Startup");
        if (!protection.Encrypted)
        {
            log.LogWarning("Data-protection keys are stored UNENCRYPTED in the database ({Source}): a copy of the database can forge sessions. " +
                "Set DataProtection:CertificatePath (see docs/operations.md).", protection.Source);
            return;
        }
        log.LogInformation("Data-protection keys are encrypted with {Source}.", protection.Source);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        // An unencrypted key holds its secret in a plain <value> element; an encrypted one holds <encryptedSecret>.
        // Deleted, not revoked: a revoked key would still sit readable in every later copy of the database.
        var raw = await db.DataProtectionKeys.Where(k => k.Xml != null && k.Xml.StartsWith("<key") && !k.Xml.Contains("encryptedSecret"))
            .ExecuteDeleteAsync(ct);
        if (raw == 0) return;
        log.LogWarning("Deleted {Count} data-protection keys that were stored unencrypted; the sessions they signed have ended.", raw);
    }
}
