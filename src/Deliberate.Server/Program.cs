using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Deliberate.Server.Api;
using Deliberate.Server.Audit;
using Deliberate.Server.Bodies;
using Deliberate.Server.Consultations;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Ledgers;
using Deliberate.Server.Matters;
using Deliberate.Server.Measures;
using Deliberate.Server.Meetings;
using Deliberate.Server.Minutes;
using Deliberate.Server.Notices;
using Deliberate.Server.Notifications;
using Deliberate.Server.Operations;
using Deliberate.Server.Organisation;
using Deliberate.Server.Ratings;
using Deliberate.Server.Register;
using Deliberate.Server.ReviewCycles;
using Deliberate.Server.Scheduling;
using Deliberate.Server.SignUp;
using Deliberate.Server.Tasks;
using Deliberate.Server.Voting;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Microsoft.AspNetCore.Localization;
using Scalar.AspNetCore;

NativeMemory.LimitMallocArenas(); // before the thread pool grows: see why in Operations/NativeMemory.cs

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json and the shipped workflows sit beside the binary; ./data is relative to where you run it.
    ContentRootPath = AppContext.BaseDirectory,
    // The browser app, built into webapp/ beside the binary (not wwwroot: the SDK would serve that from the
    // source folder in Development). Absolute, so that test hosts with another content root find it too.
    WebRootPath = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "webapp")).FullName,
});

// Data: SQLite embedded by default, PostgreSQL by configuration; demo data on by default for SQLite.
var database = builder.Services.AddDeliberateDatabase(builder.Configuration);
var demo = DemoOptions.Decide(builder.Configuration, database, builder.Environment); // see Identity/AuthApi.cs
builder.Services.Configure<DemoOptions>(o => (o.Enabled, o.Reason) = (demo.Enabled, demo.Reason));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Deliberate.Server.Register.RegisterPreviews>();
builder.Services.AddHttpContextAccessor(); // the audit log names the signed-in user of each change
// The audit chain's key and its anchor file live outside the database (see Audit/AuditKey.cs and AuditAnchor.cs).
builder.Services.AddSingleton(services => AuditKey.Load(builder.Configuration, database,
    services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value.Enabled,
    services.GetRequiredService<ILogger<AuditKey>>()));
builder.Services.AddSingleton(AuditAnchor.From(builder.Configuration, database));
if (database.Provider == DatabaseProvider.Postgres) builder.Services.AddHostedService<AuditChainer>(); // SQLite chains as it writes
builder.Services.AddHostedService<AuditAnchorService>();
if (OperatingSystem.IsLinux()) builder.Services.AddHostedService<MallocTrimmer>();

// The workflow runtime, with the activities of each capability, registered one by one.
builder.Services.AddSingleton(ActivityRegistry.WithBuiltIns()
    .AddCategory("Matters", "事项", "Matters").Add<SetMatterStep>()
    .AddCategory("Meetings", "议事", "Meetings").Add<ConveneMeeting>().Add<Consult>().Add<GenerateMinutes>()
    .AddCategory("Voting", "表决", "Voting").Add<Vote>()
    .AddCategory("Notices", "公示", "Notices").Add<Publicize>()
    .AddCategory("Execution", "协同办事", "Execution").Add<Execute>().Add<Escalate>()
    .AddCategory("Ratings", "群众评事", "Ratings").Add<Rate>());
builder.Services.AddSingleton(new ScriptEngine());
builder.Services.AddSingleton<WorkflowPlans>();
builder.Services.AddSingleton<WorkflowRunner>();
builder.Services.AddScoped<WorkflowEngine>();
builder.Services.AddDeliberateScheduling(database, builder.Configuration.GetValue("Scheduling:Enabled", true));
builder.Services.AddScoped<IDeadlineHandler, ConsultationDeadline>();
builder.Services.AddScoped<IDeadlineHandler, BallotDeadline>();
builder.Services.AddScoped<IDeadlineHandler, BallotOpening>();
builder.Services.AddScoped<IDeadlineHandler, WorkItemOverdueHandler>();
builder.Services.AddScoped<IDeadlineHandler, RatingCloseHandler>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Sla").Get<SlaOptions>() ?? new SlaOptions());
builder.Services.AddScoped<IDeadlineHandler, WorkItemReminderHandler>();
builder.Services.AddScoped<IDeadlineHandler, TaskReminderHandler>();
builder.Services.AddScoped<IDeadlineHandler, TaskOverdueHandler>();

// Notifications: in-app, and by mail and webhook when configured (off by default), from an outbox with retries.
builder.Services.AddDeliberateNotifications(builder.Configuration, deliver: builder.Configuration.GetValue("Scheduling:Enabled", true));

