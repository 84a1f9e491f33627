using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Audit;

/// <summary>An entry; <c>Sequence</c>, <c>PreviousHash</c> and <c>Hash</c> are null for the moment until it is chained (PostgreSQL).</summary>
public sealed record AuditEntryView(long Id, long? Sequence, DateTimeOffset At, Guid? ActorId, string ActorName, string Action,
    string EntityType, string EntityId, string? Before, string? After, string? PreviousHash, string? Hash);

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireRole(Role.Admin);
        group.MapGet("/", List)
            .WithSummary("Audit entries about nodes at or under the caller's, newest written first, optionally of one entity type and id "
            + "(admins; entries of no node to administrators of a root node).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden);
        group.MapGet("/verify", Verify)
            .WithSummary("Walk the keyed hash chain from the start and compare it with the heads recorded in the anchor file: valid, or the first "
            + "broken entry (administrators of a root node).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.Conflict);
        return group;
    }

    /// <summary>
    /// Entries an administrator may read: those about nodes at or under their own; entries of no node (accounts, global settings, entries
    /// written before entries recorded their node) only an administrator of a root node reads.
    /// </summary>
    public static IQueryable<AuditEntry> VisibleTo(this IQueryable<AuditEntry> entries, DeliberateDbContext db, Caller caller)
    {
        if (caller.IsRootAdmin) return entries;
        var nodes = db.OrgUnits.Under(caller.AdminPaths).Select(o => o.Id);
        return entries.Where(e => e.OrgUnitId != null && nodes.Contains(e.OrgUnitId.Value));
    }

    /// <summary>Administers a node with no parent ("/a/"): the whole tree below it.</summary>

    static async Task<Results<Ok<Paged<AuditEntryView>>, ValidationProblem>> List(DeliberateDbContext db, Caller caller, CancellationToken ct,
        string? entityType = null, string? entityId = null, Guid? actorId = null, int page = 1, int pageSize = 50)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page, pageSize, maxPageSize: 500);
        if (errors.Any) return Problems.Validation(errors.Errors);
        var query = db.AuditLog.AsNoTracking().VisibleTo(db, caller);
        if (!string.IsNullOrEmpty(entityType)) query = query.Where(e => e.EntityType == entityType);
        if (!string.IsNullOrEmpty(entityId)) query = query.Where(e => e.EntityId == entityId);
        if (actorId is { } actor) query = query.Where(e => e.ActorId == actor);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.Id).Page(page, pageSize)
            .Select(e =>
                new AuditEntryView(e.Id, e.Sequence, e.At, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Before,
                    e.After, e.PreviousHash, e.Hash))
            .ToListAsync(ct);
        return TypedResults.Ok(new Paged<AuditEntryView>(items, total, page, pageSize));
    }

    /// <summary>The chain covers every entry, and a broken entry's report names it: only an administrator of a root node verifies.</summary>
    static async Task<Results<Ok<ChainReport>, ProblemHttpResult>> Verify(DeliberateDbContext db, Caller caller, AuditAnchor anchor,
        CancellationToken ct) =>
        caller.IsRootAdmin ? TypedResults.Ok(await AuditVerifier.VerifyAsync(db, AuditAnchor.Read(anchor.Path), ct))
            : Problems.Forbidden("forbidden", "只有区级（根节点）管理员可以校验整条审计链。",
            "Only an administrator of a root node can verify the whole audit chain.");
}
