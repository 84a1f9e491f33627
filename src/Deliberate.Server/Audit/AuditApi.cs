using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
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
        group.MapGet("/", List).WithSummary("Audit entries, newest written first, optionally of one entity type and id (admins).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden);
        group.MapGet("/verify", Verify)
            .WithSummary("Walk the keyed hash chain from the start and compare it with the heads recorded in the anchor file: valid, or the first "
            + "broken entry (admins).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.Conflict);
        return group;
    }

    static async Task<Results<Ok<Paged<AuditEntryView>>, ValidationProblem>> List(DeliberateDbContext db, CancellationToken ct,
        string? entityType = null, string? entityId = null, Guid? actorId = null, int page = 1, int pageSize = 50)
    {
        var errors = new FieldErrors();
        Paging.Check(errors, page, pageSize, maxPageSize: 500);
        if (errors.Any) return Problems.Validation(errors.Errors);
        var query = db.AuditLog.AsNoTracking();
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

    static async Task<Ok<ChainReport>> Verify(DeliberateDbContext db, AuditAnchor anchor, CancellationToken ct) =>
        TypedResults.Ok(await AuditVerifier.VerifyAsync(db, AuditAnchor.Read(anchor.Path), ct));
}
