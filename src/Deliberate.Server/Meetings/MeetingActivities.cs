using System.Globalization;
using System.Text.Json.Nodes;
using Deliberate.Server.Api;
using Deliberate.Server.Consultations;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Server.Scheduling;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Meetings;

/// <summary>
/// 社区议事: puts the workflow's matter on the agenda of the community's next draft meeting of a type
/// (matters collect for the next joint meeting), or of a new one, and waits until that meeting closes;
/// then stores the resolutions and opinions and goes on.
/// </summary>
[Activity("ConveneMeeting", "Meetings", "召集会议", "Convene meeting",
    DescriptionZh = "把本流程的事项列入社区下一次同类会议的议程（没有草稿会议就新建一次；四方联席会议自动邀请书记、居委会、业委会、物业），等会议结束后带着议定事项和各方意见继续。",
    DescriptionEn =
        "Puts this workflow's matter on the agenda of the community's next draft meeting of a type (or a new one; a four-party meeting invites the "
            + "party secretary, residents' committee, owners' committee and property company), and goes on with the resolutions and opinions once "
            + "the meeting closes.")]
[Outcome("Done", "完成", "Done")]
public sealed class ConveneMeeting(DeliberateDbContext db) : Activity
{
    [Input("会议类型", "Meeting type", UiHint = UiHints.Select, Required = true,
        Options = ["fourParty", "ownersCommittee", "residentsMeeting", "representativesMeeting", "ownersAssembly"])]
    public string MeetingType { get; set; } = "fourParty";

    [Input("会议名称", "Title", UiHint = UiHints.Template,
        DescriptionZh = "新建会议时使用；留空则为“社区名+会议类型”，如“幸福里社区四方联席会议”",
        DescriptionEn = "For a new meeting; empty gives the community and the type, e.g. '幸福里社区四方联席会议'")]
    public string? Title { get; set; }

    [Input("地点", "Place", UiHint = UiHints.Template, DescriptionZh = "新建会议时使用；可稍后在会议中填写",
        DescriptionEn = "For a new meeting; may be filled in on the meeting later")]
    public string? Place { get; set; }

    [Input("开会时间", "Starts at", UiHint = UiHints.Script,
        DescriptionZh = "JavaScript 表达式，值为 ISO 8601 时间；留空则为三天后北京时间 15:00",
        DescriptionEn = "A JavaScript expression giving an ISO 8601 time; empty means 15:00 Beijing time three days from now")]
    public string? StartsAt { get; set; }

    [Input("社区", "Community", UiHint = UiHints.Script, Required = true,
        DescriptionZh = "JavaScript 表达式，值为社区 id", DescriptionEn = "A JavaScript expression giving the community id")]
    public string Community { get; set; } = "variables.communityId";

    [Input("议题", "Agenda item", UiHint = UiHints.Template, DescriptionZh = "留空则用事项标题", DescriptionEn = "Empty uses the matter's title")]
    public string? AgendaTitle { get; set; }

