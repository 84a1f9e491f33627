using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Meetings;
using Deliberate.Server.Voting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Organisation;

/// <summary>A node as its administrators see it; <c>version</c> goes back with each edit of it (see <see cref="OrgUnit.Version"/>).</summary>
public sealed record AdminOrgUnitView(Guid Id, Guid? ParentId, string Level, string Name, DateTimeOffset? RetiredAt, Guid Version);
public sealed record CreateOrgUnitRequest(Guid? ParentId, string? Name);
/// <summary><c>version</c>: the node's version the administrator saw (required).</summary>
public sealed record RenameOrgUnitRequest(string? Name, Guid? Version);
/// <summary><c>version</c>: the node's version the administrator saw (required).</summary>
public sealed record MoveOrgUnitRequest(Guid? ParentId, Guid? Version);
/// <summary>Retire or restore: <c>version</c>, the node's version the administrator saw (required).</summary>
public sealed record OrgUnitVersionRequest(Guid? Version);

/// <summary>
/// The organisation tree as its administrators edit it: create, rename, move, retire, delete. An administrator acts at or
/// below the nodes where they hold <see cref="Role.Admin"/>; other nodes are answered as not found. Matters, meetings,
/// ballots, tasks and roles refer to nodes by id, so they follow a move; only <see cref="OrgUnit.Path"/> is rewritten,
/// for the node and everything below it, in one save guarded by each node's <see cref="OrgUnit.Version"/>. Rename, move,
/// retire and restore carry the version the administrator saw: a node changed since is refused (409 <c>conflict</c>)
/// before anything is saved, and the token catches an edit that lands between that check and the save.
/// </summary>
public static class OrgAdminApi
{
    public static void MapOrgAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/org").WithTags("Administration").RequireRole(Role.Admin);
        group.MapGet("/", List).WithSummary("The nodes the administrator administers, retired ones included.");
        group.MapPost("/", Create).WithSummary("Create a node under one of the administrator's nodes (its level is the next one down).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.NodeRetired, ProblemCodes.NameTaken);
        group.MapPut("/{id:guid}/name", Rename).WithSummary("Rename a node (conflict when it changed since the version sent).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict, ProblemCodes.NameTaken);
        group.MapPost("/{id:guid}/move", Move).WithSummary("Move a node (and everything below it) under another node of the level above.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.Conflict,
                ProblemCodes.LevelOutOfOrder, ProblemCodes.MoveIntoItself, ProblemCodes.NodeRetired, ProblemCodes.NameTaken);
        group.MapPost("/{id:guid}/retire", Retire)
            .WithSummary("Retire a node and everything below it: hidden from pickers and new matters, kept in history.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.NodeInUse, ProblemCodes.Conflict);
        group.MapPost("/{id:guid}/restore", Restore)
            .WithSummary("Restore a retired node with the nodes below it that were retired with it; not while its parent is retired.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.NodeRetired, ProblemCodes.Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a node that has no history at all (otherwise retire it).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound, ProblemCodes.NodeHasHistory);
    }

    static AdminOrgUnitView View(OrgUnit n) => new(n.Id, n.ParentId, n.Level.ToString().ToLowerInvariant(), n.Name, n.RetiredAt, n.Version);

    static async Task<Ok<List<AdminOrgUnitView>>> List(Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var nodes = await db.OrgUnits.AsNoTracking().Under(caller.AdminPaths).ToListAsync(ct);
        return TypedResults.Ok(nodes.OrderBy(n => n.Path.Length).ThenBy(n => n.Name, StringComparer.Ordinal).Select(View).ToList());
    }

    /// <summary>The node, if the caller administers it; <paramref name="strictlyBelow"/>: not one of the caller's own nodes.</summary>
    static async Task<OrgUnit?> FindAsync(DeliberateDbContext db, Caller caller, Guid id, bool strictlyBelow, CancellationToken ct)
    {
        var node = await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (node is null || !caller.AdministersAt(node.Path)) return null;
        if (strictlyBelow && caller.AdminPaths.Contains(node.Path) && !caller.AdminPaths.Any(p => p != node.Path && node.Path.StartsWith(p)))
            return null;
        return node;
    }

    /// <summary>A node to move, retire, restore or delete: below the caller's own nodes; else 404, or 403 for their own node.</summary>
    static async Task<(OrgUnit Node, ProblemHttpResult? Refused)> BelowOwnNodesAsync(DeliberateDbContext db, Caller caller, Guid id,
        CancellationToken ct)
    {
        if (await FindAsync(db, caller, id, strictlyBelow: true, ct) is { } node) return (node, null);
        return (null!, await FindAsync(db, caller, id, false, ct) is null ? Problems.NotFound("节点", "node") : OwnNode());
    }

    static ProblemHttpResult OwnNode() => Problems.Forbidden("forbidden", "不能移动、撤销、恢复或删除您自己任管理员的节点，请联系上级管理员。",
        "You cannot move, retire, restore or delete the node you administer; ask an administrator above you.");

    static void RequireVersion(FieldErrors errors, Guid? version)
    {
        if (version is null) errors.Add("version", "缺少节点的版本，请刷新后重试。", "The node's version is missing; reload and try again.");
    }

    /// <summary>Null when the node is still as the administrator saw it; otherwise the refusal (nothing is saved).</summary>
    static ProblemHttpResult? Changed(OrgUnit node, Guid? version) => node.Version == version ? null
        : Problems.Conflict("conflict", "该节点已被他人修改，请刷新后重试。", "Someone else has changed this node; reload and try again.");

    static string? CheckName(FieldErrors errors, string? name)
    {
        errors.Required("name", name, "名称", "Name");
        errors.MaxLength("name", name, 100, "名称", "The name");
        return name?.Trim();
    }

    /// <summary>
    /// Refused when a live node of the same level already has the name: a building anywhere in its community (the owners' register
    /// and the home-claim picker know buildings by name), another node under the same parent (tester, issue 18).
    /// </summary>
    static async Task<ProblemHttpResult?> NameTakenAsync(DeliberateDbContext db, OrgLevel level, OrgUnit? parent, string name, Guid? except,
        CancellationToken ct)
    {
        var peers = db.OrgUnits.Where(o => o.Level == level && o.RetiredAt == null && o.Name == name && o.Id != except);
        if (level == OrgLevel.Building && parent is not null)
        {
            // "/district/street/community/…": the community's path is the first three ids of the grid's.
            var community = parent.Path[..(1 + 3 * 33)];
            peers = peers.Where(o => o.Path.StartsWith(community));
        }
        else
        {
            var parentId = parent?.Id;
            peers = peers.Where(o => o.ParentId == parentId);
        }
        if (!await peers.AnyAsync(ct)) return null;
        return level == OrgLevel.Building
            ? Problems.Conflict("nameTaken", $"本社区已有名为“{name}”的楼栋。楼栋名称在社区内不能重复（业主名册按名称识别楼栋），请换一个名称。",
                $"The community already has a building named “{name}”. Building names are unique in a community (the owners' register "
                    + "knows buildings by name): choose another name.")
            : Problems.Conflict("nameTaken", $"同一上级下已有名为“{name}”的节点，请换一个名称。",
                $"A node under the same parent is already named “{name}”: choose another name.");
    }

    static async Task<Results<Created<AdminOrgUnitView>, ValidationProblem, ProblemHttpResult>> Create(CreateOrgUnitRequest request,
        Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = CheckName(errors, request.Name);
        if (request.ParentId is null) errors.Add("parentId", "请选择上级节点。", "Choose the parent node.");
        if (errors.Any) return errors.ToProblem();
        var parent = await FindAsync(db, caller, request.ParentId!.Value, strictlyBelow: false, ct);
        if (parent is null) return Problems.NotFound("上级节点", "parent node");
        if (parent.IsRetired) return Retired(parent);
        if (parent.Level == OrgLevel.Building)
            return Problems.Conflict("levelOutOfOrder", "楼栋之下不能再建节点（单元在业主名册中登记）。",
                "Nothing sits under a building in the tree (units are kept in the owners' register).");
        if (await NameTakenAsync(db, parent.Level + 1, parent, name!, null, ct) is { } taken) return taken;
        var node = new OrgUnit(Guid.CreateVersion7(), parent.Level + 1, name!, parent);
        db.OrgUnits.Add(node);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/admin/org/{node.Id}", View(node));
    }

    static ProblemHttpResult Retired(OrgUnit node) => Problems.Conflict("nodeRetired",
        $"“{node.Name}”已撤销，不能再在其下建立或移入节点。", $"“{node.Name}” has been retired: nothing new goes under it.");

    static async Task<Results<Ok<AdminOrgUnitView>, ValidationProblem, ProblemHttpResult>> Rename(Guid id, RenameOrgUnitRequest request,
        Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = CheckName(errors, request.Name);
        RequireVersion(errors, request.Version);
        if (errors.Any) return errors.ToProblem();
        var node = await FindAsync(db, caller, id, strictlyBelow: false, ct);
        if (node is null) return Problems.NotFound("节点", "node");
        if (Changed(node, request.Version) is { } changed) return changed;
        if (name != node.Name)
        {
            var parent = node.ParentId is { } parentId ? await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == parentId, ct) : null;
            if (await NameTakenAsync(db, node.Level, parent, name!, node.Id, ct) is { } taken) return taken;
        }
        node.Rename(name!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(node));
    }

    static async Task<Results<Ok<AdminOrgUnitView>, ValidationProblem, ProblemHttpResult>> Move(Guid id, MoveOrgUnitRequest request,
        Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request.ParentId is null) errors.Add("parentId", "请选择新的上级节点。", "Choose the new parent node.");
        RequireVersion(errors, request.Version);
        if (errors.Any) return errors.ToProblem();
        var (node, refused) = await BelowOwnNodesAsync(db, caller, id, ct);
        if (refused is not null) return refused;
        if (Changed(node, request.Version) is { } changed) return changed;
        var parent = await FindAsync(db, caller, request.ParentId!.Value, strictlyBelow: false, ct);
        if (parent is null) return Problems.NotFound("新的上级节点", "new parent node");
        if (parent.IsRetired) return Retired(parent);
        if (parent.Id == node.ParentId) return TypedResults.Ok(View(node));
        // A building moved into another community must not meet one of its name there (the register knows buildings by name); a grid
        // moved with its buildings is not refused for its own name (every community has a 第一网格): rename it afterwards.
        if (node is { Level: OrgLevel.Building, IsRetired: false }
            && await NameTakenAsync(db, node.Level, parent, node.Name, node.Id, ct) is { } taken)
            return taken;
        var oldPath = node.Path;
        node.MoveUnder(parent); // 409 for a level out of order or a move under itself
        // Everything below follows: one save, each row checked against the version it was read with.
        var below = await db.OrgUnits.Where(o => o.Path.StartsWith(oldPath) && o.Id != node.Id).ToListAsync(ct);
        foreach (var child in below) child.Rebase(oldPath, node.Path);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(node));
    }

