using System.Globalization;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Matters;
using Deliberate.Server.Meetings;
using Deliberate.Server.Notifications;
using Deliberate.Server.Organisation;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Deliberate.Server.ReviewCycles;

/// <summary>Review cycles as Quartz cron triggers (in the cycle's time zone), one per cycle, keyed by its id.</summary>
public sealed class ReviewCycleScheduler(ISchedulerFactory schedulers)
{
    public const string Group = "review-cycles";
    public const string CycleIdKey = "cycleId";

    static TriggerKey Key(Guid id) => new(id.ToString(), Group);

    /// <summary>Sets the cycle's trigger anew (after create, edit, resume), or removes it when the cycle is paused.</summary>
    public async Task ScheduleAsync(ReviewCycle cycle, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        if (cycle.Paused)
        {
            await scheduler.UnscheduleJob(Key(cycle.Id), ct);
            return;
        }
        var trigger = TriggerBuilder.Create()
            .WithIdentity(Key(cycle.Id))
            .ForJob(ReviewCycleJob.Key)
            .UsingJobData(CycleIdKey, cycle.Id.ToString())
            // Missed while the server was down: fire once when it is back, then keep to the schedule.
            .WithSchedule(CronScheduleBuilder.Create(cycle.Cron).InTimeZone(cycle.Zone)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        try
        {
            if (await scheduler.Exists(Key(cycle.Id), ct)) await scheduler.RescheduleJob(Key(cycle.Id), trigger, ct);
            else await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            await scheduler.RescheduleJob(Key(cycle.Id), trigger, ct); // another node scheduled it a moment ago
        }
    }

    public async Task UnscheduleAsync(Guid id, CancellationToken ct = default) =>
        await (await schedulers.GetScheduler(ct)).UnscheduleJob(Key(id), ct);

    /// <summary>The stored trigger of a cycle, if any (for checks and the operations page).</summary>
    public async Task<ICronTrigger?> TriggerAsync(Guid id, CancellationToken ct = default) =>
        await (await schedulers.GetScheduler(ct)).GetTrigger(Key(id), ct) as ICronTrigger;

    /// <summary>Gives every running cycle without a trigger one (a cycle's existing trigger keeps its misfire state).</summary>
    public async Task ReconcileAsync(DeliberateDbContext db, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var cycle in await db.ReviewCycles.AsNoTracking().Where(c => !c.Paused).ToListAsync(ct))
            if (!await scheduler.Exists(Key(cycle.Id), ct)) await ScheduleAsync(cycle, ct);
    }
}

/// <summary>Fires a review cycle for the moment its trigger was scheduled for.</summary>
[DisallowConcurrentExecution]
public sealed class ReviewCycleJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobKey Key = new("review-cycle", ReviewCycleScheduler.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(ReviewCycleScheduler.CycleIdKey), out var id)) return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReviewCycleFiring>()
            .FireAsync(id, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
    }
}

