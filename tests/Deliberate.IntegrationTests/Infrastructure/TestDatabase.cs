using Microsoft.Data.Sqlite;
using Npgsql;

namespace Deliberate.IntegrationTests.Infrastructure;

/// <summary>
/// Where a test's database lives. The provider comes from DELIBERATE_TEST_DB (sqlite, the default,
/// or postgres with DELIBERATE_TEST_PG as the server's connection string). Each test gets a fresh
/// copy of a template that was migrated and seeded once per run: a file copy for SQLite,
/// CREATE DATABASE … TEMPLATE for PostgreSQL.
/// </summary>
public static class TestDatabase
{
    public static string Provider { get; } = (Environment.GetEnvironmentVariable("DELIBERATE_TEST_DB") ?? "sqlite").ToLowerInvariant();
    public static bool IsPostgres => Provider == "postgres";

    static readonly string RunId = Guid.NewGuid().ToString("N")[..10];
    static readonly string Root = Path.Combine(Path.GetTempPath(), "deliberate-tests", RunId);
    static readonly SemaphoreSlim TemplateLock = new(1, 1);
    static string? template;

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("DELIBERATE_TEST_PG")
        ?? throw new InvalidOperationException(
            "DELIBERATE_TEST_DB=postgres needs DELIBERATE_TEST_PG, the connection string of a PostgreSQL server " +
            "(scripts/postgres.sh start prints one). The PostgreSQL run does not skip itself.");

    /// <summary>The audit key of this run's servers on PostgreSQL (on SQLite each server finds audit.key beside its file, in the same
    /// folder).</summary>
    public static string AuditKeyPath => Path.Combine(Root, "audit.key");

    /// <summary>The audit key of SQLite servers that are not demos: outside the databases' folder, as the server demands.</summary>
    public static string SqliteOperatorKeyPath => Path.Combine(Root + "-keys", "audit.key");

    /// <summary>Where the server over this database records its audit chain's heads.</summary>
    public static string AnchorPathOf(string connectionString) => IsPostgres
        ? Path.Combine(Root, new NpgsqlConnectionStringBuilder(connectionString).Database + ".audit-anchors")
        : Path.ChangeExtension(new SqliteConnectionStringBuilder(connectionString).DataSource, ".audit-anchors");

    /// <summary>A connection string to a new database holding the migrated, seeded template.</summary>
    public static async Task<string> CreateAsync()
    {
        var source = await TemplateAsync();
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        if (IsPostgres)
        {
            await using var admin = new NpgsqlConnection(Server("postgres"));
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {source}", admin);
            await create.ExecuteNonQueryAsync();
            return Server(name);
        }
        var file = Path.Combine(Root, name + ".db");
        File.Copy(source, file);
        return new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
    }

    public static async Task DropAsync(string connectionString)
    {
        if (IsPostgres)
        {
            var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Server("postgres"));
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            File.Delete(AnchorPathOf(connectionString));
            return;
        }
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        foreach (var path in new[] { file, file + "-wal", file + "-shm", Path.ChangeExtension(file, ".quartz.db"),
            Path.ChangeExtension(file, ".audit-anchors") })
            try { File.Delete(path); } catch (IOException) { /* still open by a late finaliser; the folder is temporary */ }
    }

    /// <summary>Creates the template once: an app started on an empty database migrates it and seeds the demo data.</summary>
    static async Task<string> TemplateAsync()
    {
        if (template is not null) return template;
        await TemplateLock.WaitAsync();
        try
        {
            if (template is not null) return template;
            Directory.CreateDirectory(Root);
            string connection, result;
            if (IsPostgres)
            {
                var name = "tmpl_" + RunId;
                await using (var admin = new NpgsqlConnection(Server("postgres")))
                {
                    await admin.OpenAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                    await create.ExecuteNonQueryAsync();
                }
                connection = Server(name);
                result = name;
            }
            else
            {
                result = Path.Combine(Root, "template.db");
                connection = new SqliteConnectionStringBuilder { DataSource = result, Pooling = false }.ToString();
            }
            await using (var app = new DeliberateApp(connection))
                await app.StartAsync(); // migrations, shipped workflows, demo data
            if (IsPostgres) NpgsqlConnection.ClearAllPools(); // a template may have no open connections
            else
            {
                // Fold the WAL into the file, so that a plain copy is the whole database.
                await using var sqlite = new SqliteConnection(connection);
                await sqlite.OpenAsync();
                await using var checkpoint = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE);", sqlite);
                await checkpoint.ExecuteNonQueryAsync();
            }
            template = result;
            return result;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    static string Server(string database) => new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database, Pooling = true }.ToString();
}
