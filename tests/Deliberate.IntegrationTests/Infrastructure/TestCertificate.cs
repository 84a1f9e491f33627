namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>A session-key certificate with a password, made once per test run, as an operator would configure it.</summary>
public static class TestCertificate
{
    public const string Password = "test-pfx-2026";
    static readonly Lazy<string> File = new(() =>
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Deliberate test keys", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"deliberate-test-keys-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, Password));
        return path;
    });
    public static string Path => File.Value;
}
