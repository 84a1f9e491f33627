using System.Text.Json.Nodes;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Model;

namespace Deliberate.Tests.Workflows;

public class DescriptorTests
{
    static readonly ActivityRegistry Registry = ActivityRegistry.WithBuiltIns();

    static ActivityDescriptor Describe(string type) => Registry.Find(type) ?? throw new Xunit.Sdk.XunitException($"{type} is not registered");

    [Fact]
    public void The_built_in_registry_offers_every_runtime_activity()
    {
        Assert.Equal(
            ["Decision", "Delay", "End", "Fork", "HumanTask", "Join", "SetVariable", "Start", "Switch", "Timer", "WaitForEvent"],
            Registry.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_built_in_is_named_in_chinese_and_english_with_a_category()
    {
        foreach (var descriptor in Registry.Descriptors)
        {
            Assert.False(string.IsNullOrWhiteSpace(descriptor.DisplayName.ZhCn), descriptor.Type);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.DisplayName.En), descriptor.Type);
            Assert.Contains(descriptor.DisplayName.ZhCn, c => c >= '\u4e00' && c <= '\u9fff');
            Assert.NotNull(descriptor.Description);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Category.DisplayName.ZhCn), descriptor.Type);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Category.DisplayName.En), descriptor.Type);
        }
    }

    [Fact]
    public void Every_input_has_names_in_both_languages_a_type_and_a_ui_hint_the_designer_knows()
    {
        var knownHints = typeof(UiHints).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();

        foreach (var descriptor in Registry.Descriptors)
            foreach (var input in descriptor.Inputs)
            {
                var where = $"{descriptor.Type}.{input.Name}";
                Assert.False(string.IsNullOrWhiteSpace(input.DisplayName.ZhCn), where);
                Assert.False(string.IsNullOrWhiteSpace(input.DisplayName.En), where);
                Assert.Contains(input.UiHint, knownHints);
                Assert.Contains(input.Type, new[] { "string", "number", "boolean", "array", "object" });
                if (input.UiHint == UiHints.Select) Assert.NotEmpty(input.Options!);
            }
    }

    [Theory]
    [InlineData("Start", new string[0], new[] { "Done" })]
    [InlineData("End", new string[0], new string[0])]
    [InlineData("Decision", new[] { "condition:script:string" }, new[] { "True", "False" })]
    [InlineData("Switch", new[] { "cases:switch-cases:array", "mode:select:string" }, new[] { "Default" })]
    [InlineData("Fork", new[] { "branches:string-list:array" }, new string[0])]
    [InlineData("Join", new[] { "mode:select:string" }, new[] { "Done" })]
    [InlineData("SetVariable", new[] { "variable:variable:string", "value:script:string" }, new[] { "Done" })]
    [InlineData("WaitForEvent",
        new[] { "eventName:single-line:string", "correlation:script:string", "outputVariable:variable:string" }, new[] { "Done" })]
    [InlineData("Delay", new[] { "duration:duration:string" }, new[] { "Done" })]
    [InlineData("Timer", new[] { "at:script:string" }, new[] { "Done" })]
    [InlineData("HumanTask", new[] { "title:template:string", "description:template:string", "role:role:string", "scope:script:string",
        "assignee:script:string", "form:form-fields:array", "outcomes:outcomes:array", "deadline:duration:string", "outputVariable:variable:string" },
        new string[0])]
    public void Each_built_in_declares_its_inputs_with_ui_hints_and_its_outcomes(string type, string[] inputs, string[] outcomes)
    {
        var descriptor = Describe(type);

        Assert.Equal(inputs, descriptor.Inputs.Select(i => $"{i.Name}:{i.UiHint}:{i.Type}"));
        Assert.Equal(outcomes, descriptor.Outcomes.Select(o => o.Name));
        Assert.All(descriptor.Outcomes, o => Assert.False(string.IsNullOrWhiteSpace(o.DisplayName.ZhCn)));
    }

    [Theory]
    [InlineData("Decision", "condition")]
    [InlineData("Switch", "cases")]
    [InlineData("Fork", "branches")]
    [InlineData("SetVariable", "variable")]
    [InlineData("SetVariable", "value")]
    [InlineData("WaitForEvent", "eventName")]
    [InlineData("Delay", "duration")]
    [InlineData("Timer", "at")]
    [InlineData("HumanTask", "title")]
    [InlineData("HumanTask", "role")]
    [InlineData("HumanTask", "outcomes")]
    public void Required_inputs_are_marked_required_and_have_no_default(string type, string input)
    {
        var descriptor = Describe(type).Inputs.Single(i => i.Name == input);

        Assert.True(descriptor.Required);
        Assert.Null(descriptor.DefaultValue);
    }

    [Fact]
    public void Defaults_chosen_by_an_activity_are_described()
    {
        Assert.Equal("matchFirst", (string?)Describe("Switch").Inputs.Single(i => i.Name == "mode").DefaultValue);
        Assert.Equal("all", (string?)Describe("Join").Inputs.Single(i => i.Name == "mode").DefaultValue);
        Assert.Equal(["all", "any"], Describe("Join").Inputs.Single(i => i.Name == "mode").Options!);
        Assert.Equal(["matchFirst", "matchAny"], Describe("Switch").Inputs.Single(i => i.Name == "mode").Options!);
    }

    [Fact]
    public void Only_the_activities_that_wait_are_marked_as_waiting()
    {
        Assert.Equal(["Delay", "HumanTask", "Timer", "WaitForEvent"],
            Registry.Descriptors.Where(d => d.Waits).Select(d => d.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_fork_has_one_port_per_branch()
    {
        Assert.Equal(["a", "b"], Describe("Fork").OutcomesOf(new JsonObject { ["branches"] = new JsonArray("a", "b", "a", "") }));
    }

    [Fact]
    public void A_switch_has_one_port_per_case_and_default()
    {
        var ports = Describe("Switch").OutcomesOf(JsonNode.Parse("""
            { "cases": [{ "name": "大事", "condition": "true" }, { "name": "小事", "condition": "false" }] }
            """)!.AsObject());

        Assert.Equal(["Default", "大事", "小事"], ports);
    }

    [Fact]
    public void A_human_task_has_one_port_per_outcome()
    {
        var ports = Describe("HumanTask").OutcomesOf(JsonNode.Parse("""
            { "outcomes": [{ "name": "accept", "label": "受理" }, { "name": "reject" }] }
            """)!.AsObject());

        Assert.Equal(["accept", "reject"], ports);
    }

    [Fact]
    public void An_activity_without_its_port_list_has_only_its_declared_ports()
    {
        Assert.Equal(["Default"], Describe("Switch").OutcomesOf([]));
        Assert.Empty(Describe("HumanTask").OutcomesOf(new JsonObject { ["outcomes"] = "not a list" }));
    }

    [Fact]
    public void Descriptors_serialize_for_the_designer_with_language_keys_and_without_clr_details()
    {
        var json = JsonNode.Parse(WorkflowJson.Serialize(Describe("Decision")))!;

        Assert.Equal("Decision", (string?)json["type"]);
        Assert.Equal("条件判断", (string?)json["displayName"]!["zh-CN"]);
        Assert.Equal("Decision", (string?)json["displayName"]!["en"]);
        Assert.Equal("流程控制", (string?)json["category"]!["displayName"]!["zh-CN"]);
        var condition = json["inputs"]![0]!;
        Assert.Equal(("condition", "script", true), ((string?)condition["name"], (string?)condition["uiHint"], (bool)condition["required"]!));
        Assert.Equal("是", (string?)json["outcomes"]![0]!["displayName"]!["zh-CN"]);
        Assert.Null(json["clrType"]);
        Assert.Null(condition["property"]);
    }

    [Fact]
    public void A_registry_refuses_an_activity_in_a_category_it_does_not_have()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ActivityRegistry().Add<Uncategorized>());

        Assert.Contains("Nowhere", error.Message);
    }

    [Activity("Test.Uncategorized", "Nowhere", "无类", "Uncategorized")]
    sealed class Uncategorized : Activity
    {
        public override ValueTask<ActivityResult> ExecuteAsync(Deliberate.Workflows.Runtime.ActivityContext context) => new(ActivityResult.Done());
    }
}