    [Input("并入草稿会议", "Add to the next draft meeting", UiHint = UiHints.Checkbox,
        DescriptionZh = "勾选时，事项列入本社区下一次同类草稿会议，没有才新建",
        DescriptionEn = "When checked, the matter joins the community's next draft meeting of the type; a new one is made only if there is none")]
    public bool ReuseDraft { get; set; } = true;

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable,
        DescriptionZh = "等待时为 {meetingId, agendaItemId}；会议结束后加上 resolutions（议定事项）和 agenda（各方意见、动议）",
        DescriptionEn = "While waiting {meetingId, agendaItemId}; once the meeting closes, also resolutions and agenda (opinions, motions)")]
    public string? OutputVariable { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var now = context.Now;
        if (!EnumCodes.TryParseCode<MeetingType>(MeetingType, out var type))
            throw new InvalidOperationException($"'{MeetingType}' is not a meeting type.");
        var community = await ActivityInputs.CommunityAsync(context, db, Community);
        var matter = Guid.TryParse(context.GetVariable("matterId")?.ToString(), out var matterId)
            ? await db.Matters.FirstOrDefaultAsync(m => m.Id == matterId, ct) : null;
        var scope = await InstanceScope.OfAsync(db, context);
        scope.EnsurePlace(community, InstanceScope.OrganiseMeeting, caller => MeetingAccess.MayOrganise(caller, type, community.Path));
        if (matter is not null) await scope.EnsureMatterAsync(db, matter, InstanceScope.OrganiseMeeting, ct);

        var meeting = ReuseDraft
            ? await db.Meetings.Include(m => m.Agenda).Include(m => m.Participants)
                .Where(m => m.OrgUnitId == community.Id && m.Type == type && m.State == MeetingState.Draft)
                .OrderBy(m => m.StartsAt).ThenBy(m => m.CreatedAt).FirstOrDefaultAsync(ct)
            : null;
        var reused = meeting is not null;
        meeting ??= await NewMeetingAsync(context, db, type, community, now);

        var item = matter is null ? null : meeting.Agenda.FirstOrDefault(a => a.MatterId == matter.Id); // already on it (a matter deliberated again)
        if (item is null)
        {
            var title = Truncate(NonEmpty(context.Render(AgendaTitle)) ?? matter?.Title
                ?? NonEmpty(context.GetVariable("title")?.ToString()) ?? meeting.Title,
                MeetingsApi.MaxTitle);
            item = meeting.AddAgendaItem(context.NewId(), title,
                matter is null ? null : Truncate(matter.Description, MeetingsApi.MaxDescription), matter?.Id);
            if (reused) db.AgendaItems.Add(item); // explicitly: a child with its key set, found by navigation, would read as an update
            await NotifyConvenersAsync(db, meeting, item.Title, community.Id, now, ct);
        }
        if (!reused) db.Meetings.Add(meeting);

        var waiting = new JsonObject { ["meetingId"] = meeting.Id.ToString(), ["agendaItemId"] = item.Id.ToString() };
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, waiting);
        context.JournalData = new JsonObject
        {
            ["meetingId"] = meeting.Id.ToString(), ["agendaItemId"] = item.Id.ToString(),
            ["reusedDraft"] = reused
        };
        return ActivityResult.Wait(DomainEvents.Await(DomainEvents.MeetingClosed, meeting.Id, waiting.DeepClone()));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var result = payload?.DeepClone() as JsonObject ?? [];
        result["agendaItemId"] = bookmark.Payload?["agendaItemId"]?.DeepClone();
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, result);
        context.JournalData = new JsonObject
        {
            ["meetingId"] = result["meetingId"]?.DeepClone(),
            ["resolutions"] = (result["resolutions"] as JsonArray)?.Count ?? 0,
        };
        return new(ActivityResult.Done("Done"));
    }

    /// <summary>
    /// The secretary (and, for owners' meetings, the owners' committee) and the chair must prepare the meeting the matter now waits on:
    /// they hear of it at once, with a link to the meeting.
    /// </summary>
    static async Task NotifyConvenersAsync(DeliberateDbContext db, Meeting meeting, string itemTitle, Guid communityId, DateTimeOffset now,
        CancellationToken ct)
    {
        var recipients = await Notifications.Notify.RoleHoldersOverAsync(db, Role.PartySecretary, communityId, ct);
        if (meeting.Type is Meetings.MeetingType.OwnersCommittee or Meetings.MeetingType.OwnersAssembly)
            recipients.AddRange(await Notifications.Notify.RoleHoldersOverAsync(db, Role.OwnersCommittee, communityId, ct));
        if (meeting.ChairUserId is { } chair) recipients.Add(chair);
        var at = ChinaTime.Minutes(meeting.StartsAt);
        Notifications.Notify.Send(db, recipients, Notifications.NotificationKind.Agenda, $"新议题：{itemTitle}", $"New agenda item: {itemTitle}",
            $"“{itemTitle}”已列入“{meeting.Title}”（{at}，北京时间），请确定时间、地点和参会人员。",
            $"“{itemTitle}” was put on “{meeting.Title}” ({at}, China time); please settle its time, place and participants.",
            Notifications.Notify.Links.Meeting(meeting.Id), now);
    }

    async Task<Meeting> NewMeetingAsync(ActivityContext context, DeliberateDbContext db, MeetingType type, OrgUnit community, DateTimeOffset now)
    {
        var startsAt = string.IsNullOrWhiteSpace(StartsAt) ? DefaultStart(now) : ActivityInputs.Time(context.Evaluate(StartsAt), "startsAt");
        var title = Truncate(NonEmpty(context.Render(Title)) ?? community.Name + Meeting.Describe(type).Zh, MeetingsApi.MaxTitle);
        var place = Truncate(context.Render(Place).Trim(), MeetingsApi.MaxPlace);
        var createdBy = Guid.TryParse(context.Actor.Id, out var actorId) ? actorId : Guid.Empty;
        var meeting = new Meeting(context.NewId(), community.Id, type, MeetingForm.Collective, title, place, startsAt, createdBy, now);

        var (chair, chairId) = type == Meetings.MeetingType.FourParty
            ? await Bodies.FourPartyInvitees.InviteAsync(db, meeting, community, ChinaTime.Today(now), context.NewId, context.CancellationToken)
            : (null, null);
        meeting.Edit(title, place, startsAt, chair, chairId, null, null);
        return meeting;
    }

    /// <summary>15:00 Beijing time, three days from now.</summary>
    public static DateTimeOffset DefaultStart(DateTimeOffset now)
    {
        var day = ChinaTime.Local(now).Date.AddDays(3);
        return new DateTimeOffset(day.Year, day.Month, day.Day, 15, 0, 0, ChinaTime.Offset);
    }

    static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>
