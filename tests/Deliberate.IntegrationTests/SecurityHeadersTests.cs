using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests;

/// <summary>Content security policy, HSTS, and the data-protection keys at rest.</summary>
public sealed partial class SecurityHeadersTests : AppTest
{
    [Fact]
    public async Task Every_answer_carries_a_content_security_policy_that_allows_only_the_apps_own_scripts()
    {
        var client = App.CreateClient();
        foreach (var url in new[] { "/", "/console", "/api/auth/options", "/api/matters", "/health/live" })
        {
            var response = await client.GetAsync(url);
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            var directives = policy.Split(';').Select(d => d.Trim()).ToList();
            Assert.Contains("script-src 'self'", directives);
            Assert.Contains("object-src 'none'", directives);
            Assert.Contains("frame-ancestors 'none'", directives);
            Assert.Contains("default-src 'self'", directives);
            // Over plain HTTP no HSTS: it would pin a name to HTTPS that may not have it.
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), url);
        }
    }

    [Fact]
    public async Task The_apps_page_has_no_inline_script_for_the_policy_to_block()
    {
        var webRoot = App.Services.GetRequiredService<IWebHostEnvironment>().WebRootPath;
        var index = Path.Combine(webRoot, "index.html");
        Assert.True(File.Exists(index), "the browser app is not built into " + webRoot);
        var html = await File.ReadAllTextAsync(index);
        if (!html.Contains("<script", StringComparison.Ordinal)) return; // a stand-in page written by another test
        foreach (Match script in ScriptTag().Matches(html))
            Assert.Matches(@"\bsrc=""/", script.Value);
        Assert.DoesNotMatch(@"\son[a-z]+=", html); // no inline event handlers either
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [Fact]
    public async Task Https_gets_hsts()
    {
        var client =
            App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        var response = await client.GetAsync("/api/auth/options");
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task The_stored_data_protection_keys_are_encrypted_with_a_certificate_kept_beside_the_database_not_in_it()
    {
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(App.CreateClient(), "resident", DeliberateApp.Password)).StatusCode); // makes a key

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var keys = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("<value>", xml); // the raw master key's element
            Assert.DoesNotContain("unencrypted form", xml);
        });
        if (!TestDatabase.IsPostgres)
        {
            var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(App.ConnectionString).DataSource)!;
            Assert.True(File.Exists(Path.Combine(folder, KeyCertificate.GeneratedFileName)));
        }
    }

    [Fact]
    public async Task A_key_stored_unencrypted_by_an_older_version_is_deleted_at_start_up()
    {
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(App.CreateClient(), "resident", DeliberateApp.Password)).StatusCode);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey
            {
                FriendlyName = "key-00000000-0000-0000-0000-000000000001",
                Xml = "<key id=\"00000000-0000-0000-0000-000000000001\" version=\"1\"><descriptor><descriptor><masterKey>" +
                      "<!-- Warning: the key below is in an unencrypted form. --><value>AAAA</value></masterKey></descriptor></descriptor></key>",
            });
            db.SaveChanges();
        }
        await using var restarted = App.WithWebHostBuilder(b => b.UseSetting("Scheduling:Enabled", "false"));
        _ = restarted.Server;
        await using var check = restarted.Services.CreateAsyncScope();
        var keys = await check.ServiceProvider.GetRequiredService<DeliberateDbContext>().DataProtectionKeys.AsNoTracking()
            .Select(k => k.Xml!).ToListAsync();
        Assert.DoesNotContain(keys, xml => xml.Contains("<value>"));
        Assert.Contains(keys, xml => xml.Contains("encryptedSecret")); // the encrypted one stays
    }
}

/// <summary>/metrics with a configured token.</summary>
public sealed class MetricsTokenTests : AppTest
{
    const string Token = "scrape-3f9a7c1e5b";
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Metrics:Token"] = Token };

    [Fact]
    public async Task Metrics_answer_only_with_the_configured_bearer_token_even_from_the_machine_itself()
    {
        var local = App.From("127.0.0.1");
        await ProblemAssert.IsProblemAsync(await local.GetAsync("/metrics"), HttpStatusCode.NotFound, "notFound");
        local.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        await ProblemAssert.IsProblemAsync(await local.GetAsync("/metrics"), HttpStatusCode.NotFound, "notFound");

        var scraper = App.From("203.0.113.50");
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var metrics = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await metrics.Content.ReadAsStringAsync());
    }
}

/// <summary>/metrics without a token: the machine itself only, and not through a proxy.</summary>
public sealed class MetricsLoopbackTests : AppTest
{
    [Fact]
    public async Task Without_a_token_metrics_answer_a_loopback_scraper_but_not_another_machine_nor_a_relayed_request()
    {
        Assert.Equal(HttpStatusCode.OK, (await App.From("127.0.0.1").GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.From("::1").GetAsync("/metrics")).StatusCode);
        await ProblemAssert.IsProblemAsync(await App.From("203.0.113.50").GetAsync("/metrics"), HttpStatusCode.NotFound, "notFound");
        // A proxy on the same machine connects from loopback; what it relays says so.
        var relayed = await App.From("127.0.0.1").SendAsync(ClientAddresses.Forwarded(HttpMethod.Get, "/metrics", "203.0.113.50"));
        await ProblemAssert.IsProblemAsync(relayed, HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public void A_PostgreSQL_server_without_demo_refuses_to_start_without_a_session_key_certificate()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var database = new DatabaseSettings(DatabaseProvider.Postgres, "Host=localhost;Database=x");
        var error = Assert.Throws<InvalidOperationException>(() => KeyCertificate.Load(config, database, demo: false, out _));
        Assert.Contains("DataProtection:CertificatePath", error.Message);
        Assert.Null(KeyCertificate.Load(config, database, demo: true, out _)); // a demo server starts, and warns
    }
}
