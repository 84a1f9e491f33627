using Deliberate.Server.Data;
using Deliberate.Server.WorkflowHosting;
using Microsoft.Data.Sqlite;
using Quartz;

namespace Deliberate.Server.Scheduling;

/// <summary>
/// Quartz with a persistent store that creates its own schema: a SQLite file beside the main one
/// (so the scheduler's polling never contends with request writes), or the PostgreSQL database,
/// clustered so that one trigger fires on one node.
/// </summary>
public static class SchedulingSetup
{
    /// <param name="runScheduler">
    /// Whether this node fires triggers (<c>Scheduling:Enabled</c>, default true). A node that does not
    /// still schedules them; another node fires them. Tests on a fake clock switch it off and run what
    /// falls due themselves.
    /// </param>
    public static void AddDeliberateScheduling(this IServiceCollection services, DatabaseSettings database, bool runScheduler = true)
    {
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "deliberate";
                o.GenerateInstanceId = true; // one id per node, for clustering
            });
            // Recovery: when a node dies while running one of these jobs, another node of the cluster runs it
            // again (a one-shot trigger would otherwise be gone with it). Both jobs are idempotent.
            q.AddJob<ResumeTimerJob>(job => job.WithIdentity(ResumeTimerJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<DeadlineJob>(job => job.WithIdentity(DeadlineJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<ReviewCycles.ReviewCycleJob>(job => job.WithIdentity(ReviewCycles.ReviewCycleJob.Key).StoreDurably());
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(QuartzSqliteConnection(database));
                }
            });
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = runScheduler;
            // Nothing fires before the host has started: Kestrel listens, /health answers, then the timers that came due
            // while the server was down are resumed (a poisoned instance resumed during start-up took the server down
            // before it ever answered). Quartz's default, said here because the order matters. No further delay: the
            // scheduler check of /health would report the node unready meanwhile; ResumeTimerJob's counted tries are
            // what ends a crash loop.
            o.AwaitApplicationStarted = true;
        });
        // Registered after Quartz's hosted service, so stopped before it: what is still queued is applied first.
        services.AddSingleton(provider => new TriggerHorizon(provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IConfiguration>().GetValue("Scheduling:TriggerHorizon", TimeSpan.FromHours(1))));
        services.AddSingleton<TriggerQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<TriggerQueue>());
        services.AddSingleton<TimerScheduler>();
        services.AddHostedService<TimerReconciler>();
        services.AddSingleton<Deadlines>();
        services.AddHostedService<DeadlineReconciler>();
        services.AddSingleton<ReviewCycles.ReviewCycleScheduler>();
        services.AddScoped<ReviewCycles.ReviewCycleFiring>();
        services.AddHostedService<ReviewCycles.ReviewCycleReconciler>();
    }

    static string QuartzSqliteConnection(DatabaseSettings database)
    {
        var file = database.SqliteFile();
        var quartzFile = file is null ? "quartz.db"
            : Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + ".quartz.db");
        return new SqliteConnectionStringBuilder { DataSource = quartzFile }.ToString();
    }
}
