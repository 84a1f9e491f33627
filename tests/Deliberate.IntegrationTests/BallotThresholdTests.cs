using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>A custom rule's threshold is checked when the ballot is made; a stored one that cannot be counted stops its ballot once.</summary>
public sealed class BallotThresholdTests : AppTest
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;

    object Body(object? threshold, string rule = "custom") => new
    {
        title = "是否同意调整停车管理办法", rule, kind = "other-major-matter", threshold, orgUnitId = DemoData.Ids.Xingfuli,
        closesAt = clock.GetUtcNow().AddDays(7),
    };

    [Theory]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("abc")]
    [InlineData("3/2")]
    public async Task A_custom_threshold_that_can_never_be_counted_is_refused_naming_the_threshold(string fraction)
    {
        var committee = await As("owners-committee");
        var response = await committee.PostAsJsonAsync("/api/ballots",
            OwnersBallots.Announced(Body(new { fraction, @base = "participating", inclusive = true }), clock.GetUtcNow()));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["threshold"]);
        await using var scope = App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Ballots.AnyAsync(b => b.Title == "是否同意调整停车管理办法"));
    }

    [Fact]
    public async Task A_threshold_given_with_a_rule_set_by_law_is_refused()
    {
        var committee = await As("owners-committee");
        var response = await committee.PostAsJsonAsync("/api/ballots",
            OwnersBallots.Announced(Body(new { fraction = "1/2", @base = "participating", inclusive = false }, "civil-code-278-ordinary"),
            clock.GetUtcNow()));
        Assert.NotNull((await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation"))["errors"]!["threshold"]);
    }

    [Fact]
    public async Task A_stored_ballot_whose_rule_cannot_be_counted_is_marked_faulted_at_its_close_and_not_tried_again()
    {
        var committee = await As("owners-committee");
        var ballot = await OwnersBallots.OpenAsync(App, committee,
            Body(new { fraction = "2/3", @base = "participating", inclusive = true, quorum = new { fraction = "2/3", inclusive = true } }));
        var id = Guid.Parse(ballot["id"]!.GetValue<string>());
        // A row stored before thresholds were checked at creation.
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().Database.ExecuteSqlAsync(
                $"""
                UPDATE "Ballots" SET "CustomRuleJson" = {"{\"fraction\":\"1/0\",\"base\":\"participating\",\"inclusive\":true}"}
                WHERE "Id" = {id}
                """);

        clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetServices<IDeadlineHandler>().Single(h => h.Kind == "ballot.close");
            await handler.HandleAsync(id, CancellationToken.None); // threw on every attempt before
            Assert.DoesNotContain(await handler.PendingAsync(null, CancellationToken.None), d => d.Id == id);
        }
        var view = await (await As("owners-committee")).GetJsonAsync($"/api/ballots/{id}"); // signed in again: 8 days on
        Assert.Equal("faulted", view["status"]!.GetValue<string>());
        Assert.False(view["isOpen"]!.GetValue<bool>());
    }
}
