using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Execution;
using Deliberate.Server.Ratings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The district's measures on a fixture built through the API on a fake clock: five matters in three grids, hearing
/// tasks done on time, late and not at all, a work item done and a round of ratings; every figure is known exactly.
/// </summary>
public sealed class MeasuresTests : AppTest
{
    readonly FakeTimeProvider clock = new(ExecutionKit.WholeSecond(DateTimeOffset.UtcNow));
    protected override TimeProvider? Clock => clock;

    static readonly Guid Building1 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 1);

    static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();

    string Period
    {
        get
        {
            var today = ChinaTime.Today(start);
            return $"from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(10):yyyy-MM-dd}";
        }
    }

    DateTimeOffset start;

    async Task<string> RaiseAsync(string userName, string title, string category, Guid grid, Guid? building = null) =>
        Text(await (await As(userName))
            .PostJsonAsync("/api/matters", new { title, description = "说明", category, gridId = grid, buildingId = building }), "id");

    /// <summary>
    /// M1 幸福里一网格 facilities: heard in 2 h (on time), its work item done, rated 4 of 5 satisfied, closed at the deadline.
    /// M2 幸福里一网格 environment: heard after 30 h (late), private, closed. M3 幸福里二网格 parking: never heard, overdue.
    /// M4 和平一网格 environment: heard in 2 h, private, closed. M5 幸福里一网格 environment: raised last, not yet due.
    /// </summary>
    async Task BuildFixtureAsync()
    {
        start = clock.GetUtcNow();
        await ExecutionKit.PublishAsync(await As("designer"), ExecutionKit.MatterFlow());
        var m1 = await RaiseAsync("resident", "1号楼路灯不亮", "facilities", XingfuliGrid1, Building1);
        var m2 = await RaiseAsync("owner-xf-1-201", "楼道堆放杂物", "environment", XingfuliGrid1);
        await RaiseAsync("owner-xf-3-101", "消防通道被占", "parking", XingfuliGrid2);
        var m4 = await RaiseAsync("owner-hp-1-101", "垃圾桶满溢", "environment", HepingGrid1);

        clock.Advance(TimeSpan.FromHours(2));
        await CompleteAsync(await As("gridworker"), m1, "minor");
        await CompleteAsync(await As("hp-gridworker"), m4, "private");

        clock.Advance(TimeSpan.FromHours(1));
        var gridWorker = await As("gridworker");
        var item = Assert.Single((await gridWorker.GetJsonAsync($"/api/work-items?matterId={m1}"))["items"]!.AsArray())!;
        await gridWorker.PostJsonAsync($"/api/work-items/{Text(item, "id")}/complete", new { text = "路灯已更换" });
        foreach (var (user, choice) in new[]
        {
            ("resident", "satisfied"), ("owner-xf-1-201", "satisfied"), ("owner-xf-1-202", "basicallySatisfied"),
            ("owner-xf-1-301", "satisfied"), ("owner-xf-1-302", "dissatisfied"),
        })
            await (await As(user)).PostJsonAsync($"/api/matters/{m1}/ratings", new { choice });

        clock.Advance(TimeSpan.FromHours(27)); // 30 h after raising: the hearing of M2 is 6 h late
        await CompleteAsync(await As("gridworker"), m2, "private");

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromHours(26)); // past the end of M1's rating window
        var round = await ExecutionKit.QueryAsync(App,
            db => db.RatingRounds.Where(r => r.MatterId == Guid.Parse(m1)).Select(r => r.Id).SingleAsync());
        await ExecutionKit.RunDeadlineAsync(App, RatingCloseHandler.KindName, round);
        Assert.Equal("closed", await StepOfAsync(await As("resident"), m1));

        await RaiseAsync("owner-xf-1-202", "绿化带缺水", "environment", XingfuliGrid1);
    }

    static void AssertRate(JsonNode row, string measure, int numerator, int denominator, decimal? rate)
    {
        var m = row[measure]!;
        Assert.Equal((numerator, denominator), (m["numerator"]!.GetValue<int>(), m["denominator"]!.GetValue<int>()));
        Assert.Equal(rate, m["rate"]?.GetValue<decimal>());
    }

    static Dictionary<string, int> Counts(JsonNode row, string name) =>
        row[name]!.AsArray().Where(c => c!["count"]!.GetValue<int>() > 0).ToDictionary(c => Text(c!, "code"), c => c!["count"]!.GetValue<int>());

    [Fact]
    public async Task The_measures_count_each_node_of_the_level_in_the_callers_scope_exactly()
    {
        await BuildFixtureAsync();

        var street = Assert.Single((await (await As("street")).GetJsonAsync($"/api/measures?level=street&{Period}"))["rows"]!.AsArray())!;
        Assert.Equal(("示范街道", 5), (Text(street["node"]!, "name"), street["raised"]!.GetValue<int>()));
        AssertRate(street, "response", 2, 4, 0.5m);          // M1, M4 in time; M2 late; M3 overdue; M5 not yet due
        AssertRate(street, "closure", 3, 5, 0.6m);           // M1, M2, M4
        AssertRate(street, "onTimeClosure", 2, 3, 0.6667m);  // M2's hearing was late
        AssertRate(street, "satisfaction", 4, 5, 0.8m);
        Assert.Equal(new Dictionary<string, int> { ["environment"] = 3, ["facilities"] = 1, ["parking"] = 1 }, Counts(street, "byCategory"));
        Assert.Equal(new Dictionary<string, int> { ["hear"] = 2, ["closed"] = 3 }, Counts(street, "byStep"));

        var community = Assert.Single((await (await As("secretary")).GetJsonAsync($"/api/measures?level=community&{Period}"))["rows"]!.AsArray())!;
        Assert.Equal((DemoData.Ids.Xingfuli.ToString(), 4), (Text(community["node"]!, "id"), community["raised"]!.GetValue<int>()));
        AssertRate(community, "response", 1, 3, 0.3333m);
        AssertRate(community, "closure", 2, 4, 0.5m);
        AssertRate(community, "onTimeClosure", 1, 2, 0.5m);
        AssertRate(community, "satisfaction", 4, 5, 0.8m);

        var grids = (await (await As("street")).GetJsonAsync($"/api/measures?level=grid&{Period}"))["rows"]!.AsArray()
            .ToDictionary(r => Guid.Parse(Text(r!["node"]!, "id")), r => r!);
        Assert.Equal([XingfuliGrid1, XingfuliGrid2, HepingGrid1], grids.Keys.Order());
        var (g1, g2, h1) = (grids[XingfuliGrid1], grids[XingfuliGrid2], grids[HepingGrid1]);
        Assert.Equal((3, 1, 1), (g1["raised"]!.GetValue<int>(), g2["raised"]!.GetValue<int>(), h1["raised"]!.GetValue<int>()));
        AssertRate(g1, "response", 1, 2, 0.5m);
        AssertRate(g1, "closure", 2, 3, 0.6667m);
        AssertRate(g1, "onTimeClosure", 1, 2, 0.5m);
        AssertRate(g1, "satisfaction", 4, 5, 0.8m);
        AssertRate(g2, "response", 0, 1, 0m);
        AssertRate(g2, "closure", 0, 1, 0m);
        AssertRate(g2, "onTimeClosure", 0, 0, null);
        AssertRate(g2, "satisfaction", 0, 0, null);
        AssertRate(h1, "response", 1, 1, 1m);
        AssertRate(h1, "onTimeClosure", 1, 1, 1m);

        // A grid worker sees their own grid only, and no community row.
        var mine = Assert.Single((await (await As("gridworker")).GetJsonAsync($"/api/measures?level=grid&{Period}"))["rows"]!.AsArray())!;
        Assert.Equal(XingfuliGrid1.ToString(), Text(mine["node"]!, "id"));
        Assert.Empty((await (await As("gridworker")).GetJsonAsync($"/api/measures?level=community&{Period}"))["rows"]!.AsArray());

        // A period with nothing in it.
        var later = ChinaTime.Today(start).AddDays(20);
        var empty = Assert.Single((await (await As("secretary"))
            .GetJsonAsync($"/api/measures?level=community&from={later:yyyy-MM-dd}&to={later.AddDays(5):yyyy-MM-dd}"))["rows"]!.AsArray())!;
        Assert.Equal(0, empty["raised"]!.GetValue<int>());
        AssertRate(empty, "response", 0, 0, null);
        AssertRate(empty, "satisfaction", 0, 0, null);
    }

    [Fact]
    public async Task The_measures_come_as_csv_with_a_byte_order_mark_and_headers_in_the_requests_language()
    {
        await BuildFixtureAsync();

        var response = await (await As("street")).GetAsync($"/api/measures.csv?level=grid&{Period}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length); // the header and three grids
        Assert.StartsWith("组织,提事数,按时响应数,应响应数,响应率,办结数,", lines[0]);
        Assert.Contains("分类：环境卫生", lines[0]);
        Assert.Contains("步骤：网格听事", lines[0]);
        // 第二网格: one matter (parking), its hearing overdue; nothing closed or rated.
        Assert.Contains("第二网格,1,0,1,0,0,1,0,0,0,,0,0,,0,0,1,0,0,0,0,0,0,0,1,0,0,0,0,0", lines);
        Assert.Contains(lines, l => l.StartsWith("第一网格,3,1,2,0.5,2,3,0.6667,1,2,0.5,4,5,0.8,", StringComparison.Ordinal));

        var english = await (await As("street", "en")).GetAsync($"/api/measures.csv?level=street&{Period}");
        var text = Encoding.UTF8.GetString(await english.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("Node,Matters raised,Responded in time,First tasks due,Response rate,", text);
        Assert.Contains("\r\n示范街道,5,2,4,0.5,3,5,0.6,2,3,0.6667,4,5,0.8,", text);
    }

    [Theory]
    [InlineData("resident")]
    [InlineData("designer")]
    [InlineData("owner-hp-1-101")]
    public async Task Residents_and_designers_may_not_read_the_measures(string userName)
    {
        var caller = await As(userName);
        await ProblemAssert.IsProblemAsync(await caller.GetAsync("/api/measures?level=grid"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(await caller.GetAsync("/api/measures.csv?level=grid"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_level_or_period_that_cannot_be_read_is_a_400_naming_the_parameter()
    {
        var secretary = await As("secretary", "en");
        var problem = await ProblemAssert.IsProblemAsync(await secretary.GetAsync("/api/measures?level=building&from=yesterday"),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["level"]);
        Assert.NotNull(problem["errors"]!["from"]);
        var backwards = await ProblemAssert.IsProblemAsync(await secretary.GetAsync("/api/measures.csv?from=2026-03-31&to=2026-03-01"),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("To must be after from.", backwards["errors"]!["to"]![0]!.GetValue<string>());
    }
}
