using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Deliberate.Server.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Which database, from configuration: <c>Database:Provider</c> (sqlite | postgres) and <c>ConnectionStrings:Deliberate</c>.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=data/deliberate.db";

    public static DatabaseSettings From(IConfiguration config)
    {
        var provider = (config["Database:Provider"] ?? "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException($"Database:Provider '{other}' is not sqlite or postgres."),
        };
        var connection = config.GetConnectionString("Deliberate");
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (provider == DatabaseProvider.Postgres)
                throw new InvalidOperationException("ConnectionStrings:Deliberate is required for PostgreSQL.");
            connection = DefaultSqlite;
        }
        if (provider == DatabaseProvider.Postgres) connection = TunePostgres(connection);
        return new DatabaseSettings(provider, connection);
    }

    /// <summary>
    /// Pool settings for PostgreSQL, unless the connection string gives its own. No Reset On Close: Npgsql would
    /// otherwise send DISCARD ALL each time EF Core hands a connection back (several times a request), and
    /// throw away the prepared statements with it; Deliberate keeps no session state (its advisory locks are
    /// transaction-scoped), so there is nothing to reset. Max Auto Prepare: statements that repeat are parsed
    /// and planned once per connection instead of every time.
    /// </summary>
    static string TunePostgres(string connection)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connection };
        var given = builder.Keys.Cast<string>().Select(key => key.Replace(" ", "").ToLowerInvariant()).ToHashSet();
        if (!given.Contains("noresetonclose")) builder["No Reset On Close"] = "true";
        if (!given.Contains("maxautoprepare")) builder["Max Auto Prepare"] = "64";
        return builder.ConnectionString;
    }

    /// <summary>The SQLite file, made absolute, with its folder created.</summary>
    public string? SqliteFile()
    {
        if (Provider != DatabaseProvider.Sqlite) return null;
        var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") return null;
        var full = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }
}

public static class DatabaseSetup
{
    public static DatabaseSettings AddDeliberateDatabase(this IServiceCollection services, IConfiguration config)
    {
        var settings = DatabaseSettings.From(config);
        services.AddSingleton(settings);
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            var file = settings.SqliteFile();
            var connection = file is null ? settings.ConnectionString
                : new SqliteConnectionStringBuilder(settings.ConnectionString) { DataSource = file }.ToString();
            services.AddDbContextPool<DeliberateDbContext, SqliteDeliberateDbContext>(o => o
                .UseSqlite(connection)
                .AddInterceptors(new SqlitePragmas()));
        }
        else
        {
            services.AddDbContextPool<DeliberateDbContext, PostgresDeliberateDbContext>(o => o.UseNpgsql(settings.ConnectionString));
        }
        return settings;
    }

    /// <summary>
    /// SQLite: one open connection for each API request. Left to itself EF Core opens and closes the connection
    /// around every query, and each open of a SQLite connection takes the pool's lock and registers EF Core's SQL
    /// functions anew (and each close removes them): a tenth of a vote's CPU time. PostgreSQL's pool is cheap to
    /// open, and there a connection held through the whole request would only shrink the pool, so it is left as is.
    /// </summary>
    public static IApplicationBuilder UseSqliteConnectionPerRequest(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        await http.RequestServices.GetRequiredService<DeliberateDbContext>().OnOpenConnectionAsync(async () =>
        {
            await next(http);
            return true;
        });
    });

    /// <summary>
    /// Runs <paramref name="work"/> with the context's connection held open, so that its queries and saves share it
    /// (EF Core counts the opens: inside another open it stays open after). For SQLite, where each open is costly.
    /// </summary>
    public static async Task<T> OnOpenConnectionAsync<T>(this DeliberateDbContext db, Func<Task<T>> work, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Brings the schema up to date (real migrations for each provider).</summary>
    public static async Task MigrateAsync(DeliberateDbContext db, CancellationToken ct = default)
    {
        if (db.UsesSqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct); // readers never wait for the writer
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// Per-connection SQLite settings: WAL makes NORMAL sync durable enough and much faster. Pooled
    /// connections keep their native handle, so each handle is set once, not at every open.
    /// (EF Core itself turns foreign keys on.)
    /// </summary>
    sealed class SqlitePragmas : DbConnectionInterceptor
    {
        static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Done = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        static void Apply(DbConnection connection)
        {
            if (connection is not SqliteConnection { Handle: { } handle } || Done.TryGetValue(handle, out _)) return;
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
            Done.AddOrUpdate(handle, handle);
        }
    }
}

public static class DatabasePreparation
{
    /// <summary>At start-up: migrate, publish the shipped workflows, and seed the demo data when asked.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<DeliberateDbContext>();
        var log = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Deliberate.Startup");
        await DatabaseSetup.MigrateAsync(db, ct);
        await Voting.BallotBoxes.SealLegacyChoicesAsync(db, log, ct); // issue 15 §8: open ballots' per-vote choice rows into their sealed box
        await WorkflowHosting.ShippedWorkflows.ImportAsync(db, provider.GetRequiredService<WorkflowHosting.WorkflowPlans>(),
            provider.GetRequiredService<TimeProvider>(), log, ct);
        if (provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Identity.DemoOptions>>().Value.Enabled)
            await DemoData.SeedAsync(db, provider.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Identity.User>>(),
                provider.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
    }
}
