using System.Net;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Issue 18, 台账: the five XLSX ledgers, downloaded through HTTP and opened with MiniExcel — their Chinese headers, their rows
/// under the caller's scope and filters, who may export, the audit entry of every export, and the ballots ledger's totals that
/// never say who chose what.
/// </summary>
public sealed class LedgerTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    sealed record Sheet(List<string> Headers, List<IDictionary<string, object?>> Rows)
    {
        public IEnumerable<string> Column(string header) => Rows.Select(r => r[header]?.ToString() ?? "");
        public IEnumerable<string> Cells => Rows.SelectMany(r => r.Values).Select(v => v?.ToString() ?? "");
    }

    static async Task<Sheet> LedgerAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(XlsxType, response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        // Read without a header row, so that a ledger with no rows still shows its headers (the first row).
        var cells = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.NotEmpty(cells);
        var letters = cells[0].Keys.ToList();
        var headers = letters.Select(l => cells[0][l]?.ToString() ?? "").ToList();
        var rows = cells.Skip(1).Select(r => (IDictionary<string, object?>)letters.Select((l, i) => (headers[i], r[l]))
            .ToDictionary(x => x.Item1, x => x.Item2)).ToList();
        return new Sheet(headers, rows);
    }

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    static readonly string[] MatterHeaders =
        ["序号", "事项标题", "分类", "社区", "网格", "来源", "提事时间", "听事分流时间", "分流", "决事时间", "办事完成时间", "评事时间", "办结时间",
            "当前步骤", "是否逾期", "处理结论"];

    [Fact]
    public async Task The_matters_ledger_lists_the_matters_of_the_callers_scope_with_their_step_dates_under_chinese_headers()
    {
        var lamp = Id(await RaiseAsync(await As("resident"), "3号楼门口路灯不亮", XingfuliGrid1));
        clock.Advance(TimeSpan.FromMinutes(1)); // the ledger lists by time raised; one frozen instant would leave the order to the ids
        await RaiseAsync(await As("owner-xf-3-101"), "消防通道被占", XingfuliGrid2);
        await RaiseAsync(await As("owner-hp-1-101"), "垃圾桶满溢", HepingGrid1);
        clock.Advance(TimeSpan.FromHours(2));
        await CompleteAsync(await As("gridworker"), lamp, "private", new { verified = true, note = "已联系物业处理" });

        var secretary = await As("secretary");
        var all = await LedgerAsync(secretary, "/api/ledgers/matters.xlsx");
        Assert.Equal(MatterHeaders, all.Headers);
        Assert.Equal(["3号楼门口路灯不亮", "消防通道被占"], all.Column("事项标题")); // 和平 is not 刘书记's
        Assert.Equal(["1", "2"], all.Column("序号"));
        var first = all.Rows[0];
        Assert.Equal("幸福里社区", first["社区"]);
        Assert.Equal("设施维修", first["分类"]);
        Assert.Equal("私事", first["分流"]);
        Assert.False(string.IsNullOrEmpty(first["听事分流时间"]?.ToString()));
        Assert.False(string.IsNullOrEmpty(first["办结时间"]?.ToString()));
        Assert.Equal("", all.Rows[1]["听事分流时间"]?.ToString() ?? "");
        Assert.Equal(["否", "否"], all.Column("是否逾期"));

        Assert.Equal(["3号楼门口路灯不亮"], (await LedgerAsync(secretary, $"/api/ledgers/matters.xlsx?nodeId={XingfuliGrid1}")).Column("事项标题"));
        Assert.Equal(["3号楼门口路灯不亮"], (await LedgerAsync(secretary, "/api/ledgers/matters.xlsx?status=closed")).Column("事项标题"));
        Assert.Equal(["消防通道被占"], (await LedgerAsync(secretary, "/api/ledgers/matters.xlsx?status=hear")).Column("事项标题"));

        // Nothing in the period: the headers are still there.
        var later = $"{DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(3)):yyyy-MM-dd}";
        var empty = await LedgerAsync(secretary, $"/api/ledgers/matters.xlsx?from={later}");
        Assert.Equal(MatterHeaders, empty.Headers);
        Assert.Empty(empty.Rows);
    }

    [Fact]
    public async Task Every_ledgers_worksheet_is_in_schema_order_with_only_rows_inside_sheetData_and_any_drawing_after_it()
    {
        var secretary = await As("secretary");
        foreach (var ledger in new[] { "matters", "meetings", "resolutions", "work-items", "ballots" })
            foreach (var query in new[] { "", "?from=2099-01-01" }) // with rows and without
            {
                var bytes = await (await secretary.GetAsync($"/api/ledgers/{ledger}.xlsx{query}")).Content.ReadAsByteArrayAsync();
                using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
                var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
                using var reader = new StreamReader(sheet.Open());
                var xml = System.Xml.Linq.XDocument.Parse(await reader.ReadToEndAsync());
                var root = xml.Root!;
                var sheetData = root.Elements().Single(e => e.Name.LocalName == "sheetData");
                Assert.All(sheetData.Elements(), e => Assert.Equal("row", e.Name.LocalName));
                // CT_Worksheet's order: … sheetData … autoFilter … drawing.
                var order = root.Elements().Select(e => e.Name.LocalName).ToList();
                var at = (string name) => order.IndexOf(name);
                if (at("drawing") >= 0)
                {
                    Assert.True(at("drawing") > at("sheetData"), $"{ledger}: {string.Join(",", order)}");
                    Assert.True(at("drawing") > at("autoFilter"), $"{ledger}: {string.Join(",", order)}");
                }
                // Still a workbook MiniExcel reads.
                Assert.NotEmpty((await LedgerAsync(secretary, $"/api/ledgers/{ledger}.xlsx{query}")).Headers);
            }
    }

    [Fact]
    public async Task A_hearing_task_left_past_its_due_time_marks_the_matter_overdue_in_the_ledger()
    {
        await RaiseAsync(await As("resident"), "楼道灯坏了", XingfuliGrid1);
        clock.Advance(TimeSpan.FromDays(10)); // far past any hearing deadline
        var sheet = await LedgerAsync(await As("gridworker"), "/api/ledgers/matters.xlsx");
        Assert.Equal(["是"], sheet.Column("是否逾期"));
    }

    [Fact]
    public async Task Ledgers_are_for_staff_and_a_node_outside_the_callers_scope_is_not_found()
    {
        await RaiseAsync(await As("resident"), "3号楼门口路灯不亮", XingfuliGrid1);
        await RaiseAsync(await As("owner-hp-1-101"), "垃圾桶满溢", HepingGrid1);

        foreach (var ledger in new[] { "matters", "meetings", "resolutions", "work-items", "ballots" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await As("resident")).GetAsync($"/api/ledgers/{ledger}.xlsx")).StatusCode);

        var heping = await As("hp-gridworker");
        await ProblemAssert.IsProblemAsync(await heping.GetAsync($"/api/ledgers/matters.xlsx?nodeId={XingfuliGrid1}"),
            HttpStatusCode.NotFound, "notFound");
        Assert.Equal(["垃圾桶满溢"], (await LedgerAsync(heping, "/api/ledgers/matters.xlsx")).Column("事项标题"));
        // A grid worker sees the grid's matters, not the neighbouring grid's.
        Assert.Equal(["3号楼门口路灯不亮"], (await LedgerAsync(await As("gridworker"), "/api/ledgers/matters.xlsx")).Column("事项标题"));

        var bad = await ProblemAssert.IsProblemAsync(await heping.GetAsync("/api/ledgers/ballots.xlsx?status=won"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(bad["errors"]!["status"]);
        var badDate = await ProblemAssert.IsProblemAsync(await heping.GetAsync("/api/ledgers/meetings.xlsx?from=2026-02-30"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(badDate["errors"]!["from"]);
        var reversed = await ProblemAssert.IsProblemAsync(await heping.GetAsync("/api/ledgers/meetings.xlsx?from=2026-03-02&to=2026-03-01"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(reversed["errors"]!["to"]);
    }

    [Fact]
    public async Task Every_export_is_an_audit_entry_saying_who_exported_which_ledger_with_which_filters()
    {
        await RaiseAsync(await As("resident"), "3号楼门口路灯不亮", XingfuliGrid1);
        var secretary = await As("secretary");
        await LedgerAsync(secretary, $"/api/ledgers/matters.xlsx?nodeId={XingfuliGrid1}&status=hear");

        var (secretaryId, entries) = await ExecutionKit.QueryAsync(App, async db => (
            await db.Users.Where(u => u.UserName == "secretary").Select(u => u.Id).SingleAsync(),
            await db.AuditLog.AsNoTracking().Where(e => e.EntityType == "Ledger").ToListAsync()));
        var entry = Assert.Single(entries);
        Assert.Equal(("exported", "matters", secretaryId), (entry.Action, entry.EntityId, entry.ActorId));
        var details = JsonNode.Parse(entry.After!)!;
        Assert.Equal("民情台账", details["ledger"]!.GetValue<string>());
        Assert.Equal(XingfuliGrid1.ToString(), details["nodeId"]!.GetValue<string>());
        Assert.Equal("hear", details["status"]!.GetValue<string>());
        Assert.Equal(1, details["rows"]!.GetValue<int>());

        // The chain still verifies with the export in it.
        var verified = await (await As("admin")).GetJsonAsync("/api/audit/verify");
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public async Task The_meetings_and_resolutions_ledgers_give_attendance_by_party_and_each_resolutions_responsible_unit_deadline_and_status()
    {
        var secretary = await As("secretary");
        var id = Id(await secretary.PostJsonAsync("/api/meetings", new
        {
            type = "fourParty", orgUnitId = DemoData.Ids.Xingfuli, title = "3号楼路灯四方联席会议", place = "社区红色议事厅",
            startsAt = clock.GetUtcNow().AddMinutes(10), chairName = "刘书记", recorderName = "孙主任",
        }));
        var members = new Dictionary<string, string>();
        foreach (var (party, name) in new[] { ("partyOrganisation", "刘书记"), ("residentsCommittee", "孙主任"), ("ownersCommittee", "周主任"),
                     ("propertyCompany", "吴经理") })
            members[party] = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants", new { party, name, role = "member" }));
        var street = Id(await secretary.PostJsonAsync($"/api/meetings/{id}/participants",
            new { party = "streetOffice", name = "郑科长", role = "invitee" }));
        await secretary.PostJsonAsync($"/api/meetings/{id}/agenda", new { title = "3号楼门口路灯不亮" });
        await secretary.PostJsonAsync($"/api/meetings/{id}/convene", new { });
        await secretary.PostJsonAsync($"/api/meetings/{id}/open", new { });
        var attendance = await secretary.PutAsJsonAsync($"/api/meetings/{id}/attendance", new object[]
        {
            new { participantId = members["partyOrganisation"], attendance = "present" },
            new { participantId = members["residentsCommittee"], attendance = "present" },
            new { participantId = members["ownersCommittee"], attendance = "absent" },
            new { participantId = members["propertyCompany"], attendance = "present" },
            new { participantId = street, attendance = "inAttendance" },
        });
        Assert.True(attendance.IsSuccessStatusCode, await attendance.Content.ReadAsStringAsync());
        var deadline = ChinaDay(clock.GetUtcNow().AddDays(14));
        var positions = new[] { "partyOrganisation", "residentsCommittee", "propertyCompany" }
            .Select(party => new { party, position = "agree" }).ToArray();
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions",
            new { text = "物业一周内更换路灯", responsibleUnit = "物业公司", deadline, consensus = true, positions });
        await secretary.PostJsonAsync($"/api/meetings/{id}/resolutions",
            new { text = "居委会征集充电棚选址意见", responsibleUnit = "社区居委会", deadline, consensus = true, positions });
        await secretary.PostJsonAsync($"/api/meetings/{id}/close", new { });

        var meetings = await LedgerAsync(secretary, "/api/ledgers/meetings.xlsx");
        Assert.Equal(["序号", "会议名称", "会议类型", "形式", "社区", "地点", "计划时间", "实际开始", "实际结束", "状态", "主持人", "应到", "实到", "列席",
            "各方出席", "议定事项数", "议定事项"], meetings.Headers);
        const string title = "3号楼路灯四方联席会议"; // the demo has a meeting of its own
        var row = Assert.Single(meetings.Rows, r => Equals(r["会议名称"], title));
        Assert.Equal(("四方联席会议", "已结束", "社区红色议事厅"), (row["会议类型"], row["状态"], row["地点"]));
        Assert.Equal((4, 3, 1, 2), (Convert.ToInt32(row["应到"]), Convert.ToInt32(row["实到"]), Convert.ToInt32(row["列席"]),
            Convert.ToInt32(row["议定事项数"])));
        Assert.Equal("社区党组织 1/1；居委会 1/1；业委会 0/1；物业公司 1/1；街道 列席1", row["各方出席"]);
        Assert.False(string.IsNullOrEmpty(row["实际开始"]?.ToString()));
        Assert.Contains("物业一周内更换路灯（物业公司", row["议定事项"]!.ToString());
        Assert.DoesNotContain(title, (await LedgerAsync(secretary, "/api/ledgers/meetings.xlsx?status=cancelled")).Column("会议名称"));
        Assert.Empty((await LedgerAsync(await As("hp-secretary"), "/api/ledgers/meetings.xlsx")).Rows);

        var resolutions = await LedgerAsync(secretary, "/api/ledgers/resolutions.xlsx");
        var ours = resolutions.Rows.Where(r => Equals(r["会议名称"], title)).ToList();
        Assert.Equal(["序号", "议定事项", "会议名称", "会议时间", "社区", "责任单位", "完成时限", "是否达成共识", "办理状态", "完成时间"], resolutions.Headers);
        Assert.Equal(["物业公司", "社区居委会"], ours.Select(r => r["责任单位"]?.ToString()).Order());
        Assert.All(ours, r => Assert.Equal((deadline, "待落实", "达成共识", "3号楼路灯四方联席会议"),
            (r["完成时限"]?.ToString(), r["办理状态"], r["是否达成共识"], r["会议名称"])));
        int Ours(Sheet sheet) => sheet.Rows.Count(r => Equals(r["会议名称"], title));
        Assert.Equal(2, Ours(await LedgerAsync(secretary, "/api/ledgers/resolutions.xlsx?status=pending")));
        Assert.Equal(0, Ours(await LedgerAsync(secretary, "/api/ledgers/resolutions.xlsx?status=done")));
        Assert.All((await LedgerAsync(secretary, "/api/ledgers/resolutions.xlsx?status=pending")).Rows, r => Assert.Equal("待落实", r["办理状态"]));

        clock.Advance(TimeSpan.FromDays(20)); // past the deadline with nothing done
        secretary = await As("secretary");
        var overdue = await LedgerAsync(secretary, "/api/ledgers/resolutions.xlsx?status=overdue");
        Assert.Equal(2, Ours(overdue));
        Assert.All(overdue.Rows, r => Assert.Equal("已逾期", r["办理状态"]));
    }

    static string ChinaDay(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");

    [Fact]
    public async Task The_work_items_ledger_gives_level_progress_and_escalations()
    {
        var gridWorker = await As("gridworker");
        var item = Id(await gridWorker.PostJsonAsync("/api/work-items", new
        {
            title = "修复3号楼路灯", responsibleUnit = "物业公司", level = "grid", orgUnitId = XingfuliGrid1,
            deadline = clock.GetUtcNow().AddDays(3),
        }));
        await gridWorker.PostJsonAsync($"/api/work-items/{item}/progress", new { text = "已报修", percent = 40 });
        await gridWorker.PostJsonAsync($"/api/work-items/{item}/escalate", new { reason = "线路需社区协调" });

        var sheet = await LedgerAsync(await As("secretary"), "/api/ledgers/work-items.xlsx");
        Assert.Equal(["序号", "工作事项", "责任单位", "当前层级", "所在组织", "关联事项", "派发时间", "完成时限", "状态", "进度(%)", "完成时间", "升级次数",
            "升级记录", "是否返工"], sheet.Headers);
        var row = Assert.Single(sheet.Rows);
        Assert.Equal(("修复3号楼路灯", "社区", "幸福里社区"), (row["工作事项"], row["当前层级"], row["所在组织"]));
        Assert.Equal((40, 1), (Convert.ToInt32(row["进度(%)"]), Convert.ToInt32(row["升级次数"])));
        Assert.Contains("网格→社区（线路需社区协调）", row["升级记录"]!.ToString());
        Assert.Empty((await LedgerAsync(await As("secretary"), "/api/ledgers/work-items.xlsx?status=done")).Rows);
    }

    [Fact]
    public async Task The_ballots_ledger_gives_rule_electorate_turnout_and_result_and_never_who_chose_what_on_a_secret_ballot()
    {
        var committee = await As("owners-committee");
        var ballot = Id(await OwnersBallots.OpenAsync(App, committee, new
        {
            title = "是否同意使用公共收益更换小区路灯", rule = "civil-code-278-ordinary", kind = "other-major-matter",
            orgUnitId = DemoData.Ids.Xingfuli, secret = true, closesAt = clock.GetUtcNow().AddDays(7),
        }));
        var voters = new[] { ("owner-xf-1-201", "agree"), ("owner-xf-1-202", "disagree"), ("owner-xf-1-301", "agree") };
        foreach (var (user, choice) in voters)
        {
            var cast = await (await As(user)).PostAsJsonAsync($"/api/ballots/{ballot}/votes", new { choice });
            Assert.True(cast.IsSuccessStatusCode, await cast.Content.ReadAsStringAsync());
        }
        const string title = "是否同意使用公共收益更换小区路灯";
        var open = Assert.Single((await LedgerAsync(committee, "/api/ledgers/ballots.xlsx")).Rows, r => Equals(r["表决事项"], title));
        Assert.Equal(("投票中", 3, ""), (open["状态"], Convert.ToInt32(open["参与人数"]), open["表决结果"]?.ToString() ?? ""));
        Assert.Null(open["同意人数"]); // no running totals while it is open

        clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetServices<Deliberate.Server.Scheduling.IDeadlineHandler>().Single(h => h.Kind == "ballot.close")
                .HandleAsync(Guid.Parse(ballot), CancellationToken.None);

        committee = await As("owners-committee"); // signed in again: eight days later
        var sheet = await LedgerAsync(committee, "/api/ledgers/ballots.xlsx?status=closed");
        var row = Assert.Single(sheet.Rows, r => Equals(r["表决事项"], title));
        var view = await committee.GetJsonAsync($"/api/ballots/{ballot}");
        Assert.Equal(("不记名", "已计票", "幸福里社区"), (row["记名方式"], row["状态"], row["范围"]));
        Assert.Equal(view["electorate"]!["heads"]!.GetValue<int>(), Convert.ToInt32(row["应参与人数"]));
        Assert.Equal((3, 2, 1, 0), (Convert.ToInt32(row["参与人数"]), Convert.ToInt32(row["同意人数"]), Convert.ToInt32(row["反对人数"]),
            Convert.ToInt32(row["弃权人数"])));
        Assert.Equal(view["outcome"]!.GetValue<string>() switch { "passed" => "通过", "rejected" => "未通过", _ => "未形成决定" }, row["表决结果"]);
        Assert.False(string.IsNullOrEmpty(row["表决规则"]?.ToString()));

        // Who chose what: no column for a voter, a unit or a choice, and no voter's name or unit anywhere in the workbook.
        Assert.DoesNotContain(sheet.Headers, h => h.Contains("业主") || h.Contains("房号") || h.Contains("姓名") || h.Contains("选择"));
        var names = await ExecutionKit.QueryAsync(App, db => db.Users.Where(u => voters.Select(v => v.Item1).Contains(u.UserName))
            .Select(u => u.DisplayName).ToListAsync());
        Assert.Equal(3, names.Count);
        foreach (var cell in sheet.Cells)
        {
            Assert.DoesNotContain(names, n => cell.Contains(n));
            Assert.DoesNotContain(new[] { "1-201", "1-202", "1-301" }, u => cell.Contains(u));
        }
    }
}
