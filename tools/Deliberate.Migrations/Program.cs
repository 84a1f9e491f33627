// Scaffolds EF Core migrations for SQLite and PostgreSQL into src/Deliberate.Server/Data/Migrations/.
//   dotnet run --project tools/Deliberate.Migrations -- add <Name>
//   dotnet run --project tools/Deliberate.Migrations -- remove
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args is not (["add", _] or ["remove"]))
{
    Console.Error.WriteLine("usage: add <MigrationName> | remove");
    return 2;
}

var serverDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Deliberate.Server"));
if (!File.Exists(Path.Combine(serverDir, "Deliberate.Server.csproj")))
{
    Console.Error.WriteLine($"Cannot find the server project at {serverDir}.");
    return 1;
}

var providers = new (string Folder, Func<DeliberateDbContext> Create, IDesignTimeServices Design)[]
{
    ("Sqlite",
        () => new SqliteDeliberateDbContext(new DbContextOptionsBuilder<SqliteDeliberateDbContext>().UseSqlite("Data Source=:memory:").Options),
        new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices()),
    ("Postgres",
    () => new PostgresDeliberateDbContext(new DbContextOptionsBuilder<PostgresDeliberateDbContext>().UseNpgsql("Host=localhost").Options),
        new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices()),
};

foreach (var (folder, create, design) in providers)
{
    using var db = create();
    var services = new ServiceCollection();
    services.AddEntityFrameworkDesignTimeServices();
    services.AddDbContextDesignTimeServices(db);
    design.ConfigureDesignTimeServices(services);
    var scaffolder = services.BuildServiceProvider().GetRequiredService<IMigrationsScaffolder>();

    if (args[0] == "add")
    {
        var migration = scaffolder.ScaffoldMigration(args[1], "Deliberate.Server", $"Data.Migrations.{folder}", "C#");
        var files = scaffolder.Save(serverDir, migration, Path.Combine(serverDir, "Data", "Migrations", folder));
        Console.WriteLine($"{folder}: {Path.GetRelativePath(serverDir, files.MigrationFile!)}");
    }
    else
    {
        var files = scaffolder.RemoveMigration(serverDir, "Deliberate.Server", force: true, "C#");
        Console.WriteLine($"{folder}: removed {Path.GetFileName(files.MigrationFile)}");
    }
}
return 0;
