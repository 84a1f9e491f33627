using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Deliberate.IntegrationTests;

/// <summary>A server set up for production (Production environment, a data path of its own) has no demo door.</summary>
public sealed class ProductionDemoModeTests : AppTest
{
    // Demo:Enabled left unset (DeliberateApp sets it for every other test), as an operator would.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = null,
        ["environment"] = "Production",
        ["Sms:AllowLogSender"] = "true", // Production without demo needs an SMS gateway, or this explicit permission
    };

    [Fact]
    public async Task In_production_with_its_own_data_path_the_demo_password_signs_nobody_in()
    {
        foreach (var user in new[] { "admin", "secretary", "resident" })
            await ProblemAssert.IsProblemAsync(await Auth.TokenAsync(App.CreateClient(), user, DemoOptions.Password),
                HttpStatusCode.Forbidden, "demoAccountDisabled");
        await ProblemAssert.IsProblemAsync(
            await App.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "admin", password = DemoOptions.Password }),
            HttpStatusCode.Forbidden, "demoAccountDisabled");
    }

    [Fact]
    public async Task The_sign_in_page_learns_that_demo_mode_is_off_and_gets_no_password_to_show()
    {
        var options = await App.CreateClient().GetJsonAsync("/api/auth/options");
        Assert.False(options["demo"]!.GetValue<bool>());
        Assert.Null(options["demoPassword"]);
        // Nor does the browser app carry it: the hint's password comes from that endpoint.
        var webRoot = App.Services.GetRequiredService<IWebHostEnvironment>().WebRootPath;
        var files = Directory.GetFiles(webRoot, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".js", StringComparison.Ordinal));
        Assert.All(files, f => Assert.DoesNotContain(DemoOptions.Password, File.ReadAllText(f)));
    }

    [Fact]
    public async Task A_demo_account_with_a_password_of_its_own_signs_in_outside_demo_mode()
    {
        // The trial-to-production path: an operator who gave the demo admin a real password keeps the account.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var hasher = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<User>>();
            var admin = db.Users.Single(u => u.UserName == "admin");
            admin.SetPassword(hasher.HashPassword(admin, "Operator#Own-2026"));
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await Auth.TokenAsync(App.CreateClient(), "admin", "Operator#Own-2026")).StatusCode);
    }
}

/// <summary>Demo on: said at start-up and on the sign-in page; turning it off ends the demo sessions.</summary>
public sealed class DemoModeTests : AppTest
{
    [Fact]
    public async Task The_sign_in_page_learns_that_demo_mode_is_on_with_the_password_to_show()
    {
        var options = await App.CreateClient().GetJsonAsync("/api/auth/options");
        Assert.True(options["demo"]!.GetValue<bool>());
        Assert.Equal(DemoOptions.Password, options["demoPassword"]!.GetValue<string>());
    }

    [Fact]
    public async Task Demo_mode_is_announced_as_a_warning_at_start_up()
    {
        var logs = new CapturedLogs();
        await using var second = App.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)).UseSetting("Scheduling:Enabled", "false"));
        _ = second.Server;
        Assert.Contains(logs.Lines,
            l => l.Level == LogLevel.Warning && l.Message.Contains("Demo mode is ON") && l.Message.Contains(DemoOptions.Password));
    }

    [Fact]
    public async Task A_token_and_a_cookie_issued_in_demo_mode_are_refused_by_a_server_on_the_same_database_with_demo_off()
    {
        var tokens = await (await Auth.TokenAsync(App.CreateClient(), "admin", DemoOptions.Password)).JsonAsync();
        var login = await App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false })
            .PostAsJsonAsync("/api/auth/login", new { username = "admin", password = DemoOptions.Password });
        var cookie = string.Join("; ",
            login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("deliberate.session", StringComparison.Ordinal))
                .Select(c => c.Split(';')[0]));

        await using var demoOff = new DeliberateApp(App.ConnectionString,
            new Dictionary<string, string?> { ["Demo:Enabled"] = "false", ["Scheduling:Enabled"] = "false" });
        await demoOff.StartAsync();

        var bearer = demoOff.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await bearer.GetAsync("/api/audit"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblemAsync(await bearer.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        using (var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/audit"))
        {
            withCookie.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await demoOff.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(withCookie)).StatusCode);
        }
        await ProblemAssert.IsProblemAsync(await demoOff.CreateClient()
            .PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens["refreshToken"]!.GetValue<string>() }),
            HttpStatusCode.Unauthorized, "badRefreshToken");
        var options = await demoOff.CreateClient().GetJsonAsync("/api/auth/options");
        Assert.False(options["demo"]!.GetValue<bool>());

        // The demo server itself still takes them (the keys are shared through the database): the refusal is demo mode.
        var stillDemo = App.CreateClient();
        stillDemo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await stillDemo.GetAsync("/api/audit")).StatusCode);
    }

    [Theory]
    [InlineData("sqlite", null, "Production", null, true)]                                    // the README's first run
    [InlineData("sqlite", DatabaseSettings.DefaultSqlite, "Production", null, true)]           // appsettings.json's own value
    [InlineData("sqlite", "Data Source=/var/lib/deliberate/deliberate.db", "Production", null, false)]
    [InlineData("sqlite", "Data Source=/var/lib/deliberate/deliberate.db", "Production", "true", true)]
    [InlineData("sqlite", "Data Source=/tmp/dev.db", "Development", null, true)]
    [InlineData("postgres", "Host=db;Database=deliberate", "Production", null, false)]
    [InlineData("postgres", "Host=db;Database=deliberate", "Development", null, false)]
    [InlineData("postgres", "Host=db;Database=deliberate", "Production", "true", true)]
    public void Demo_mode_is_on_by_default_only_for_sqlite_on_the_shipped_path_or_outside_production(
        string provider, string? connection, string environment, string? explicitly, bool expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Deliberate"] = connection,
            ["Demo:Enabled"] = explicitly,
        }).Build();
        var decided = DemoOptions.Decide(config, DatabaseSettings.From(config), new Environment(environment));
        Assert.Equal(expected, decided.Enabled);
    }

    sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Deliberate.Server";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

/// <summary>Log lines written through the host's logging, kept for a test to read.</summary>
sealed class CapturedLogs : ILoggerProvider
{
    public List<(LogLevel Level, string Category, string Message)> Lines { get; } = [];
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.Lines) owner.Lines.Add((logLevel, category, formatter(state, exception)));
        }
    }
}