public sealed class ReviewCycleReconciler(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReviewCycleScheduler>()
            .ReconcileAsync(scope.ServiceProvider.GetRequiredService<DeliberateDbContext>(), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// One firing of a cycle: unless paused, already handled or on a skip date, a draft meeting of the cycle's type with an
/// agenda of what is open in the community — major matters still open, matters waiting for the residents' rating,
/// overdue work items, and the last cycle meeting's resolutions not yet done — and a notification to the convener.
/// </summary>
public sealed class ReviewCycleFiring(DeliberateDbContext db, TimeProvider clock, ILogger<ReviewCycleFiring> log)
{
    /// <summary>Returns the draft meeting made, or null when the firing made none.</summary>
    public async Task<Meeting?> FireAsync(Guid cycleId, DateTimeOffset firedFor, CancellationToken ct)
    {
        var cycle = await db.ReviewCycles.FirstOrDefaultAsync(c => c.Id == cycleId, ct);
        if (cycle is null || cycle.Paused || !cycle.TakeFiring(firedFor)) return null;
        if (cycle.Skips(firedFor))
        {
            log.LogInformation("Review cycle {Cycle} skips {Date} (a skip date).", cycle.Name, firedFor);
            await db.SaveChangesAsync(ct);
            return null;
        }
        var now = clock.GetUtcNow();
        var community = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == cycle.CommunityId, ct);
        var local = TimeZoneInfo.ConvertTime(firedFor, cycle.Zone);
        var convener = cycle.ConvenerUserId is { } c ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == c, ct) : null;
        var meeting = new Meeting(Guid.CreateVersion7(now), community.Id, cycle.MeetingType, MeetingForm.Collective,
            $"{community.Name}{cycle.Name}（{local.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}）", "", firedFor,
            convener?.Id ?? Guid.Empty, now);
        var (chair, chairId) = cycle.MeetingType == MeetingType.FourParty
            ? await Bodies.FourPartyInvitees.InviteAsync(db, meeting, community, ChinaTime.Today(now), () => Guid.CreateVersion7(now), ct)
            : (null, null);
        if (convener is not null) (chair, chairId) = (convener.DisplayName, convener.Id);
        meeting.Edit(meeting.Title, meeting.Place, meeting.StartsAt, chair, chairId, null, null);
        foreach (var (title, description, matterId) in await AgendaAsync(cycle, community, now, ct))
            meeting.AddAgendaItem(Guid.CreateVersion7(now), Clip(title, MeetingsApi.MaxTitle),
                description is null ? null : Clip(description, MeetingsApi.MaxDescription), matterId);
        db.Meetings.Add(meeting);
        cycle.MadeMeeting(meeting.Id);

        var conveners = convener is not null ? [convener.Id]
            : await Notify.RoleHoldersOverAsync(db, cycle.ConvenerRole ?? Identity.Role.PartySecretary, community.Id, ct);
        Notify.Send(db, conveners, NotificationKind.ReviewCycle, $"{cycle.Name}：会议草稿已生成", $"{cycle.Name}: a draft meeting is ready",
            $"已按议事周期生成{meeting.Title}草稿，含议题 {meeting.Agenda.Count} 项，请完善后发出通知。",
            $"The cycle drafted \"{meeting.Title}\" with {meeting.Agenda.Count} agenda items; complete it and send the notice.",
            Notify.Links.Meeting(meeting.Id), now);
        await db.SaveChangesAsync(ct);
        return meeting;
    }

    async Task<List<(string Title, string? Description, Guid? MatterId)>> AgendaAsync(ReviewCycle cycle, OrgUnit community,
        DateTimeOffset now, CancellationToken ct)
    {
        var items = new List<(string, string?, Guid?)>();
        var grids = db.OrgUnits.Where(o => o.Path.StartsWith(community.Path)).Select(o => o.Id);
        var matters = await db.Matters.AsNoTracking().Where(m => grids.Contains(m.GridId) && m.Step != MatterStep.Closed
                && (m.Triage == MatterTriage.Major || m.Step == MatterStep.Rate))
            .OrderBy(m => m.RaisedAt).ToListAsync(ct);
        foreach (var m in matters.Where(m => m.Triage == MatterTriage.Major && m.Step != MatterStep.Rate))
            items.Add(($"重大事项：{m.Title}", m.Description, m.Id));
        foreach (var m in matters.Where(m => m.Step == MatterStep.Rate))
            items.Add(($"待群众评价：{m.Title}", "办理结果待受影响居民评价。", m.Id));

        var overdue = await db.WorkItems.AsNoTracking().Where(w => grids.Contains(w.OrgUnitId) && w.Status != WorkItemStatus.Done
                && (w.Status == WorkItemStatus.Overdue || w.Deadline < now))
            .OrderBy(w => w.Deadline).ToListAsync(ct);
        foreach (var w in overdue)
            items.Add(($"逾期工作事项：{w.Title}（{w.ResponsibleUnit}）", $"完成时限 {ChinaTime.Deadline(w.Deadline)} 已过。", null));

        if (cycle.LastMeetingId is { } last)
        {
            var resolutions = await db.Resolutions.AsNoTracking().Where(r => r.MeetingId == last).OrderBy(r => r.Id).ToListAsync(ct);
            var ids = resolutions.Select(r => r.Id).ToList();
            var work = await db.WorkItems.AsNoTracking().Where(w => w.ResolutionId != null && ids.Contains(w.ResolutionId.Value))
                .Select(w => new { w.ResolutionId, w.Status }).ToListAsync(ct);
            foreach (var r in resolutions)
            {
                var done = work.Any(w => w.ResolutionId == r.Id) && work.Where(w => w.ResolutionId == r.Id).All(w => w.Status == WorkItemStatus.Done);
                if (!done) items.Add(($"上次会议议定事项跟进：{r.Text}", $"责任单位：{r.ResponsibleUnit}；完成时限：{r.Deadline:yyyy-MM-dd}", null));
            }
        }
        if (items.Count == 0) items.Add(("本期工作情况通报", null, null));
        return items;
    }

    static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
