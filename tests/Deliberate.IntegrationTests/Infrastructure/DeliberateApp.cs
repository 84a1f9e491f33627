using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>The real server on a test host, over one test's database, optionally on a fake clock.</summary>
public sealed class DeliberateApp(string connectionString, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public const string Password = "Demo#2026";
    public string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", TestDatabase.Provider);
        builder.UseSetting("ConnectionStrings:Deliberate", connectionString);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("RateLimits:PublicPerMinute", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The audit key, the anchors and the session-key certificate live outside the database: one key and one
        // certificate for the run (as all nodes of a cluster share them), one anchor file per database. SQLite finds
        // them beside its file by default; PostgreSQL outside demo mode would refuse to start without them.
        if (TestDatabase.IsPostgres)
        {
            builder.UseSetting("Audit:KeyPath", TestDatabase.AuditKeyPath);
            builder.UseSetting("Audit:AnchorPath", TestDatabase.AnchorPathOf(connectionString));
            builder.UseSetting("DataProtection:CertificatePath", TestCertificate.Path);
            builder.UseSetting("DataProtection:CertificatePassword", TestCertificate.Password);
        }
        // A SQLite server that is not a demo keeps its audit key outside the database's folder, as an operator must.
        if (!TestDatabase.IsPostgres && settings is not null && settings.TryGetValue("Demo:Enabled", out var demo) && demo != "true"
            && !settings.ContainsKey("Audit:KeyPath"))
            builder.UseSetting("Audit:KeyPath", TestDatabase.SqliteOperatorKeyPath);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        if (clock is not null)
        {
            // On a fake clock the test runs what falls due itself (AppTest.RunDueAsync); the scheduler would race it.
            builder.UseSetting("Scheduling:Enabled", "false");
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(clock)));
        }
    }

    public async Task StartAsync() => await Task.Run(() => Server); // builds and starts the host

    /// <summary>A client signed in as a demo user with a bearer token.</summary>
    public async Task<HttpClient> SignInAsync(string userName, string? language = null)
    {
        var client = CreateClient();
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>JSON helpers for tests that read responses as JSON trees.</summary>
public static class Http
{
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty body.");
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