    static async Task<Results<Ok<AdminOrgUnitView>, ValidationProblem, ProblemHttpResult>> Retire(Guid id, OrgUnitVersionRequest request,
        Caller caller, DeliberateDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        RequireVersion(errors, request.Version);
        if (errors.Any) return errors.ToProblem();
        var (node, refused) = await BelowOwnNodesAsync(db, caller, id, ct);
        if (refused is not null) return refused;
        if (Changed(node, request.Version) is { } changed) return changed;
        if (await LiveWorkAsync(db, node, ct) is { } live)
            return Problems.Conflict("nodeInUse", $"“{node.Name}”下还有{live.Zh}，不能撤销。请先把楼栋移到其他网格、办结事项、结束表决和会议，再撤销。",
                $"“{node.Name}” still has {live.En} under it: move its buildings to another grid and finish its matters, ballots and "
                    + "meetings first.");
        var now = clock.GetUtcNow();
        foreach (var n in await db.OrgUnits.Where(o => o.Path.StartsWith(node.Path) && o.RetiredAt == null).ToListAsync(ct)) n.Retire(now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(node));
    }

    /// <summary>
    /// Undoes a retirement: the node and the nodes below it retired at the same moment (by the same retirement) come back;
    /// a node below that was retired on its own before stays retired. Under a parent still retired nothing comes back.
    /// </summary>
    static async Task<Results<Ok<AdminOrgUnitView>, ValidationProblem, ProblemHttpResult>> Restore(Guid id, OrgUnitVersionRequest request,
        Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        RequireVersion(errors, request.Version);
        if (errors.Any) return errors.ToProblem();
        var (node, refused) = await BelowOwnNodesAsync(db, caller, id, ct);
        if (refused is not null) return refused;
        if (Changed(node, request.Version) is { } changed) return changed;
        if (!node.IsRetired) return TypedResults.Ok(View(node));
        if (node.ParentId is { } parentId && await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == parentId, ct) is { IsRetired: true } parent)
            return Problems.Conflict("nodeRetired", $"上级“{parent.Name}”仍处于撤销状态，请先恢复上级，再恢复“{node.Name}”。",
                $"The parent “{parent.Name}” is still retired: restore it before “{node.Name}”.");
        var retiredAt = node.RetiredAt;
        // Compared in memory: the values read back from the same column, never a parameter rounded otherwise by the provider.
        var retiredTogether = (await db.OrgUnits.Where(o => o.Path.StartsWith(node.Path) && o.RetiredAt != null).ToListAsync(ct))
            .Where(o => o.RetiredAt == retiredAt);
        foreach (var n in retiredTogether) n.Restore();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(node));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (node, refused) = await BelowOwnNodesAsync(db, caller, id, ct);
        if (refused is not null) return refused;
        if (await HasHistoryAsync(db, id, ct))
            return Problems.Conflict("nodeHasHistory", $"“{node.Name}”已有下级、人员、事项、会议或表决等记录，不能删除，只能撤销。",
                $"“{node.Name}” has nodes below it, people, matters, meetings, ballots or other records: retire it instead of deleting it.");
        db.OrgUnits.Remove(node);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// What retiring would strand (tester, issue 18): units in service whose owners vote, matters not closed, ballots and meetings
    /// not over. A retired grid takes no new matters and is hidden from pickers, so these must go elsewhere or end first.
    /// </summary>
    static async Task<(string Zh, string En)?> LiveWorkAsync(DeliberateDbContext db, OrgUnit node, CancellationToken ct)
    {
        var nodes = db.OrgUnits.Where(o => o.Path.StartsWith(node.Path)).Select(o => o.Id);
        if (await db.PropertyUnits.AnyAsync(u => u.RetiredAt == null && nodes.Contains(u.BuildingId), ct))
            return ("在册的房屋", "units on the register");
        if (await db.Matters.AnyAsync(m => m.ClosedAt == null && nodes.Contains(m.GridId), ct)) return ("未办结的事项", "matters not closed");
        if (await db.Ballots.AnyAsync(b => (b.Status == BallotStatus.Open || b.Status == BallotStatus.Announced) && nodes.Contains(b.OrgUnitId), ct))
            return ("进行中的表决", "ballots under way");
        if (await db.Meetings.AnyAsync(m => (m.State == MeetingState.Draft || m.State == MeetingState.Convened || m.State == MeetingState.InSession)
                && nodes.Contains(m.OrgUnitId), ct))
            return ("未结束的会议", "meetings not over");
        return null;
    }

    /// <summary>Anything that names the node: children, roles, units, matters, meetings, ballots and the rest of its history.</summary>
    static async Task<bool> HasHistoryAsync(DeliberateDbContext db, Guid id, CancellationToken ct) =>
        await db.OrgUnits.AnyAsync(o => o.ParentId == id, ct)
        || await db.UserRoles.AnyAsync(r => r.OrgUnitId == id, ct)
        || await db.PropertyUnits.AnyAsync(u => u.BuildingId == id, ct)
        || await db.Matters.AnyAsync(m => m.GridId == id, ct)
        || await db.Meetings.AnyAsync(m => m.OrgUnitId == id, ct)
        || await db.Ballots.AnyAsync(b => b.OrgUnitId == id, ct)
        || await db.Consultations.AnyAsync(c => c.OrgUnitId == id, ct)
        || await db.Notices.AnyAsync(n => n.OrgUnitId == id, ct)
        || await db.WorkItems.AnyAsync(w => w.OrgUnitId == id, ct)
        || await db.RatingRounds.AnyAsync(r => r.ScopeId == id, ct)
        || await db.ReviewCycles.AnyAsync(r => r.CommunityId == id, ct)
        || await db.RulesOfProcedure.AnyAsync(r => r.CommunityId == id, ct)
        || await db.CommunitySettings.AnyAsync(s => s.CommunityId == id, ct);
}
