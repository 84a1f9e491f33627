using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Notifications;
using Deliberate.Server.ReviewCycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Whoever must act next is told, and the link opens the page where they act: a six-step walk over HTTP produces every kind of
/// notification, and each one's link is checked against the routes the web app really has (read from ConsoleApp.tsx and
/// ResidentApp.tsx) for its recipient — staff in the console, residents and owners on the phone pages.
/// </summary>
public sealed partial class NotificationLinkTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static readonly Guid Building3 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 3); // in 第二网格

    static string Str(JsonNode? node) => node!.GetValue<string>();
    static string Id(JsonNode node) => Str(node["id"]);

    async Task LaterAsync(TimeSpan span)
    {
        clock.Advance(span);
        await RunDueAsync(clock.GetUtcNow());
    }

    async Task<string> UserIdAsync(string userName) => Id(await (await As(userName)).GetJsonAsync("/api/auth/me"));

    async Task<JsonArray> NotificationsOfAsync(string user) => (await (await As(user)).GetJsonAsync("/api/notifications")).AsArray();

    async Task<string> RaiseInBuilding3Async(string title) => Id(await (await As("resident")).PostJsonAsync("/api/matters", new
    {
        title, description = "3号楼老人上下楼困难，希望加装电梯", category = "elevator", gridId = XingfuliGrid2, buildingId = Building3,
    }));

    async Task<string> DraftMeetingOfAsync(string matterId)
    {
        var secretary = await As("secretary");
        foreach (var draft in (await secretary.GetJsonAsync("/api/meetings?state=draft"))["items"]!.AsArray())
        {
            var full = await secretary.GetJsonAsync($"/api/meetings/{draft!["id"]}");
            if (full["agenda"]!.AsArray().Any(a => a!["matterId"]?.GetValue<string>() == matterId)) return Id(full);
        }
        throw new Xunit.Sdk.XunitException("The matter is on no draft meeting.");
    }

    /// <summary>The secretary chairs the meeting the workflow drafted, records one resolution for 物业, closes it and makes the minutes.</summary>
    async Task RunTheMeetingAsync(string matterId)
    {
        var id = await DraftMeetingOfAsync(matterId);
        var secretary = await As("secretary");
        var meeting = await secretary.GetJsonAsync($"/api/meetings/{id}");
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}", new
        {
            title = Str(meeting["title"]), place = "红色议事厅", startsAt = clock.GetUtcNow().AddHours(1),
            chairName = "刘书记", chairUserId = await UserIdAsync("secretary"), recorderName = "孙主任",
            recorderUserId = await UserIdAsync("residents-committee"),
        })).IsSuccessStatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await LaterAsync(TimeSpan.FromHours(1));
        secretary = await As("secretary");
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        var opened = await secretary.GetJsonAsync($"/api/meetings/{id}");
        var participants = opened["parties"]!.AsArray().SelectMany(p => p!["participants"]!.AsArray()).ToList();
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", participants.Select(p => new
        {
            participantId = Id(p!), attendance = Str(p!["role"]) == "member" ? "present" : "inAttendance",
        }).ToList())).IsSuccessStatusCode);
        var item = Id(opened["agenda"]!.AsArray().First(a => a!["matterId"]?.GetValue<string>() == matterId)!);
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
        {
            agendaItemId = item, text = "物业公司协调加装电梯施工", responsibleUnit = "物业公司",
            deadline = DateOnly.FromDateTime(clock.GetUtcNow().AddDays(60).UtcDateTime), consensus = true,
            positions = participants.Where(p => Str(p!["role"]) == "member").Select(p => Str(p!["party"])).Distinct()
                .Select(party => new { party, position = "agree" }).ToArray(),
        });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/minutes", new { });
    }

    [Fact]
    public async Task Every_kind_of_notification_links_each_recipient_to_a_page_of_the_web_app_where_they_act()
    {
        // 网格听事 → 社区议事 → 民主定事 (an owners' vote) → 协同办事 (物业) → 群众评事.
        var matter = await RaiseInBuilding3Async("3号楼加装电梯");
        await CompleteAsync(await As("gridworker2"), matter, "major", new { verified = true, note = "住户普遍支持，需社区议事" });
        await RunTheMeetingAsync(matter);
        await CompleteAsync(await As("secretary"), matter, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });
        await LaterAsync(OwnersBallots.Notice);
        var ballot = Id((await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={matter}"))["items"]!.AsArray().Single()!);
        foreach (var owner in new[] { "owner-xf-3-101", "owner-xf-3-102", "owner-xf-3-201", "owner-xf-1-101", "owner-xf-3-301", "owner-xf-3-302",
            "owner-xf-3-401", "owner-xf-3-402" })
            await (await As(owner)).PostJsonAsync($"/api/ballots/{ballot}/votes", new { choice = "agree" });
        await LaterAsync(TimeSpan.FromDays(16)); // closes; the decision is posted for 5 days
        await LaterAsync(TimeSpan.FromDays(6)); // execution: a work item for 物业
        var property = await As("property");
        foreach (var item in (await property.GetJsonAsync($"/api/work-items?matterId={matter}"))["items"]!.AsArray())
            await property.PostJsonAsync($"/api/work-items/{item!["id"]}/complete", new { text = "电梯投入使用" });
        var step = Str((await (await As("resident")).GetJsonAsync($"/api/matters/{matter}"))["step"]);
        Assert.True(step == "rate", $"The matter is at {step}.\n{await DiagnosticsAsync()}");

        // A work item at the grid that runs late: reminded, then escalated to the community.
        await (await As("secretary")).PostJsonAsync("/api/work-items", new
        {
            title = "更换3号楼门口路灯", responsibleUnit = "网格工作站", level = "grid", orgUnitId = XingfuliGrid1,
            deadline = clock.GetUtcNow() + TimeSpan.FromDays(3),
        });
        await LaterAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));

        // A consultation of the property company about a meeting; a meeting adjourned; a review cycle's draft meeting.
        var secretary = await As("secretary");
        var adjourned = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = clock.GetUtcNow().AddMinutes(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/participants",
            new { party = "residentRepresentatives", userId = await UserIdAsync("resident") });
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/participants",
            new { party = "propertyCompany", userId = await UserIdAsync("property") });
        foreach (var (party, name) in new[] { ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任") })
            await secretary.PostJsonAsync($"/api/meetings/{adjourned}/participants", new { party, name });
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/agenda", new { title = "3号楼门口路灯不亮" });
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/open", new { });
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/adjourn", new { startsAt = clock.GetUtcNow().AddDays(3) });
        await secretary.PostJsonAsync("/api/consultations", new
        {
            orgUnitId = DemoData.Ids.Xingfuli, title = "关于路灯更换的书面征求意见", question = "拟更换3号楼门口路灯，是否同意？",
            closesAt = clock.GetUtcNow().AddDays(3), meetingId = adjourned,
            invitees = new object[] { new { party = "propertyCompany", userId = await UserIdAsync("property") }, new { party = "ownersCommittee" } },
        });
        // The adjourned meeting moves, then is called off: everyone invited is told each time.
        int Revision(JsonNode meeting) => meeting["revision"]!.GetValue<int>();
        var moved = await secretary.PostJsonAsync($"/api/meetings/{adjourned}/reschedule", new
        {
            startsAt = clock.GetUtcNow().AddDays(4), reason = "议事厅另有安排",
            revision = Revision(await secretary.GetJsonAsync($"/api/meetings/{adjourned}")),
        });
        await secretary.PostJsonAsync($"/api/meetings/{adjourned}/cancel", new { reason = "路灯已由物业修好", revision = Revision(moved) });
        var cycle = Id(await secretary.PostJsonAsync("/api/review-cycles", new
        {
            communityId = DemoData.Ids.Xingfuli, name = "月度四方联席会议", meetingType = "fourParty", cron = "0 0 15 ? * TUE#1",
        }));
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ReviewCycleFiring>()
                .FireAsync(Guid.Parse(cycle), clock.GetUtcNow(), CancellationToken.None);

        // Every notification made, with whether its recipient works in the console.
        List<(NotificationKind Kind, string? Link, bool Staff, Guid Recipient)> made;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var staff = await db.UserRoles.Where(r => r.Role != Role.Resident && r.Role != Role.WorkflowDesigner).Select(r => r.UserId).ToListAsync();
            made = (await db.Notifications.AsNoTracking().ToListAsync()).Select(n => (n.Kind, n.Link, staff.Contains(n.RecipientId), n.RecipientId))
                .ToList();
        }
        Assert.Equal(Enum.GetValues<NotificationKind>().Order(), made.Select(n => n.Kind).Distinct().Order());
        var console = Routes("console/ConsoleApp.tsx", "/console");
        var resident = Routes("resident/ResidentApp.tsx", "/m");
        var dead = made.Where(n => n.Link is null || !(n.Staff ? console : resident).Any(r => r.IsMatch(n.Link)))
            .Select(n => $"{n.Kind} to {(n.Staff ? "staff" : "a resident")}: {n.Link ?? "(none)"}").Distinct().ToList();
        Assert.True(dead.Count == 0, "Links that open no page for their recipient:\n" + string.Join("\n", dead));
        // Residents and owners are sent to the phone pages: the vote, the rating.
        Assert.Contains(made, n => n is { Kind: NotificationKind.VoteOpened, Staff: false } && n.Link == $"/m/ballots/{ballot}");
        Assert.Contains(made, n => n is { Kind: NotificationKind.RatingOpened, Staff: false } && n.Link == $"/m/rate/{matter}");
    }

    [Fact]
    public async Task A_work_item_given_to_the_property_company_tells_its_users_and_waits_in_their_inbox()
    {
        var secretary = await As("secretary");
        var item = await secretary.PostJsonAsync("/api/work-items", new
        {
            title = "清理东门消防通道", responsibleUnit = "物业公司", level = "community", role = "propertyCompany",
            orgUnitId = DemoData.Ids.Xingfuli, deadline = clock.GetUtcNow().AddDays(5),
        });

        var property = await As("property");
        var told = Assert.Single(await NotificationsOfAsync("property"), n => Str(n!["kind"]) == "assignment")!;
        Assert.Equal($"/console/work-items/{Id(item)}", Str(told["link"]));
        Assert.StartsWith("新工作事项：清理东门消防通道", Str(told["title"]));
        var inbox = (await property.GetJsonAsync("/api/work-items?mine=true"))["items"]!.AsArray();
        Assert.Equal([Id(item)], inbox.Select(i => Id(i!)));
        Assert.True(inbox[0]!["canAct"]!.GetValue<bool>());

        // Another community's property company hears nothing and has nothing to do; the secretary oversees it but it is not her work.
        Assert.DoesNotContain(await NotificationsOfAsync("hp-property"), n => Str(n!["kind"]) == "assignment");
        Assert.Empty((await (await As("hp-property")).GetJsonAsync("/api/work-items?mine=true"))["items"]!.AsArray());
        Assert.Empty((await secretary.GetJsonAsync("/api/work-items?mine=true"))["items"]!.AsArray());

        // Done, it leaves the inbox.
        await property.PostJsonAsync($"/api/work-items/{Id(item)}/complete", new { text = "已清理" });
        Assert.Empty((await property.GetJsonAsync("/api/work-items?mine=true"))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_six_step_walk_tells_the_secretary_of_the_agenda_and_the_property_company_of_its_work_and_both_find_it()
    {
        var matter = await RaiseInBuilding3Async("3号楼加装电梯");
        await CompleteAsync(await As("gridworker2"), matter, "major", new { verified = true, note = "需社区议事" });

        // The matter went onto a new draft meeting: the secretary is told, and the draft is in her meetings to prepare.
        var meeting = await DraftMeetingOfAsync(matter);
        var agenda = Assert.Single(await NotificationsOfAsync("secretary"), n => Str(n!["kind"]) == "agenda")!;
        Assert.Equal($"/console/meetings/{meeting}", Str(agenda["link"]));
        Assert.Contains("3号楼加装电梯", Str(agenda["title"]));

        await RunTheMeetingAsync(matter);
        await CompleteAsync(await As("secretary"), matter, "ownersOrdinary", new { kind = "other-major-matter", note = "按一般事项由3号楼业主表决" });
        await LaterAsync(OwnersBallots.Notice);
        var ballot = Id((await (await As("owners-committee")).GetJsonAsync($"/api/ballots?matterId={matter}"))["items"]!.AsArray().Single()!);
        var opened = Assert.Single(await NotificationsOfAsync("owner-xf-3-101"), n => Str(n!["kind"]) == "voteOpened")!;
        Assert.Equal($"/m/ballots/{ballot}", Str(opened["link"]));
        foreach (var owner in new[] { "owner-xf-3-101", "owner-xf-3-102", "owner-xf-3-201", "owner-xf-1-101", "owner-xf-3-301", "owner-xf-3-302",
            "owner-xf-3-401", "owner-xf-3-402" })
            await (await As(owner)).PostJsonAsync($"/api/ballots/{ballot}/votes", new { choice = "agree" });
        await LaterAsync(TimeSpan.FromDays(16));
        await LaterAsync(TimeSpan.FromDays(6));

        // 协同办事: the work item for 物业 reaches the property account, with its link, and sits in its 待办.
        var property = await As("property");
        var items = (await property.GetJsonAsync("/api/work-items?mine=true"))["items"]!.AsArray();
        Assert.True(items.Count == 1, $"{items.Count} work items for 物业.\n{await DiagnosticsAsync()}");
        var item = items[0]!;
        Assert.Equal(matter, Str(item["matter"]!["id"]));
        var told = Assert.Single(await NotificationsOfAsync("property"), n => Str(n!["kind"]) == "assignment")!;
        Assert.Equal($"/console/work-items/{Id(item)}", Str(told["link"]));

        // Done: the residents of 3号楼 are asked to rate, on their phone page.
        await property.PostJsonAsync($"/api/work-items/{Id(item)}/complete", new { text = "电梯投入使用" });
        var rate = Assert.Single(await NotificationsOfAsync("owner-xf-3-101"), n => Str(n!["kind"]) == "ratingOpened")!;
        Assert.Equal($"/m/rate/{matter}", Str(rate["link"]));
        Assert.DoesNotContain(await NotificationsOfAsync("owner-xf-1-101"), n => Str(n!["kind"]) == "ratingOpened"); // another building
    }

    [Fact]
    public async Task A_consultation_tells_each_invited_party_and_links_to_its_meeting()
    {
        var secretary = await As("secretary");
        var meeting = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = clock.GetUtcNow().AddDays(3), chairName = "刘书记", recorderName = "孙主任",
        }));
        await secretary.PostJsonAsync("/api/consultations", new
        {
            orgUnitId = DemoData.Ids.Xingfuli, title = "关于3号楼加装电梯的书面征求意见", question = "拟在3号楼加装电梯，是否同意？",
            closesAt = clock.GetUtcNow().AddDays(3), meetingId = meeting,
            invitees = new object[] { new { party = "propertyCompany", userId = await UserIdAsync("property") }, new { party = "ownersCommittee" } },
        });
        foreach (var user in new[] { "property", "owners-committee" })
        {
            var asked = Assert.Single(await NotificationsOfAsync(user), n => Str(n!["kind"]) == "consultation")!;
            Assert.Equal($"/console/meetings/{meeting}", Str(asked["link"]));
        }
        Assert.DoesNotContain(await NotificationsOfAsync("residents-committee"), n => Str(n!["kind"]) == "consultation");
    }

    /// <summary>The routes of one part of the web app, as patterns over paths (":id" is one segment).</summary>
    static List<Regex> Routes(string file, string prefix)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "src", "web", "src", file));
        var routes = RoutePath().Matches(text).Select(m => m.Groups[1].Value).Where(p => p != "*")
            .Select(p => new Regex("^" + prefix + "/" + Regex.Replace(Regex.Escape(p), @":\w+", "[^/]+") + "$")).ToList();
        if (text.Contains("<Route index")) routes.Add(new Regex("^" + prefix + "/?$"));
        Assert.NotEmpty(routes);
        return routes;
    }

    [GeneratedRegex("<Route path=\"([^\"]+)\"")]
    private static partial Regex RoutePath();

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Deliberate.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Deliberate.sln not found above the test binaries.");
    }
}
