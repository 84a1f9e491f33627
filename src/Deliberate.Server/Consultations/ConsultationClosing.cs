using System.Globalization;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Meetings;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Consultations;

/// <summary>
/// How a written consultation ends: at its deadline, or as soon as everyone asked has answered. Closing
/// publishes <see cref="DomainEvents.ConsultationClosed"/> with a summary of the answers, which resumes the
/// workflows waiting for it in the same transaction.
/// </summary>
public static class ConsultationClosing
{
    public const string DeadlineKind = "consultation.close";

    /// <summary>Everyone asked: the invitees, and every resident of the residents scope when there is one.</summary>
    public static async Task<(int Expected, bool EveryoneAnswered)> ProgressAsync(DeliberateDbContext db,
        Consultation consultation, CancellationToken ct)
    {
        var residents = await ResidentsAsync(db, consultation, ct);
        // From the database, not the loaded entity: answers saved by others at the same moment count too.
        var answers = await db.ConsultationResponses.AsNoTracking().Where(r => r.ConsultationId == consultation.Id)
            .Select(r => new { r.InviteeId, r.UserId }).ToListAsync(ct);
        var answeredInvitees = answers.Where(r => r.InviteeId != null).Select(r => r.InviteeId!.Value).ToHashSet();
        var answeredResidents = answers.Where(r => r.InviteeId == null).Select(r => r.UserId).ToHashSet();
        var everyone = consultation.Invitees.All(i => answeredInvitees.Contains(i.Id)) && residents.All(answeredResidents.Contains);
        return (consultation.Invitees.Count + residents.Count, everyone);
    }

    public static async Task<List<Guid>> ResidentsAsync(DeliberateDbContext db, Consultation consultation, CancellationToken ct)
    {
        if (consultation.ResidentsScopeId is not { } scopeId) return [];
        var scopePath = await db.OrgUnits.Where(o => o.Id == scopeId).Select(o => o.Path).FirstAsync(ct);
        return await MeetingAccess.ResidentsUnderAsync(db, scopePath, ct);
    }

    /// <summary>Closes the consultation, resumes the workflows waiting for it and saves. Call it last.</summary>
    public static async Task CloseAsync(DeliberateDbContext db, WorkflowEngine engine, Consultation consultation, DateTimeOffset now, string reason,
        Actor actor, CancellationToken ct)
    {
        consultation.Close(now);
        var payload = await PayloadAsync(db, consultation, reason, ct);
        await DomainEvents.PublishAsync(engine, db, DomainEvents.ConsultationClosed, consultation.Id, payload, actor, ct);
    }

    /// <summary>
    /// After an answer: when everyone asked has answered, closes now and lets the waiting workflows go on. The answer
    /// must be saved already; when another last answer is closing it at this very moment, that one closes it.
    /// </summary>
    public static async Task CloseIfEveryoneAnsweredAsync(DeliberateDbContext db, WorkflowEngine engine, Consultation consultation,
        DateTimeOffset now, Actor actor, CancellationToken ct)
    {
        var (_, everyone) = await ProgressAsync(db, consultation, ct);
        if (!everyone || await db.Consultations.AsNoTracking().AnyAsync(c => c.Id == consultation.Id && c.Status == ConsultationStatus.Closed, ct))
            return;
        try
        {
            await CloseAsync(db, engine, consultation, now, "allAnswered", actor, ct);
        }
        catch (Exception e) when (e is WorkflowConflictException or DbUpdateConcurrencyException)
        {
            // Another last answer is closing it at this very moment; the answer itself is saved.
        }
    }

    /// <summary>Counts per position and every answer, in codes (the payload is data, whatever the caller's language).</summary>
    public static async Task<JsonObject> PayloadAsync(DeliberateDbContext db, Consultation consultation, string reason, CancellationToken ct)
    {
        var (expected, _) = await ProgressAsync(db, consultation, ct);
        var userIds = consultation.Responses.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var responses = consultation.Responses.OrderBy(r => r.At).ThenBy(r => r.Id).ToList();
        int Count(ConsultationPosition p) => responses.Count(r => r.Position == p);
        return new JsonObject
        {
            ["consultationId"] = consultation.Id.ToString(),
            ["title"] = consultation.Title,
            ["closedAt"] = consultation.ClosedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["closedBy"] = reason,
            ["expected"] = expected,
            ["answered"] = responses.Count,
            ["counts"] = new JsonObject
            {
                ["agree"] = Count(ConsultationPosition.Agree),
                ["disagree"] = Count(ConsultationPosition.Disagree),
                ["abstain"] = Count(ConsultationPosition.Abstain),
                ["comment"] = Count(ConsultationPosition.Comment),
            },
            ["responses"] = new JsonArray(responses.Select(r =>
            {
                var invitee = consultation.Invitees.FirstOrDefault(i => i.Id == r.InviteeId);
                return (JsonNode)new JsonObject
                {
                    ["inviteeId"] = r.InviteeId?.ToString(),
                    ["party"] = invitee?.Party ?? "resident",
                    ["name"] = invitee?.Name ?? names.GetValueOrDefault(r.UserId, ""),
                    ["userId"] = r.UserId.ToString(),
                    ["answeredBy"] = names.GetValueOrDefault(r.UserId, ""),
                    ["position"] = r.Position.Code(),
                    ["text"] = r.Text,
                    ["at"] = r.At.ToString("O", CultureInfo.InvariantCulture),
                };
            }).ToArray()),
        };
    }
}

/// <summary>Closes a consultation at its deadline ("consultation.close"), unless it closed already.</summary>
public sealed class ConsultationDeadline(DeliberateDbContext db, WorkflowEngine engine, TimeProvider clock) : IDeadlineHandler
{
    /// <summary>A trigger may fire a moment early; within this, the deadline counts as come.</summary>
    static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    public string Kind => ConsultationClosing.DeadlineKind;

    public async Task HandleAsync(Guid id, CancellationToken ct)
    {
        var consultation = await db.Consultations.Include(c => c.Invitees).Include(c => c.Responses).AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == id, ct);
        var now = clock.GetUtcNow();
        // Gone, already closed, or the deadline is not here yet (it was moved, or the clock says otherwise): nothing to do.
        if (consultation is null || consultation.Status == ConsultationStatus.Closed || now < consultation.ClosesAt - Tolerance) return;
        await ConsultationClosing.CloseAsync(db, engine, consultation, now, "deadline", Actor.System, ct);
    }

    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset At)>> PendingAsync(DateTimeOffset? until, CancellationToken ct) =>
        (await db.Consultations.AsNoTracking().Where(c => c.Status == ConsultationStatus.Open && (until == null || c.ClosesAt <= until))
            .Select(c => new { c.Id, c.ClosesAt }).ToListAsync(ct))
        .Select(c => (c.Id, c.ClosesAt)).ToList();
}
