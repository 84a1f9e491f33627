using System.Collections.Concurrent;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Register;

/// <summary>
/// Previews kept on the server for <see cref="Lifetime"/> under an id, for the one who made them: apply applies exactly the
/// rows that were previewed. One per server node (a restart or another node forgets them: preview again).
/// </summary>
public sealed class RegisterPreviews(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    readonly ConcurrentDictionary<Guid, (Guid UserId, DateTimeOffset Expires, RegisterPlan Plan)> previews = new();

    public Guid Keep(Guid userId, RegisterPlan plan)
    {
        var now = clock.GetUtcNow();
        foreach (var old in previews.Where(p => p.Value.Expires <= now)) previews.TryRemove(old.Key, out _);
        var id = Guid.CreateVersion7(now);
        previews[id] = (userId, now + Lifetime, plan);
        return id;
    }

    public RegisterPlan? Find(Guid id, Guid userId) =>
        previews.TryGetValue(id, out var p) && p.UserId == userId && p.Expires > clock.GetUtcNow() ? p.Plan : null;

    /// <summary>Taken once: an applied preview cannot be applied again.</summary>
    public void Forget(Guid id) => previews.TryRemove(id, out _);
}

/// <summary>Writes a previewed plan into the register in one transaction, or nothing.</summary>
public static class RegisterApply
{
    public static async Task<RegisterImport> ApplyAsync(DeliberateDbContext db, RegisterPlan plan, Guid userId, DateTimeOffset now,
        CancellationToken ct)
    {
        if (plan.Problems.Count > 0)
            throw new DomainRuleException(409, "registerHasProblems", $"预览中还有 {plan.Problems.Count} 个问题，请修改表格后重新预览。",
                $"The preview has {plan.Problems.Count} problem(s); correct the file and preview it again.");
        var community = await db.OrgUnits.FirstAsync(o => o.Id == plan.CommunityId, ct);
        var last = await db.RegisterImports.Where(i => i.CommunityId == community.Id).MaxAsync(i => (int?)i.Sequence, ct) ?? 0;
        if (last != plan.BaseSequence) throw Changed();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var buildings = await db.OrgUnits.Where(o => o.Level == OrgLevel.Building && o.Path.StartsWith(community.Path)).ToListAsync(ct);
        var buildingByName = buildings.GroupBy(b => b.Name).ToDictionary(g => g.Key, g => g.First());
        if (plan.NewBuildings.Count > 0)
        {
            var grid = await db.OrgUnits.FirstAsync(o => o.Id == plan.GridId, ct);
            foreach (var name in plan.NewBuildings.Where(n => !buildingByName.ContainsKey(n)))
            {
                var building = new OrgUnit(Guid.CreateVersion7(now), OrgLevel.Building, name, grid);
                db.OrgUnits.Add(building);
                buildingByName[name] = building;
            }
        }
        var buildingIds = buildings.Select(b => b.Id).ToList();
        var units = await db.PropertyUnits.Include(u => u.Owners).ThenInclude(o => o.Owner).Where(u => buildingIds.Contains(u.BuildingId))
            .ToListAsync(ct);
        var unitByKey = units.ToDictionary(u => (u.BuildingId, u.Number));
        // Owners already on the community's register, by the register's identity (name + phone + ID last four): not duplicated.
        var ownerIds = units.SelectMany(u => u.Owners.Select(o => o.OwnerId)).Distinct().ToList();
        var owners = new Dictionary<OwnerKey, Owner>();
        foreach (var chunk in ownerIds.Chunk(1000))
            foreach (var o in await db.Owners.Where(o => chunk.Contains(o.Id)).ToListAsync(ct))
                owners.TryAdd(new OwnerKey(o.Name, o.Phone ?? "", o.IdLast4 ?? ""), o);
        Owner OwnerFor(OwnerKey key, bool developer)
        {
            if (owners.TryGetValue(key, out var owner)) return owner;
            owner = new Owner(Guid.CreateVersion7(now), key.Name, developer);
            owner.Identify(key.Phone.Length > 0 ? key.Phone : null, key.IdLast4.Length > 0 ? key.IdLast4 : null);
            db.Owners.Add(owner);
            return owners[key] = owner;
        }

        var kept = new HashSet<Guid>();
        var ownersChanged = new List<Guid>();
        foreach (var planned in plan.Units)
        {
            var building = buildingByName[planned.Building];
            if (!unitByKey.TryGetValue((building.Id, planned.Number), out var unit))
            {
                unit = new PropertyUnit(Guid.CreateVersion7(now), building.Id, planned.Number, planned.Area, planned.DeveloperUnsold);
                db.PropertyUnits.Add(unit);
            }
            else unit.Revise(planned.Area, planned.DeveloperUnsold);
            unit.Locate(planned.Entrance, planned.Room);
            kept.Add(unit.Id);
            var want = new HashSet<Guid>();
            foreach (var key in planned.Owners)
            {
                // The unit's owner of the same name stays the same person (their account stays linked): a new phone or ID digits
                // update that Owner row in place (the audit log keeps the old values). Only another name is a change of owner.
                var same = unit.Owners.Select(o => o.Owner).FirstOrDefault(o => o is not null && o.Name == key.Name && !want.Contains(o.Id));
                if (same is null)
                {
                    want.Add(OwnerFor(key, planned.DeveloperUnsold).Id);
                    continue;
                }
                var phone = key.Phone.Length > 0 ? key.Phone : null;
                var idLast4 = key.IdLast4.Length > 0 ? key.IdLast4 : null;
                if (same.Phone != phone || same.IdLast4 != idLast4)
                {
                    owners.Remove(new OwnerKey(same.Name, same.Phone ?? "", same.IdLast4 ?? ""));
                    same.Identify(phone, idLast4);
                    owners.TryAdd(key, same);
                }
                want.Add(same.Id);
            }
            // A change of owner (过户): ballots already announced keep their snapshot (BallotUnits); new ones see the new owners.
            var gone = unit.Owners.Where(o => !want.Contains(o.OwnerId)).ToList();
            foreach (var ownership in gone)
            {
                unit.Owners.Remove(ownership);
                db.UnitOwnerships.Remove(ownership);
            }
            var added = want.Where(id => unit.Owners.All(o => o.OwnerId != id)).ToList();
            foreach (var id in added) unit.Owners.Add(new UnitOwnership(unit.Id, id));
            // A letter names the owners of its unit when printed: once they change, its unused letters stop working.
            if (gone.Count > 0 || added.Count > 0) ownersChanged.Add(unit.Id);
        }
        foreach (var unit in units.Where(u => !kept.Contains(u.Id))) unit.Retire(now);

        var record = new RegisterImport(Guid.CreateVersion7(now), community.Id, last + 1, userId, now, plan.FileName, plan.Added, plan.Changed,
            plan.Removed, plan.Totals.Units, plan.Totals.Heads, plan.Totals.Area);
        db.RegisterImports.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
            foreach (var chunk in ownersChanged.Chunk(1000))
                await db.ActivationLetters.Where(l => chunk.Contains(l.UnitId) && l.UsedAt == null && l.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another apply on the same register got its number first (the unique (community, sequence)): nothing of this one stays.
            throw Changed();
        }
        return record;
    }

    static DomainRuleException Changed() => new(409, "registerChanged", "业主名册在预览之后已被他人导入更新，请重新上传预览。",
        "The register was changed by another import since this preview; upload the file again to preview it.");
}