/// 书面征求意见: asks parties (and, optionally, every resident of a scope) a question in writing for a while,
/// and waits until everyone has answered or the time is up; then stores the answers and goes on.
/// </summary>
[Activity("Consult", "Meetings", "书面征求意见", "Written consultation",
    DescriptionZh = "向各方（可加上某范围内的全体居民）书面征求意见，全部答复或到期后带着答复汇总继续。",
    DescriptionEn =
        "Asks parties (and, optionally, every resident of a scope) in writing, and goes on with the summary of answers once everyone has answered or "
            + "the time is up.")]
[Outcome("Done", "完成", "Done")]
public sealed class Consult(DeliberateDbContext db) : Activity
{
    /// <summary>The parties that have a role of their own, so that someone can answer for them.</summary>
    public static readonly string[] PartyOptions = ["partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany",
        "streetOffice", "department"];

    [Input("标题", "Title", UiHint = UiHints.Template, Required = true, DescriptionZh = "可用 ${variables.title} 插入变量",
        DescriptionEn = "Use ${variables.title} to insert a variable")]
    public string Title { get; set; } = "";

    [Input("征求意见的内容", "Question", UiHint = UiHints.Template, Required = true)]
    public string Question { get; set; } = "";

    [Input("征求哪几方", "Parties", UiHint = UiHints.StringList,
        Options = ["partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany", "streetOffice", "department"],
        DescriptionZh = "一方只有一人担任该角色时邀请此人，否则任一担任该角色者都可代表该方答复一次",
        DescriptionEn = "A party whose role one person holds invites that person; otherwise anyone holding the role answers for the party, once")]
    public List<string> Parties { get; set; } = ["partyOrganisation", "residentsCommittee", "ownersCommittee", "propertyCompany"];

    [Input("居民范围", "Residents' scope", UiHint = UiHints.Script,
        DescriptionZh = "可选：JavaScript 表达式，值为组织节点 id（社区、网格或楼栋），该范围内的全体居民都被征求意见，如 variables.buildingId",
        DescriptionEn =
            "Optional: a JavaScript expression giving an organisation node (community, grid or building) whose residents are all asked, e.g. "
                + "variables.buildingId")]
    public string? ResidentsScope { get; set; }

    [Input("社区", "Community", UiHint = UiHints.Script, Required = true,
        DescriptionZh = "JavaScript 表达式，值为社区 id", DescriptionEn = "A JavaScript expression giving the community id")]
    public string Community { get; set; } = "variables.communityId";

