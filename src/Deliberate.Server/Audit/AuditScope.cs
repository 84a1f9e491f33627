using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Deliberate.Server.Audit;

/// <summary>
/// Finds the organisation node an audited row belongs to: an org unit is its own node; a row with a foreign key to an org unit
/// (OrgUnitId, CommunityId, GridId, BuildingId, …) belongs to that node, the most specific one when it has several; any other row
/// belongs to its parent's node (a vote to its ballot's, an agenda item to its meeting's), up to <see cref="MaxHops"/> parents up.
/// Accounts are in no node: a user's rows (sessions, notifications) are never traced through the user.
/// Rows of this save are read from the change tracker; others are read untracked, so nothing the request tracks is disturbed.
/// </summary>
sealed class AuditScope(DeliberateDbContext db)
{
    const int MaxHops = 3;

    /// <summary>Node foreign keys preferred in this order (most specific first); others after.</summary>
    static readonly string[] Specificity = ["BuildingId", "GridId", "OrgUnitId", "CommunityId"];

    readonly Dictionary<(Type, string), Guid?> known = [];

    public Task<Guid?> NodeOfAsync(EntityEntry row, CancellationToken ct) => NodeOfAsync(row, MaxHops, ct);

    async Task<Guid?> NodeOfAsync(IEntityType type, Func<string, object?> value, int hops, CancellationToken ct)
    {
        if (type.ClrType == typeof(OrgUnit)) return value(nameof(OrgUnit.Id)) as Guid?;
        var foreignKeys = type.GetForeignKeys().Where(fk => fk.Properties.Count == 1 && fk.PrincipalKey.IsPrimaryKey()).ToList();
        var toNode = foreignKeys.Where(fk => fk.PrincipalEntityType.ClrType == typeof(OrgUnit))
            .OrderBy(fk => Array.IndexOf(Specificity, fk.Properties[0].Name) is var i and >= 0 ? i : Specificity.Length);
        foreach (var fk in toNode)
            if (value(fk.Properties[0].Name) is Guid node) return node;
        if (hops == 0) return null;
        foreach (var fk in foreignKeys)
        {
            var principal = fk.PrincipalEntityType;
            if (principal.ClrType == typeof(OrgUnit) || principal.ClrType == typeof(User) || value(fk.Properties[0].Name) is not { } key) continue;
            var cacheKey = (principal.ClrType, $"{key}");
            if (!known.TryGetValue(cacheKey, out var found))
            {
                found = await PrincipalNodeAsync(principal, fk.PrincipalKey.Properties[0], key, hops - 1, ct);
                known[cacheKey] = found;
            }
            if (found is not null) return found;
        }
        return null;
    }

    async Task<Guid?> PrincipalNodeAsync(IEntityType type, IProperty keyProperty, object key, int hops, CancellationToken ct)
    {
        var (tracked, loaded) = await ((Task<(EntityEntry?, object?)>)FindMethod.MakeGenericMethod(type.ClrType).Invoke(null, [db, key, ct])!);
        if (tracked is not null) return await NodeOfAsync(tracked, hops, ct);
        if (loaded is null) return null;
        return await NodeOfAsync(type, name => type.FindProperty(name) is { PropertyInfo: not null } p ? p.GetGetter().GetClrValue(loaded) : null,
            hops, ct);
    }

    Task<Guid?> NodeOfAsync(EntityEntry row, int hops, CancellationToken ct)
    {
        var current = row.State != EntityState.Deleted;
        return NodeOfAsync(row.Metadata, name => current ? row.Property(name).CurrentValue : row.Property(name).OriginalValue, hops, ct);
    }

    static readonly System.Reflection.MethodInfo FindMethod =
        typeof(AuditScope).GetMethod(nameof(FindAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    /// <summary>The row with this primary key: tracked by this save, or else read untracked.</summary>
    static async Task<(EntityEntry?, object?)> FindAsync<T>(DeliberateDbContext db, object key, CancellationToken ct) where T : class
    {
        if (db.Set<T>().Local.FindEntryUntyped([key]) is { } tracked) return (tracked, null);
        var keyName = db.Model.FindEntityType(typeof(T))!.FindPrimaryKey()!.Properties[0].Name;
        return (null, await db.Set<T>().AsNoTracking().Where(e => EF.Property<object>(e, keyName) == key).FirstOrDefaultAsync(ct));
    }
}