// Identity: cookie sessions for the browser, bearer tokens for API clients.
builder.Services.AddDeliberateAuth(builder.Configuration, database, demo.Enabled);
// One-time codes by SMS gateway, or to the log where that is allowed (SignUp/CodeSenders.cs).
builder.Services.AddOneTimeCodeSender(builder.Configuration, builder.Environment, demo.Enabled);
// Behind a reverse proxy: the client's address and scheme from the configured proxies only (Identity/ClientAddress.cs).
var proxiesConfigured = builder.Services.AddDeliberateForwardedHeaders(builder.Configuration);
builder.Services.AddRateLimiter(o =>
{
    // Keyed on the client's address after forwarded headers: behind a proxy, each client has its own limit.
    var signInsPerMinute = builder.Configuration.GetValue("RateLimits:SignInPerMinute", 120);
    o.AddPolicy(AuthApi.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
        ClientAddress.Of(http),
        _ => new FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1) }));
    var publicPerMinute = builder.Configuration.GetValue("RateLimits:PublicPerMinute", 60);
    o.AddPolicy(TallyApi.PublicRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
        ClientAddress.Of(http),
        _ => new FixedWindowRateLimiterOptions { PermitLimit = publicPerMinute, Window = TimeSpan.FromMinutes(1) }));
    o.OnRejected = (context, _) => new ValueTask(Problems.Of(429, "rateLimited", "请求过于频繁，请稍后再试。", "Too many requests; please wait a moment.")
        .ExecuteAsync(context.HttpContext));
});

// Errors are Problem Details in zh-CN or en; JSON keeps Chinese readable and enums in camelCase.
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Apply);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    foreach (var converter in DateRange.Converters) o.SerializerOptions.Converters.Add(converter); // dates outside 2000–2100: 400
    o.SerializerOptions.Converters.Add(new UserText.Converter()); // no bidi overrides in people's text
});
// Every operation lists the problems it answers (ProblemResponses: declared per endpoint, the shared ones added here).
builder.Services.AddOpenApi(o => o.AddOperationTransformer(ProblemResponses.Transform)
    .AddSchemaTransformer(ProblemResponses.DescribeProblemMembers).AddSchemaTransformer(UserText.DescribeStrings));
builder.Services.AddDeliberateHealthChecks();
builder.Services.AddBrowserAppCompression(); // Brotli/gzip, not for answers with secrets (Api/BrowserApp.cs)
builder.Services.AddDeliberateTelemetry(builder.Configuration);

var app = builder.Build();

if (AuditCommand.Matches(args)) return await AuditCommand.RunAsync(app.Services, args); // a command, not the server

app.Services.GetRequiredService<AuditKey>(); // a missing key stops the server here, not at its first write
if (AdminCommand.Matches(args)) return await AdminCommand.RunAsync(app.Services, args); // the first administrator, then exit
demo.Announce(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Deliberate.Startup"));
await app.Services.PrepareDatabaseAsync(); // migrations, shipped workflows, demo data
await KeyProtection.ApplyAsync(app.Services); // says how the session keys are protected; drops unencrypted old ones

// First the real client address and scheme (from configured proxies only); then the language, so that even the
// error handlers answer in it.
app.UseDeliberateForwardedHeaders(proxiesConfigured);
app.UseRequestLocalization(new RequestLocalizationOptions()
    .SetDefaultCulture("zh-CN").AddSupportedCultures("zh-CN", "en").AddSupportedUICultures("zh-CN", "en"));
app.UseBrowserAppCompression(); // before the error handlers, so that problems are compressed too
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.MapMetrics();
app.UseBrowserAppFiles(); // the browser app, built from src/web into webapp/: precompressed, hashed files cached for good
app.UseBrowserAppPages();
if (database.Provider == DatabaseProvider.Sqlite) app.UseSqliteConnectionPerRequest();
app.UseAuthentication();
app.UseSessionCheck();
app.UseCsrfHeaderCheck();
app.UseRateLimiter();
app.UseAuthorization();

app.MapOpenApi();
app.MapScalarApiReference("/api-reference", o => o.DefaultFonts = false); // no fonts from Scalar's CDN (the CSP allows none)
app.MapDeliberateHealth();

app.MapAuthApi();
app.MapUsersApi();
app.MapOrganisationApi();
app.MapOrgAdminApi();
app.MapMattersApi();
app.MapMeetingsApi();
app.MapConsultationsApi();
app.MapTasksApi();
app.MapWorkflowDefinitionsApi();
app.MapWorkflowInstancesApi();
app.MapBallotsApi();
app.MapTallyApi();
app.MapNoticesApi();
app.MapCommunitySettingsApi();
app.MapBodiesApi();
app.MapRulesOfProcedureApi();
app.MapWorkItemsApi();
app.MapRatingsApi();
app.MapMeasuresApi();
app.MapAuditApi();
app.MapMinutesApi();
app.MapNotificationsApi();
app.MapGroupRobotsApi();
app.MapReviewCyclesApi();
app.MapRegisterApi();
app.MapLedgersApi();
app.MapSignUpApi();
app.MapClaimsApi();
app.MapLettersApi();

await app.RunAsync();
return 0;

public partial class Program;
