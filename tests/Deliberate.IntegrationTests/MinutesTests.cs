using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;

namespace Deliberate.IntegrationTests;

/// <summary>Minutes as a product over HTTP: rendering from the meeting, immutable versions, sign-offs, and the two other documents.</summary>
public sealed class MinutesTests : AppTest
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode? node) => node!.GetValue<string>();

    async Task<string> UserIdAsync(string userName) => Id(await (await As(userName)).GetJsonAsync("/api/auth/me"));

    /// <summary>
    /// A closed four-party meeting: the secretary chairs, the residents' committee records, the owners' committee and a resident
    /// representative attend, the property company is absent; two opinions, and <paramref name="resolutions"/> resolutions.
    /// </summary>
    async Task<string> ClosedMeetingAsync(HttpClient secretary, int resolutions = 2, bool withdrawnMotion = false)
    {
        var users = new Dictionary<string, string>();
        foreach (var name in new[] { "secretary", "residents-committee", "owners-committee", "property", "resident", "street" })
            users[name] = await UserIdAsync(name);
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "幸福里社区四方联席会议", place = "社区红色议事厅",
            startsAt = DateTimeOffset.UtcNow.AddMinutes(10), chairUserId = users["secretary"], recorderUserId = users["residents-committee"],
        }));
        var participants = new Dictionary<string, string>();
        foreach (var (party, user) in new[] { ("partyOrganisation", "secretary"), ("residentsCommittee", "residents-committee"),
                     ("ownersCommittee", "owners-committee"), ("propertyCompany", "property"), ("residentRepresentatives", "resident") })
            participants[user] = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, userId = users[user] }));
        participants["street"] = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants",
            new { party = "streetOffice", userId = users["street"], role = "invitee" }));
        var item = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "3号楼门口路灯不亮" }));
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        Assert.True((await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", participants.Select(p => new
        {
            participantId = p.Value,
            attendance = p.Key == "property" ? "absent" : p.Key == "street" ? "inAttendance" : "present",
        }).ToArray())).IsSuccessStatusCode);
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions",
            new { party = "ownersCommittee", speaker = "周主任", text = "费用从公共收益列支，业委会监督" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/opinions", new { party = "partyOrganisation", text = "路灯关系老人夜间出行，应尽快解决" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/motions",
            new { text = "使用公共收益约3200元更换路灯", proposedBy = "周主任", reason = "路灯不亮，老人夜间出行不便", cost = 3200m });
        if (withdrawnMotion)
        {
            // The proposer withdraws a motion before it is voted on; a second withdrawal is refused, naming why.
            var motion = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/motions", new
            {
                text = "由物业公司垫付维修费用",
                proposedBy = "吴经理"
            }));
            var withdrawn = await secretary.PostJsonAsync($"/api/meetings/{id}/agenda/{item}/motions/{motion}/withdraw", new { });
            Assert.NotNull(withdrawn["withdrawnAt"]);
            var again = await secretary.PostAsJsonAsync($"/api/meetings/{id}/agenda/{item}/motions/{motion}/withdraw", new { });
            await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, "motionWithdrawn");
        }

        var deadline = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)).ToString("yyyy-MM-dd");
        for (var i = 1; i <= resolutions; i++)
            await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions", new
            {
                agendaItemId = item,
                text = i == 1 ? "物业一周内更换路灯，费用从公共收益列支" : $"议定事项第{i}条：由物业公司会同业委会逐栋排查公共照明、楼道灯和消防通道指示灯，登记损坏情况并限期修复，修复结果在小区公告栏公示，接受居民监督。",
                responsibleUnit = "物业公司", deadline,
                // A four-party meeting takes no vote: its resolutions record every present party's position and the consensus
                // (the absent property company gives none); a reservation means no consensus.
                consensus = i == 1,
                outstanding = i == 1 ? null : "费用列支方式待业委会确认",
                positions = new[] { "partyOrganisation", "residentsCommittee", "ownersCommittee", "residentRepresentatives" }.Select(party => new
                {
                    party, position = party == "ownersCommittee" && i > 1 ? "reserve" : "agree",
                    remark = party == "ownersCommittee" ? "业委会监督费用" : null,
                }).ToArray(),
            });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });
        return id;
    }

    [Fact]
    public async Task The_minutes_carry_every_motion_recorded_with_its_proposer_cost_and_fate()
    {
        var secretary = await As("secretary");
        var id = await ClosedMeetingAsync(secretary, withdrawnMotion: true);
        var text = Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        // Read as one run of text: the paragraph may cross a page, whose number ("— 2 —") sits between its lines.
        var flat = System.Text.RegularExpressions.Regex.Replace(string.Concat(text.Where(c => !char.IsWhiteSpace(c))), @"—\d+—", "");
        Assert.Contains("动议：使用公共收益约3200元更换路灯", flat);
        Assert.Contains("提议人：周主任", flat);
        Assert.Contains("费用约3,200元", flat);
        Assert.Contains("处理结果：未付表决", flat);
        Assert.Contains("动议：由物业公司垫付维修费用（提议人：吴经理）处理结果：提议人撤回。", flat);
    }

    [Fact]
    public async Task Minutes_are_rendered_from_the_meeting_stored_per_version_with_their_hash_and_the_last_sign_off_approves_them()
    {
        var secretary = await As("secretary");
        var id = await ClosedMeetingAsync(secretary);

        // Before any version is stored, the PDF is the meeting as it stands: parties, opinions, the vote table, resolutions.
        var preview = await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf");
        Pdf.AssertSubsetFonts(preview);
        var text = Pdf.Text(preview);
        foreach (var expected in new[] { "幸福里社区四方联席会议纪要", "社区党组织", "业委会", "周主任", "费用从公共收益列支，业委会监督",
                     "经协商，形成以下共识", "保留意见（业委会监督费用）", "达成共识", "物业一周内更换路灯，费用从公共收益列支", "物业公司", "郑科长" })
            Assert.Contains(expected, text);
        Assert.Contains("Minutes of", Pdf.Text(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf?lang=en")));

        var first = await secretary.PostJsonAsync($"/api/meetings/{id}/minutes", new { });
        Assert.Equal(1, first["version"]!.GetValue<int>());
        Assert.Null(first["reason"]);
        var v1 = await secretary.GetPdfAsync($"/api/meetings/{id}/minutes/1.pdf");
        Assert.Equal(Str(first["sha256"]), Convert.ToHexStringLower(SHA256.HashData(v1)));
        Assert.Equal(v1, await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf")); // the stored file, not a fresh rendering

        // Who must sign: the chair, the recorder and the members present with accounts — not the absent property company nor the invitee.
        var signers = first["requiredSigners"]!.AsArray().Select(s => Str(s!["name"])).ToList();
        Assert.Equal(["刘书记", "孙主任", "周主任", "陈晓燕"], signers);
        var ready = (await (await As("resident")).GetJsonAsync("/api/notifications?unread=true")).AsArray();
        // A resident representative signs on their phone page, not on the public notices (issue 17 §1).
        Assert.Contains(ready, n => Str(n!["kind"]) == "minutesReady" && Str(n!["link"]) == $"/m/meetings/{id}/minutes");

        // A correction needs a reason, keeps version 1 as it was, and supersedes it for signing.
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/minutes", new { }),
            HttpStatusCode.BadRequest, "validation");
        var second = await secretary.PostJsonAsync($"/api/meetings/{id}/minutes", new { reason = "补记业委会发言人姓名" });
        Assert.Equal((2, "补记业委会发言人姓名"), (second["version"]!.GetValue<int>(), Str(second["reason"])));
        Assert.Equal(v1, await secretary.GetPdfAsync($"/api/meetings/{id}/minutes/1.pdf"));
        var list = (await secretary.GetJsonAsync($"/api/meetings/{id}/minutes")).AsArray();
        Assert.Equal([2, 1], list.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal("刘书记", Str(list[0]!["createdBy"]));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/minutes/1/sign-off", new { }),
            HttpStatusCode.Conflict, "superseded");
        await ProblemAssert.IsProblemAsync(await (await As("property")).PostAsJsonAsync($"/api/meetings/{id}/minutes/2/sign-off", new { }),
            HttpStatusCode.Forbidden, "notSigner");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/approve-minutes", new { }),
            HttpStatusCode.Conflict, "minutesNotSigned");

        foreach (var signer in new[] { "secretary", "residents-committee", "owners-committee" })
            await (await As(signer)).PostJsonAsync($"/api/meetings/{id}/minutes/2/sign-off", new { });
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/minutes/2/sign-off", new { }),
            HttpStatusCode.Conflict, "alreadySigned");
        Assert.Equal("closed", Str((await secretary.GetJsonAsync($"/api/meetings/{id}"))["state"]));
        var last = await (await As("resident")).PostJsonAsync($"/api/meetings/{id}/minutes/2/sign-off", new { });
        Assert.Equal(4, last["signOffs"]!.AsArray().Count);
        Assert.True(last["signedByAll"]!.GetValue<bool>());
        Assert.Equal("minutesApproved", Str((await secretary.GetJsonAsync($"/api/meetings/{id}"))["state"]));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/minutes", new { reason = "再改" }),
            HttpStatusCode.Conflict, "minutesApproved");
    }

    [Fact]
    public async Task A_resident_representative_follows_the_notification_reads_the_minutes_and_signs_them_and_a_resident_elsewhere_gets_404()
    {
        var secretary = await As("secretary");
        var id = await ClosedMeetingAsync(secretary);
        var version = await secretary.PostJsonAsync($"/api/meetings/{id}/minutes", new { });
        var resident = await As("resident");
        var me = await UserIdAsync("resident");

        // The notification leads the resident to their phone page for these minutes; staff keep the console's meeting page.
        var ready = (await resident.GetJsonAsync("/api/notifications?unread=true")).AsArray().Single(n => Str(n!["kind"]) == "minutesReady");
        Assert.Equal($"/m/meetings/{id}/minutes", Str(ready!["link"]));
        var staffReady = (await secretary.GetJsonAsync("/api/notifications?unread=true")).AsArray().Single(n => Str(n!["kind"]) == "minutesReady");
        Assert.Equal($"/console/meetings/{id}", Str(staffReady!["link"]));

        // What that page reads: the meeting, the versions with who must sign, and the stored PDF whose hash is shown.
        var meeting = await resident.GetJsonAsync($"/api/meetings/{id}");
        Assert.Equal(("幸福里社区四方联席会议", "社区红色议事厅"), (Str(meeting["title"]), Str(meeting["place"])));
        var latest = (await resident.GetJsonAsync($"/api/meetings/{id}/minutes")).AsArray().Single()!;
        Assert.Contains(latest["requiredSigners"]!.AsArray(), s => Str(s!["userId"]) == me);
        Assert.Empty(latest["signOffs"]!.AsArray());
        var pdf = await resident.GetPdfAsync($"/api/meetings/{id}/minutes/1.pdf");
        Assert.Equal(Str(version["sha256"]), Convert.ToHexStringLower(SHA256.HashData(pdf)));

        // A resident of the community who did not sit in the meeting may read but not sign.
        await ProblemAssert.IsProblemAsync(await (await As("owner-xf-1-201")).PostAsJsonAsync($"/api/meetings/{id}/minutes/1/sign-off", new { }),
            HttpStatusCode.Forbidden, "notSigner");

        var signed = await resident.PostJsonAsync($"/api/meetings/{id}/minutes/1/sign-off", new { });
        var signOff = Assert.Single(signed["signOffs"]!.AsArray());
        Assert.Equal((me, "陈晓燕"), (Str(signOff!["userId"]), Str(signOff["name"])));
        Assert.False(signed["signedByAll"]!.GetValue<bool>());
        Assert.Contains((await resident.GetJsonAsync($"/api/meetings/{id}/minutes")).AsArray()[0]!["signOffs"]!.AsArray(),
            s => Str(s!["userId"]) == me);
        await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync($"/api/meetings/{id}/minutes/1/sign-off", new { }),
            HttpStatusCode.Conflict, "alreadySigned");

        // A resident of another community learns nothing of the meeting, its minutes or its PDF.
        var elsewhere = await As("owner-hp-1-101");
        foreach (var path in new[] { $"/api/meetings/{id}", $"/api/meetings/{id}/minutes", $"/api/meetings/{id}/minutes/1.pdf" })
            await ProblemAssert.IsProblemAsync(await elsewhere.GetAsync(path), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await elsewhere.PostAsJsonAsync($"/api/meetings/{id}/minutes/1/sign-off", new { }),
            HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task Long_minutes_run_over_pages_with_the_resolutions_header_repeated_on_every_page_of_the_table()
    {
        var secretary = await As("secretary");
        var id = await ClosedMeetingAsync(secretary, resolutions: 40);
        var pages = Pdf.Pages(await secretary.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        Assert.True(pages.Count >= 5, $"Expected long minutes, got {pages.Count} pages.");
        // The table comes first; after it each resolution's positions (which name it again) follow without the table's header.
        var tablePages = pages.TakeWhile(p => !p.Contains("各方立场")).Where(p => p.Contains("议定事项第")).ToList();
        Assert.True(tablePages.Count >= 3, $"The resolutions should run over several pages, not {tablePages.Count}.");
        Assert.All(tablePages, p => Assert.Contains("责任单位", p));
        Assert.Contains("议定事项第40条", string.Concat(pages));
    }

    [Fact]
    public async Task Minutes_are_refused_to_outsiders_before_the_close_and_to_those_who_do_not_run_the_meeting()
    {
        var secretary = await As("secretary");
        var id = await ClosedMeetingAsync(secretary);
        var outsider = await As("hp-secretary");
        await ProblemAssert.IsProblemAsync(await outsider.GetAsync($"/api/meetings/{id}/minutes.pdf"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await outsider.GetAsync($"/api/meetings/{id}/minutes"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await outsider.PostAsJsonAsync($"/api/meetings/{id}/minutes", new { }),
            HttpStatusCode.NotFound, "notFound");
        // A resident of the community sees the minutes but cannot make them.
        var resident = await As("owner-xf-1-201");
        Assert.NotEmpty(await resident.GetPdfAsync($"/api/meetings/{id}/minutes.pdf"));
        await ProblemAssert.IsProblemAsync(await resident.PostAsJsonAsync($"/api/meetings/{id}/minutes", new { }),
            HttpStatusCode.Forbidden, "notOrganiser");
        await ProblemAssert.IsProblemAsync(await secretary.GetAsync($"/api/meetings/{id}/minutes/7.pdf"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/minutes", new { language = "fr" }),
            HttpStatusCode.BadRequest, "validation");

        var draft = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "草稿会议", place = "社区", startsAt = DateTimeOffset.UtcNow.AddDays(1),
        }));
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{draft}/minutes", new { }),
            HttpStatusCode.Conflict, "badState");
        await ProblemAssert.IsProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{id}/approve-minutes", new { }),
            HttpStatusCode.Conflict, "noMinutes");
    }

    [Fact]
    public async Task A_closed_ballot_has_a_result_notice_and_a_closed_matter_a_closing_report_as_PDF()
    {
        var committee = await As("owners-committee");
        var ballots = (await committee.GetJsonAsync("/api/ballots"))["items"]!.AsArray();
        var closed = ballots.First(b => Str(b!["status"]) == "closed")!;
        var notice = await committee.GetPdfAsync($"/api/ballots/{Id(closed)}/notice.pdf");
        Pdf.AssertSubsetFonts(notice);
        var text = Pdf.Text(notice);
        Assert.Contains("3号楼加装电梯方案", text);
        Assert.Contains("幸福里社区业主委员会", text);
        Assert.Contains("第二百七十八条", text);
        Assert.Contains("Notice", Pdf.Text(await committee.GetPdfAsync($"/api/ballots/{Id(closed)}/notice.pdf?lang=en")));
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).GetAsync($"/api/ballots/{Id(closed)}/notice.pdf"),
            HttpStatusCode.NotFound, "notFound");
        var open = await OwnersBallots.OpenAsync(App, committee, new
        {
            title = "小区东门加装充电桩", proposal = "使用公共收益约3200元更换路灯", rule = "civil-code-278-ordinary", kind = "other-major-matter",
            orgUnitId = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 1),
            closesAt = DateTimeOffset.UtcNow.AddDays(7),
        });
        await ProblemAssert.IsProblemAsync(await committee.GetAsync($"/api/ballots/{Id(open)}/notice.pdf"), HttpStatusCode.Conflict, "ballotOpen");

        var resident = await As("resident");
        var matter = Id(await RaiseAsync(resident, "自家厨房下水道堵塞"));
        await ProblemAssert.IsProblemAsync(await resident.GetAsync($"/api/matters/{matter}/closing-report.pdf"),
            HttpStatusCode.Conflict, "matterOpen");
        await CompleteAsync(await As("gridworker"), matter, "private", new { verified = true, note = "属于自家管道，已告知维修电话" });
        var report = Pdf.Text(await resident.GetPdfAsync($"/api/matters/{matter}/closing-report.pdf"));
        Assert.Contains("自家厨房下水道堵塞", report);
        Assert.Contains("第一网格", report);
        Assert.Contains("居民提事", report);
        await ProblemAssert.IsProblemAsync(await (await As("hp-secretary")).GetAsync($"/api/matters/{matter}/closing-report.pdf"),
            HttpStatusCode.NotFound, "notFound");
    }
}
