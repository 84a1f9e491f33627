using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Server.Voting;

namespace Deliberate.Tests.Voting;

/// <summary>The request and result shapes of <c>POST /api/tally</c> under System.Text.Json's web defaults.</summary>
public class TallyJsonTests
{
    private static readonly JsonSerializerOptions Web = JsonSerializerOptions.Web;

    [Fact]
    public void An_owners_request_in_the_documented_shape_is_read_and_its_result_written_in_the_documented_shape()
    {
        const string json = """
            { "rule": "civil-code-278-ordinary",
              "electorate": [ { "unit": "1-101", "owners": ["张三"], "area": 89.5 },
                              { "unit": "1-102", "owners": [], "area": 90.1, "developerUnsold": true },
                              { "unit": "1-103", "owners": ["李四", "王五"], "area": 100 } ],
              "ballots": [ { "unit": "1-101", "choice": "agree" }, { "unit": "1-103", "choice": "abstain" } ],
              "deemedConsent": false }
            """;

        var request = JsonSerializer.Deserialize<TallyRequest>(json, Web)!;
        var result = Tally.Count(request);
        var written = JsonNode.Parse(JsonSerializer.Serialize(result, Web))!.AsObject();

        Assert.True(request.Electorate![1].DeveloperUnsold);
        Assert.Equal("rejected", (string?)written["outcome"]); // 1 agree of 2 taking part is exactly half
        Assert.True((bool)written["quorumMet"]!);
        Assert.Equal(279.6m, (decimal)written["totals"]!["area"]!);
        Assert.Equal(3, (int)written["totals"]!["headcount"]!);
        Assert.Equal(189.5m, (decimal)written["participating"]!["area"]!);
        Assert.Equal(1, (int)written["agree"]!["headcount"]!);
        Assert.Equal(0, (int)written["disagree"]!["headcount"]!);
        Assert.Equal(100m, (decimal)written["abstain"]!["area"]!);
        Assert.False(written.ContainsKey("deemed"));
        Assert.False(written.ContainsKey("deemedAs"));
        Assert.False(written.ContainsKey("present"));
        Assert.Equal("civil-code-278-ordinary", (string?)written["rule"]!["name"]);
        Assert.Equal("2/3", (string?)written["rule"]!["quorum"]!["fraction"]);
        Assert.Equal(1, (int)written["rule"]!["pass"]!["numerator"]!);
        Assert.Equal(2, (int)written["rule"]!["pass"]!["denominator"]!);
        Assert.False((bool)written["rule"]!["pass"]!["inclusive"]!);
        Assert.NotNull((string?)written["rule"]!["pass"]!["textZh"]);
        Assert.NotNull((string?)written["rule"]!["pass"]!["textEn"]);
    }

    [Fact]
    public void Deemed_figures_are_written_only_when_deemed_consent_is_on()
    {
        const string json = """
            { "rule": "civil-code-278-ordinary", "deemedConsent": true,
              "electorate": [ { "unit": "1", "owners": ["a"], "area": 10 }, { "unit": "2", "owners": ["b"], "area": 10 },
                              { "unit": "3", "owners": ["c"], "area": 10 } ],
              "ballots": [ { "unit": "1", "choice": "agree" } ] }
            """;

        var written = JsonNode.Parse(JsonSerializer.Serialize(Tally.Count(JsonSerializer.Deserialize<TallyRequest>(json, Web)!), Web))!;

        Assert.Equal("passed", (string?)written["outcome"]);
        Assert.Equal(20m, (decimal)written["deemed"]!["area"]!);
        Assert.Equal(2, (int)written["deemed"]!["headcount"]!);
        Assert.Equal("agree", (string?)written["deemedAs"]);
    }

    [Fact]
    public void A_member_request_is_read_and_its_result_has_headcounts_without_area()
    {
        const string json = """
            { "rule": "owners-committee", "members": ["m1", "m2", "m3", "m4", "m5"], "present": ["m1", "m2", "m3"],
              "ballots": [ { "voter": "m1", "choice": "agree" }, { "voter": "m2", "choice": "agree" }, { "voter": "m3", "choice": "disagree" } ] }
            """;

        var written = JsonNode.Parse(JsonSerializer.Serialize(Tally.Count(JsonSerializer.Deserialize<TallyRequest>(json, Web)!), Web))!;

        Assert.Equal("rejected", (string?)written["outcome"]); // 2 of 5 members
        Assert.Equal("""{"headcount":5}""", written["totals"]!.ToJsonString());
        Assert.Equal("""{"headcount":3}""", written["present"]!.ToJsonString());
        Assert.Equal("""{"headcount":2}""", written["agree"]!.ToJsonString());
        Assert.Equal("entitled", (string?)written["rule"]!["pass"]!["base"]);
    }

    [Fact]
    public void A_custom_rule_is_read_from_the_documented_shape()
    {
        const string json = """
            { "rule": "custom", "members": ["m1", "m2", "m3"], "present": ["m1", "m2", "m3"],
              "ballots": [ { "voter": "m1", "choice": "agree" }, { "voter": "m2", "choice": "agree" }, { "voter": "m3", "choice": "abstain" } ],
              "threshold": { "fraction": "2/3", "base": "present", "inclusive": true,
                             "quorum": { "fraction": "1/2", "inclusive": false }, "measures": ["headcount"] } }
            """;

        var result = Tally.Count(JsonSerializer.Deserialize<TallyRequest>(json, Web)!);

        Assert.Equal(TallyOutcome.Passed, result.Outcome);
        Assert.Equal("custom", result.Rule.Name);
        Assert.Equal("1/2", result.Rule.Quorum!.Fraction);
    }

    [Fact]
    public void Outcomes_are_written_in_camel_case()
    {
        Assert.Equal("\"noDecision\"", JsonSerializer.Serialize(TallyOutcome.NoDecision, Web));
        Assert.Equal(TallyOutcome.Passed, JsonSerializer.Deserialize<TallyOutcome>("\"passed\"", Web));
    }
}
