using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

/// <summary>
/// <c>Deliberate.Server admin create --user NAME --name DISPLAY --node DISTRICT</c>: the first administrator of a new
/// installation. Applies the migrations, finds the node by id or name (creating the district root with that name when the
/// tree is empty), creates the account with <see cref="Role.Admin"/> there and prints its one-time password once; the
/// password must be changed at the first sign-in. Exits without starting the web server: 0 done, 2 bad arguments or refused.
/// </summary>
public static class AdminCommand
{
    public static bool Matches(string[] args) => args.Length >= 2 && args[0] == "admin" && args[1] == "create";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null)
    {
        var console = output ?? Console.Out;
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var userName = Option("--user")?.Trim();
        var displayName = Option("--name")?.Trim();
        var nodeName = Option("--node")?.Trim();
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(displayName) || string.IsNullOrEmpty(nodeName)
            || userName.Length > 64 || displayName.Length > 100 || nodeName.Length > 100)
        {
            console.WriteLine("Usage: Deliberate.Server admin create --user <user name> --name <display name> --node <district name or node id>");
            return 2;
        }
        await services.PrepareDatabaseAsync(); // migrations (and demo data only if demo mode is on)
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        // Unique without regard to case: ADMIN beside admin reads as the same person (sign-in itself stays exact).
        if (await db.Users.AnyAsync(u => u.UserName.ToLower() == userName.ToLower()))
        {
            console.WriteLine($"Refused: the user name \"{userName}\" is taken.");
            return 2;
        }
        OrgUnit? node = Guid.TryParse(nodeName, out var id)
            ? await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == id)
            : (await db.OrgUnits.Where(o => o.Name == nodeName && o.RetiredAt == null).ToListAsync()) switch
            {
                [var one] => one,
                [] => null,
                _ => throw new InvalidOperationException($"More than one node is named \"{nodeName}\": give its id."),
            };
        if (node is null)
        {
            if (await db.OrgUnits.AnyAsync())
            {
                console.WriteLine($"Refused: no node \"{nodeName}\" (the tree is not empty, so no new root is made).");
                return 2;
            }
            node = new OrgUnit(Guid.CreateVersion7(), OrgLevel.District, nodeName, null);
            db.OrgUnits.Add(node);
            console.WriteLine($"Created the district \"{nodeName}\" ({node.Id}).");
        }
        var password = PasswordPolicy.Generate();
        var user = new User(Guid.CreateVersion7(), userName, displayName, "");
        user.SetPassword(scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password), oneTime: true);
        user.Grant(Role.Admin, node.Id);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        console.WriteLine($"Created the administrator \"{userName}\" at \"{node.Name}\" ({node.Id}).");
        console.WriteLine($"One-time password (shown only now; it must be changed at the first sign-in): {password}");
        return 0;
    }
}
