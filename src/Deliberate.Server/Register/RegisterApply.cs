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

/// <summary>
/// Writes a previewed plan into the register in one transaction, or nothing. The units are written in batches of
/// <see cref="BatchSize"/> — saved, then forgotten by the context — so that a 50,000-unit register does not hold every unit, owner
/// and audit entry in memory at once (tester, issue 18: 1 GB); the transaction still makes it all or nothing.
/// </summary>
public static class RegisterApply
{
    // 1,000 units a save: a 50,000-unit register applied with +72–90 MB of working set (bench `register`); 5,000 a save
    // took +220 MB and was no faster for a 5,000-unit estate (5.19 s against 5.14 s).
    public const int BatchSize = 1000;

    public static async Task<RegisterImport> ApplyAsync(DeliberateDbContext db, RegisterPlan plan, Guid userId, DateTimeOffset now,
        CancellationToken ct, int? confirmedRemovals = null)
    {
        if (plan.Problems.Count > 0)
            throw new DomainRuleException(409, "registerHasProblems", $"预览中还有 {plan.Problems.Count} 个问题，请修改表格后重新预览。",
                $"The preview has {plan.Problems.Count} problem(s); correct the file and preview it again.");
        if (plan.RemovalsNeedConfirmation && confirmedRemovals != plan.Removed)
            throw new DomainRuleException(409, "registerConfirmRemovals",
                $"将注销 {plan.Removed:N0} 套房屋（占在册房屋的 {plan.RemovedPercent:0.#}%）。重新导入按整个社区比对，文件中没有的房屋都会注销。"
                    + "如确需注销，请确认后再导入。",
                $"This import retires {plan.Removed:N0} unit(s) ({plan.RemovedPercent:0.#}% of the units in service): a re-import is compared "
                    + "with the whole community and retires every unit the file lacks. Confirm the number to apply it.");
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == plan.CommunityId, ct);
        var last = await db.RegisterImports.Where(i => i.CommunityId == community.Id).MaxAsync(i => (int?)i.Sequence, ct) ?? 0;
        if (last != plan.BaseSequence) throw Changed();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var record = await WriteAsync(db, plan, community, last, userId, now, ct);
            await transaction.CommitAsync(ct);
            return record;
        }
        catch (DbUpdateException)
        {
            // Another apply on the same register got its number first (the unique (community, sequence)): nothing of this one stays.
            throw Changed();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    static async Task<RegisterImport> WriteAsync(DeliberateDbContext db, RegisterPlan plan, OrgUnit community, int last, Guid userId,
        DateTimeOffset now, CancellationToken ct)
    {
        // The import's number first: a second apply built on the same register is refused before it writes anything else.
        var record = new RegisterImport(Guid.CreateVersion7(now), community.Id, last + 1, userId, now, plan.FileName, plan.Added, plan.Changed,
            plan.Removed, plan.Totals.Units, plan.Totals.Heads, plan.Totals.Area);
        db.RegisterImports.Add(record);

        var buildings = await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Building && o.Path.StartsWith(community.Path))
            .Select(o => new RegisterPlan.BuildingName(o.Id, o.Name, o.RetiredAt != null)).ToListAsync(ct);
        var buildingByName = RegisterPlan.ByName(buildings);
        if (plan.Units.Any(u => buildingByName.TryGetValue(u.Building, out var b) && b is null)) throw Changed(); // made ambiguous since
        if (plan.NewBuildings.Count > 0)
        {
            var grid = await db.OrgUnits.FirstAsync(o => o.Id == plan.GridId, ct);
            foreach (var name in plan.NewBuildings.Where(n => !buildingByName.ContainsKey(n)))
            {
                var building = new OrgUnit(Guid.CreateVersion7(now), OrgLevel.Building, name, grid);
                db.OrgUnits.Add(building);
                buildingByName[name] = building.Id;
            }
        }
        await SaveAsync(db, ct);

        // The register in force, small: each unit's key and whether it is in service; its rows are read batch by batch.
        var buildingIds = buildings.Select(b => b.Id).ToList();
        var existing = await db.PropertyUnits.AsNoTracking().Where(u => buildingIds.Contains(u.BuildingId))
            .Select(u => new { u.Id, u.BuildingId, u.Number, Retired = u.RetiredAt != null }).ToListAsync(ct);
        var unitByKey = new Dictionary<(Guid, string), Guid>();
        foreach (var u in existing.OrderBy(u => u.Retired)) unitByKey.TryAdd((u.BuildingId, u.Number), u.Id);
        // Owners already on the community's register, by the register's identity (name + phone + ID last four): not duplicated.
        var owners = new Dictionary<OwnerKey, Guid>();
        var communityUnits = db.PropertyUnits.Where(u => buildingIds.Contains(u.BuildingId)).Select(u => u.Id);
        foreach (var o in await db.UnitOwnerships.AsNoTracking().Where(o => communityUnits.Contains(o.UnitId))
                     .Select(o => new { o.Owner!.Id, o.Owner.Name, o.Owner.Phone, o.Owner.IdLast4 }).Distinct().ToListAsync(ct))
            owners.TryAdd(new OwnerKey(o.Name, o.Phone ?? "", o.IdLast4 ?? ""), o.Id);
        Guid OwnerFor(OwnerKey key, bool developer)
        {
            if (owners.TryGetValue(key, out var id)) return id;
            var owner = new Owner(Guid.CreateVersion7(now), key.Name, developer);
            owner.Identify(key.Phone.Length > 0 ? key.Phone : null, key.IdLast4.Length > 0 ? key.IdLast4 : null);
            db.Owners.Add(owner);
            return owners[key] = owner.Id;
        }

        var kept = new HashSet<Guid>();
        var ownersChanged = new List<Guid>();
        foreach (var batch in plan.Units.Chunk(BatchSize))
        {
            var ids = batch.Select(p => unitByKey.TryGetValue((buildingByName[p.Building]!.Value, p.Number), out var id) ? id : Guid.Empty)
                .Where(id => id != Guid.Empty).ToList();
            var loaded = await db.PropertyUnits.Include(u => u.Owners).ThenInclude(o => o.Owner).Where(u => ids.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, ct);
            foreach (var planned in batch)
            {
                var buildingId = buildingByName[planned.Building]!.Value;
                if (!unitByKey.TryGetValue((buildingId, planned.Number), out var unitId) || !loaded.TryGetValue(unitId, out var unit))
                {
                    unit = new PropertyUnit(Guid.CreateVersion7(now), buildingId, planned.Number, planned.Area, planned.DeveloperUnsold);
                    db.PropertyUnits.Add(unit);
                    unitByKey[(buildingId, planned.Number)] = unit.Id;
                }
                else unit.Revise(planned.Area, planned.DeveloperUnsold);
                unit.Locate(planned.Entrance, planned.Room);
                kept.Add(unit.Id);
                if (Reown(db, unit, planned, owners, OwnerFor)) ownersChanged.Add(unit.Id);
            }
            await SaveAsync(db, ct);
        }

        foreach (var chunk in existing.Where(u => !u.Retired && !kept.Contains(u.Id)).Select(u => u.Id).Chunk(BatchSize))
        {
            foreach (var unit in await db.PropertyUnits.Where(u => chunk.Contains(u.Id)).ToListAsync(ct)) unit.Retire(now);
            await SaveAsync(db, ct);
        }
        foreach (var chunk in ownersChanged.Chunk(BatchSize))
            await db.ActivationLetters.Where(l => chunk.Contains(l.UnitId) && l.UsedAt == null && l.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        return record;
    }

    /// <summary>Gives the unit the planned owners; true when they changed.</summary>
    static bool Reown(DeliberateDbContext db, PropertyUnit unit, PlannedUnit planned, Dictionary<OwnerKey, Guid> owners,
        Func<OwnerKey, bool, Guid> ownerFor)
    {
        var want = new HashSet<Guid>();
        foreach (var key in planned.Owners)
        {
            // The unit's owner of the same name stays the same person (their account stays linked): a new phone or ID digits
            // update that Owner row in place (the audit log keeps the old values). Only another name is a change of owner.
            var same = unit.Owners.Select(o => o.Owner).FirstOrDefault(o => o is not null && o.Name == key.Name && !want.Contains(o.Id));
            if (same is null)
            {
                want.Add(ownerFor(key, planned.DeveloperUnsold));
                continue;
            }
            var phone = key.Phone.Length > 0 ? key.Phone : null;
            var idLast4 = key.IdLast4.Length > 0 ? key.IdLast4 : null;
            if (same.Phone != phone || same.IdLast4 != idLast4)
            {
                owners.Remove(new OwnerKey(same.Name, same.Phone ?? "", same.IdLast4 ?? ""));
                same.Identify(phone, idLast4);
                owners.TryAdd(key, same.Id);
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
        return gone.Count > 0 || added.Count > 0;
    }

    /// <summary>Saves a batch and forgets it: the context tracks one batch at a time.</summary>
    static async Task SaveAsync(DeliberateDbContext db, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    static DomainRuleException Changed() => new(409, "registerChanged", "业主名册在预览之后已被他人导入更新，请重新上传预览。",
        "The register was changed by another import since this preview; upload the file again to preview it.");
}
