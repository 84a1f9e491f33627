using System.Text.Json.Nodes;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>
/// Base of the HTTP tests: every test (xunit makes a new instance per test) gets its own server over
/// its own fresh database, so nothing depends on another test or on order.
/// </summary>
public abstract class AppTest : IAsyncLifetime
{
    protected DeliberateApp App { get; private set; } = null!;

    /// <summary>Settings for this class's server (override to change demo mode, limits...).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();
    protected virtual TimeProvider? Clock => null;

    public async Task InitializeAsync()
    {
        App = new DeliberateApp(await TestDatabase.CreateAsync(), Settings, Clock);
        await App.StartAsync();
    }

    public async Task DisposeAsync()
    {
        var connection = App.ConnectionString;
        await App.DisposeAsync();
        await TestDatabase.DropAsync(connection);
    }

    protected Task<HttpClient> As(string userName, string? language = null) => App.SignInAsync(userName, language);

    protected static readonly Guid XingfuliGrid1 = DemoData.Ids.XingfuliGrid1;
    protected static readonly Guid XingfuliGrid2 = DemoData.Ids.XingfuliGrid2;
    protected static readonly Guid HepingGrid1 = DemoData.Ids.HepingGrid1;

    /// <summary>Raises a matter as <paramref name="client"/> and returns it.</summary>
    protected static Task<JsonNode> RaiseAsync(HttpClient client, string title = "3号楼门口路灯不亮", Guid? grid = null, bool anonymous = false) =>
        client.PostJsonAsync("/api/matters", new
        {
            title,
            description = "晚上很黑，老人出行不便",
            category = "facilities",
            gridId = grid ?? XingfuliGrid1,
            anonymous,
        });

    /// <summary>The caller's open task for the matter (there must be exactly one).</summary>
    protected static async Task<JsonNode> OpenTaskAsync(HttpClient client, string matterId)
    {
        var tasks = (await client.GetJsonAsync($"/api/tasks?matterId={matterId}"))["items"]!.AsArray();
        Assert.True(tasks.Count == 1, $"Expected one open task for the matter, found {tasks.Count}.");
        return tasks[0]!;
    }

    /// <summary>Completes the caller's open task for the matter.</summary>
    protected static async Task<JsonNode> CompleteAsync(HttpClient client, string matterId, string outcome, object? values = null)
    {
        var task = await OpenTaskAsync(client, matterId);
        return await client.PostJsonAsync($"/api/tasks/{task["id"]}/complete", new { outcome, values = values ?? new { } });
    }

    /// <summary>
    /// Does what the scheduler does at <paramref name="now"/> (the fake clock's time): resumes the timer
    /// bookmarks that are due, and runs the domain deadlines that are due, each in its own scope.
    /// </summary>
    protected async Task RunDueAsync(DateTimeOffset now)
    {
        List<Guid> timers;
        await using (var scope = App.Services.CreateAsyncScope())
            timers = await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Bookmarks
                .Where(b => b.DueAt != null && b.DueAt <= now).Select(b => b.Id).ToListAsync();

        foreach (var id in timers)
        {
            await using var scope = App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().ResumeAsync(id, null, Actor.System);
        }
        List<(string Kind, Guid Id)> due = [];
        await using (var scope = App.Services.CreateAsyncScope())
            foreach (var handler in scope.ServiceProvider.GetServices<IDeadlineHandler>())
                due.AddRange((await handler.PendingAsync(now, CancellationToken.None)).Where(d => d.At <= now).Select(d => (handler.Kind, d.Id)));
        foreach (var (kind, id) in due)
        {
            await using var scope = App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == kind).HandleAsync(id, CancellationToken.None);
        }
    }

    /// <summary>
    /// What the server holds about the workflows and notices, for a failure message: every notice, bookmark, instance
    /// (status, state with its incidents) and journal line — what a flaky step needs to be understood.
    /// </summary>
    protected async Task<string> DiagnosticsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var text = new System.Text.StringBuilder($"now {now:O}\n");
        foreach (var n in (await db.Notices.AsNoTracking().ToListAsync()).OrderBy(n => n.PostedAt))
            text.AppendLine($"notice {n.Kind} {n.PostedAt:O}..{n.PostedUntil:O} matter={n.MatterId} ballot={n.BallotId} {n.Title}");
        foreach (var b in await db.Bookmarks.AsNoTracking().ToListAsync())
            text.AppendLine($"bookmark {b.Name} {b.ActivityId} corr={b.Correlation} due={b.DueAt:O} instance={b.InstanceId}");
        foreach (var i in await db.WorkflowInstances.AsNoTracking().ToListAsync())
            text.AppendLine($"instance {i.Id} {i.DefinitionId} {i.Status} state={i.StateJson}");
        foreach (var j in (await db.WorkflowJournal.AsNoTracking().ToListAsync()).OrderBy(j => j.InstanceId).ThenBy(j => j.Sequence))
            text.AppendLine($"journal {j.InstanceId} {j.Sequence} {j.At:O} {j.Event} {j.ActivityId} {j.Outcome} {j.DataJson}");
        return text.ToString();
    }

    protected static async Task<string> StepOfAsync(HttpClient client, string matterId) =>
        (await client.GetJsonAsync($"/api/matters/{matterId}"))["step"]!.GetValue<string>();
}