    [Input("征求期限", "Duration", UiHint = UiHints.Duration, Required = true, DescriptionZh = "征求多久，如 3 天",
        DescriptionEn = "An ISO 8601 duration, e.g. P3D")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromDays(3);

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable,
        DescriptionZh = "等待时为 {consultationId}；结束后为答复汇总：counts（各态度人数）和 responses（每条答复）",
        DescriptionEn = "While waiting {consultationId}; once closed, the summary: counts per position and every response")]
    public string? OutputVariable { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var now = context.Now;
        if (Duration < TimeSpan.FromMinutes(1)) throw new InvalidOperationException("A consultation needs at least a minute to answer in.");
        var unknown = Parties.Where(p => !PartyOptions.Contains(p)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"Cannot consult {string.Join(", ", unknown)}: the parties are {string.Join(", ", PartyOptions)}.");

        var community = await ActivityInputs.CommunityAsync(context, db, Community);
        OrgUnit? scope = null;
        if (!string.IsNullOrWhiteSpace(ResidentsScope))
        {
            var scopeId = ActivityInputs.Id(context.Evaluate(ResidentsScope), "residents' scope");
            scope = await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == scopeId, ct);
            if (scope is null || !community.Contains(scope))
                throw new InvalidOperationException($"The residents' scope {scopeId} is not in the community {community.Name}.");
        }
        var instance = await InstanceScope.OfAsync(db, context);
        instance.EnsurePlace(community, InstanceScope.Consult, caller => MeetingAccess.MayConsult(caller, community.Path));
        var matter = Guid.TryParse(context.GetVariable("matterId")?.ToString(), out var m)
            ? await db.Matters.FirstOrDefaultAsync(x => x.Id == m, ct) : null;
        if (matter is not null) await instance.EnsureMatterAsync(db, matter, InstanceScope.Consult, ct);
        var matterId = matter?.Id;
        var createdBy = Guid.TryParse(context.Actor.Id, out var actorId) ? actorId : Guid.Empty;

        var consultation = new Consultation(context.NewId(), community.Id, context.Render(Title).Trim(),
            context.Render(Question).Trim(), now, now + Duration,
            scope?.Id, null, matterId, createdBy);
        foreach (var party in Parties.Distinct())
        {
            var holders = await MeetingAccess.HoldersAsync(db, Meetings.Parties.RoleFor(party)!.Value, community, ct);
            consultation.Invitees.Add(holders.Count == 1
                ? new ConsultationInvitee(context.NewId(), consultation.Id, party, holders[0].Name, holders[0].Id)
                : new ConsultationInvitee(context.NewId(), consultation.Id, party, Meetings.Parties.Name(party, english: false), null));
        }
        var residents = scope is null ? 0 : (await MeetingAccess.ResidentsUnderAsync(db, scope.Path, ct)).Count;
        if (consultation.Invitees.Count + residents == 0)
            throw new InvalidOperationException("The consultation asks nobody: name parties or a residents' scope with residents.");
        db.Consultations.Add(consultation);

        var (id, closesAt) = (consultation.Id, consultation.ClosesAt);
        context.ScheduleDeadline(ConsultationClosing.DeadlineKind, id, closesAt);
        var waiting = new JsonObject { ["consultationId"] = id.ToString() };
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, waiting);
        context.JournalData = new JsonObject
        {
            ["consultationId"] = id.ToString(),
            ["closesAt"] = closesAt.ToString("O", CultureInfo.InvariantCulture)
        };
        return ActivityResult.Wait(DomainEvents.Await(DomainEvents.ConsultationClosed, id, waiting.DeepClone()));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, payload);
        context.JournalData = payload?["counts"]?.DeepClone();
        return new(ActivityResult.Done("Done"));
    }
}

/// <summary>Reading the script inputs of the meetings activities.</summary>
static class ActivityInputs
{
    public static async Task<OrgUnit> CommunityAsync(ActivityContext context, DeliberateDbContext db, string script)
    {
        var id = Id(context.Evaluate(string.IsNullOrWhiteSpace(script) ? "variables.communityId" : script), "community");
        return await db.OrgUnits.FirstOrDefaultAsync(o => o.Id == id && o.Level == OrgLevel.Community, context.CancellationToken)
            ?? throw new InvalidOperationException($"{id} is not a community.");
    }

    public static Guid Id(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue(out string? text) && Guid.TryParse(text, out var id)
            ? id : throw new InvalidOperationException($"The {what} expression did not give an id (it gave {node?.ToJsonString() ?? "nothing"}).");

    public static DateTimeOffset Time(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue(out string? text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : throw new InvalidOperationException($"The {what} expression did not give an ISO 8601 time (it "
                + $"gave {node?.ToJsonString() ?? "nothing"}).");
}
