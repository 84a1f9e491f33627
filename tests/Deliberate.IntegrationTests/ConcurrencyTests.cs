using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>Two people acting at once never corrupt a workflow: exactly one wins, the other is told and changes nothing.</summary>
public sealed class ConcurrencyTests : AppTest
{
    [Fact]
    public async Task Two_people_completing_the_same_task_at_once_one_wins_and_the_other_gets_409_and_changes_nothing()
    {
        var resident = await As("resident");
        var gridWorker = await As("gridworker");
        var admin = await As("admin");
        var designer = await As("designer");

        for (var round = 0; round < 5; round++)
        {
            var matter = await RaiseAsync(resident, $"路灯不亮 {round}");
            var id = matter["id"]!.GetValue<string>();
            var task = await OpenTaskAsync(gridWorker, id);
            var url = $"/api/tasks/{task["id"]}/complete";

            var responses = await Task.WhenAll(
                gridWorker.PostAsJsonAsync(url, new { outcome = "major", values = new { verified = true, note = "大事" } }),
                admin.PostAsJsonAsync(url, new { outcome = "minor", values = new { verified = true, note = "小事" } }));

            var codes = responses.Select(r => r.StatusCode).OrderBy(c => c).ToList();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes);
            var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("application/problem+json", loser.Content.Headers.ContentType?.MediaType);

            var winnerOutcome = (await responses.Single(r => r.IsSuccessStatusCode).JsonAsync())["outcome"]!.GetValue<string>();
            var after = await resident.GetJsonAsync($"/api/matters/{id}");
            Assert.Equal(winnerOutcome == "major" ? "deliberate" : "execute", after["step"]!.GetValue<string>());
            Assert.Equal(winnerOutcome, after["triage"]!.GetValue<string>());
            // Exactly one next step: the instance waits at one place (the meeting, or the grid's work).
            var instance = await designer.GetJsonAsync($"/api/workflow-instances/{after["workflowInstanceId"]}");
            Assert.Single(instance["bookmarks"]!.AsArray());

            var journal = (await designer.GetJsonAsync($"/api/workflow-instances/{after["workflowInstanceId"]}/journal"))["items"]!.AsArray();
            Assert.Single(journal, j => j!["event"]!.GetValue<string>() == "Resumed" && j["activityId"]!.GetValue<string>() == "hear");
        }
    }

    [Fact]
    public async Task Many_matters_raised_at_once_each_get_their_own_workflow_and_hearing_task()
    {
        var residents = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => As("resident")));
        var raised = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => RaiseAsync(residents[i % residents.Length], $"事项 {i}")));
        Assert.Equal(20, raised.Select(m => m["workflowInstanceId"]!.GetValue<string>()).Distinct().Count());

        var inbox = (await (await As("gridworker")).GetJsonAsync("/api/tasks"))["items"]!.AsArray();
        foreach (var matter in raised)
            Assert.Single(inbox, t => t!["matter"]?["id"]?.GetValue<string>() == matter["id"]!.GetValue<string>());
    }

    static HttpRequestMessage RaiseWithKey(string key, string title) => new(HttpMethod.Post, "/api/matters")
    {
        Headers = { { "Idempotency-Key", key } },
        Content = JsonContent.Create(new { title, description = "电梯异响", category = "facilities", gridId = XingfuliGrid1 }),
    };

    [Fact]
    public async Task A_raise_delivered_again_asking_for_anonymity_is_refused_rather_than_answered_with_the_named_matter()
    {
        var resident = await As("resident");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await resident.SendAsync(RaiseWithKey(key, "电梯异响"))).StatusCode);

        // The retry adds what the first did not say: anonymity, a place, a phone. It is another request, not a retry.
        var anonymous = new HttpRequestMessage(HttpMethod.Post, "/api/matters")
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(new
            {
                title = "电梯异响", description = "电梯异响", category = "facilities", gridId = XingfuliGrid1,
                anonymous = true, location = "3号楼", contactPhone = "13800000000"
            }),
        };
        var misuse = await resident.SendAsync(anonymous);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misuse.StatusCode);
        Assert.Equal("idempotencyKeyReused", (await misuse.JsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_raise_delivered_again_with_its_Idempotency_Key_answers_the_first_matter_and_raises_nothing_new()
    {
        var resident = await As("resident");
        var before = (await resident.GetJsonAsync("/api/matters?mine=true"))["total"]!.GetValue<int>();
        var key = Guid.NewGuid().ToString();

        var first = await resident.SendAsync(RaiseWithKey(key, "电梯异响"));
        var again = await resident.SendAsync(RaiseWithKey(key, "电梯异响"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal((await first.JsonAsync())["id"]!.GetValue<string>(), (await again.JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(first.Headers.Location, again.Headers.Location);

        // The same key with other content is a client mistake, not a retry.
        var misuse = await resident.SendAsync(RaiseWithKey(key, "另一件事"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misuse.StatusCode);
        Assert.Equal("idempotencyKeyReused", (await misuse.JsonAsync())["code"]!.GetValue<string>());

        // A key is the raiser's own: another resident's same key raises their own matter.
        var neighbour = await As("owner-xf-1-101");
        var theirs = await neighbour.SendAsync(RaiseWithKey(key, "电梯异响"));
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual((await first.JsonAsync())["id"]!.GetValue<string>(), (await theirs.JsonAsync())["id"]!.GetValue<string>());

        Assert.Equal(before + 1, (await resident.GetJsonAsync("/api/matters?mine=true"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deliveries_of_one_raise_racing_each_other_raise_one_matter_with_one_hearing_task()
    {
        var resident = await As("resident");
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => resident.SendAsync(RaiseWithKey(key, "楼道堆物"))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = (await Task.WhenAll(answers.Select(a => a.JsonAsync()))).Select(m => m["id"]!.GetValue<string>()).Distinct().ToList();
        var id = Assert.Single(ids);
        await OpenTaskAsync(await As("gridworker"), id); // exactly one
    }

    [Fact]
    public async Task A_malformed_Idempotency_Key_is_refused_and_raises_nothing()
    {
        var resident = await As("resident");
        var before = (await resident.GetJsonAsync("/api/matters?mine=true"))["total"]!.GetValue<int>();
        var answer = await resident.SendAsync(RaiseWithKey(new string('k', 101), "井盖松动"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.NotNull((await answer.JsonAsync())["errors"]?["Idempotency-Key"]);
        Assert.Equal(before, (await resident.GetJsonAsync("/api/matters?mine=true"))["total"]!.GetValue<int>());
    }
}
