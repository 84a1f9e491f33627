using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Model;
using Deliberate.Workflows.Runtime;

namespace Deliberate.Workflows.Activities;

/// <summary>One field of a task's form.</summary>
public sealed class FormField
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public string? LabelEn { get; set; }
    /// <summary>text, textarea, number, boolean, select or date.</summary>
    public string Type { get; set; } = "text";
    public bool Required { get; set; }
    public List<string>? Options { get; set; }
    /// <summary>What people read for a select's options, by option (the value stored is the option itself, often a code).</summary>
    public Dictionary<string, string>? OptionLabels { get; set; }
    public Dictionary<string, string>? OptionLabelsEn { get; set; }
    /// <summary>Only ask for this field when the task ends by one of these outcomes (all when empty).</summary>
    public List<string>? ForOutcomes { get; set; }

    public static readonly string[] Types = ["text", "textarea", "number", "boolean", "select", "date"];
}

/// <summary>
/// One way a task can end: its port name and its label. A plain string in JSON is read as the name.
/// <c>confirm</c> says what choosing it sets going (the app asks before sending, as a completion cannot be undone).
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(TaskOutcomeJsonConverter))]
public sealed class TaskOutcome
{
    public string Name { get; set; } = "";
    public string? Label { get; set; }
    public string? LabelEn { get; set; }
    public string? Confirm { get; set; }
    public string? ConfirmEn { get; set; }
}

public sealed class TaskOutcomeJsonConverter : System.Text.Json.Serialization.JsonConverter<TaskOutcome>
{
    public override TaskOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new TaskOutcome { Name = reader.GetString()! };
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("An outcome is a name or an object with a name.");
        return new TaskOutcome
        {
            Name = (string?)node["name"] ?? "", Label = (string?)node["label"], LabelEn = (string?)node["labelEn"],
            Confirm = (string?)node["confirm"], ConfirmEn = (string?)node["confirmEn"],
        };
    }

    public override void Write(Utf8JsonWriter writer, TaskOutcome value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        if (value.Label is not null) writer.WriteString("label", value.Label);
        if (value.LabelEn is not null) writer.WriteString("labelEn", value.LabelEn);
        if (value.Confirm is not null) writer.WriteString("confirm", value.Confirm);
        if (value.ConfirmEn is not null) writer.WriteString("confirmEn", value.ConfirmEn);
        writer.WriteEndObject();
    }
}

/// <summary>The bookmark payload of a human task: what the inbox shows.</summary>
public sealed record HumanTaskRequest(
    string Title,
    string? Description,
    string Role,
    string? Scope,
    string? Assignee,
    IReadOnlyList<FormField> Form,
    IReadOnlyList<TaskOutcome> Outcomes,
    DateTimeOffset? DueAt);

/// <summary>How a person completed a task.</summary>
public sealed record HumanTaskResponse(string Outcome, JsonObject? Values);

/// <summary>A completion that does not fit the task: an outcome it does not offer, a missing or malformed field.</summary>
public sealed class TaskResponseException(IReadOnlyList<TaskResponseError> errors) : Exception(string.Join("; ", errors.Select(e => e.MessageEn)))
{
    public IReadOnlyList<TaskResponseError> Errors { get; } = errors;
}

public sealed record TaskResponseError(string Field, string MessageZh, string MessageEn);

[Activity("HumanTask", "Human", "人工任务", "Human task",
    DescriptionZh = "把任务放进某角色（在某组织范围内）的待办，等其选择结果并填写表单。",
    DescriptionEn = "Puts a task in the inbox of a role within an organisation scope and waits for its outcome and form.")]
[OutcomesFromInput("outcomes")]
public sealed class HumanTask : Activity
{
    public const string BookmarkName = "HumanTask";

    [Input("标题", "Title", UiHint = UiHints.Template, Required = true, DescriptionZh = "可用 ${variables.title} 插入变量",
        DescriptionEn = "Use ${variables.title} to insert a variable")]
    public string Title { get; set; } = "";

    [Input("说明", "Description", UiHint = UiHints.Template)]
    public string? Description { get; set; }

    [Input("角色", "Role", UiHint = UiHints.Role, Required = true)]
    public string Role { get; set; } = "";

    [Input("组织范围", "Scope", UiHint = UiHints.Script,
        DescriptionZh = "JavaScript 表达式，值为组织节点 id，如 variables.gridId",
        DescriptionEn = "A JavaScript expression giving the organisation node id, e.g. variables.gridId")]
    public string? Scope { get; set; }

    [Input("指定办理人", "Assignee", UiHint = UiHints.Script,
        DescriptionZh = "JavaScript 表达式，值为用户 id；留空则该角色在范围内的人都可办理",
        DescriptionEn = "A JavaScript expression giving a user id; empty lets anyone of the role in scope do it")]
    public string? Assignee { get; set; }

    [Input("表单", "Form", UiHint = UiHints.FormFields)]
    public List<FormField> Form { get; set; } = [];

    [Input("结果选项", "Outcomes", UiHint = UiHints.Outcomes, Required = true)]
    public List<TaskOutcome> Outcomes { get; set; } = [];

    [Input("办理时限", "Deadline", UiHint = UiHints.Duration, DescriptionZh = "多久内办理，如 24 小时、3 天", DescriptionEn = "An ISO 8601 duration, e.g. PT24H")]
    public TimeSpan? Deadline { get; set; }

    [Input("结果存入变量", "Store result in", UiHint = UiHints.Variable)]
    public string? OutputVariable { get; set; }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var request = new HumanTaskRequest(
            context.Render(Title),
            string.IsNullOrEmpty(Description) ? null : context.Render(Description),
            Role,
            string.IsNullOrWhiteSpace(Scope) ? null : WaitForEvent.ScalarText(context.Evaluate(Scope)),
            string.IsNullOrWhiteSpace(Assignee) ? null : WaitForEvent.ScalarText(context.Evaluate(Assignee)),
            Form,
            Outcomes,
            Deadline is { } deadline ? context.Now + deadline : null);
        return new(ActivityResult.Wait(new BookmarkRequest(BookmarkName, Payload: JsonSerializer.SerializeToNode(request, WorkflowJson.Options))));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var request = bookmark.Payload.Deserialize<HumanTaskRequest>(WorkflowJson.Options)!;
        var response = payload.Deserialize<HumanTaskResponse>(WorkflowJson.Options)
            ?? throw new TaskResponseException([new("outcome", "缺少办理结果。", "The outcome is missing.")]);
        var values = Check(request, response);

        var result = new JsonObject
        {
            ["outcome"] = response.Outcome,
            ["values"] = values.DeepClone(),
            ["by"] = new JsonObject { ["id"] = context.Actor.Id, ["name"] = context.Actor.Name },
            ["at"] = context.Now.ToString("O", CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrEmpty(OutputVariable)) context.SetVariable(OutputVariable, result);
        context.JournalData = new JsonObject { ["values"] = values };
        return new(ActivityResult.Done(response.Outcome));
    }

    /// <summary>Checks a completion against the task: the outcome is offered, the fields fit. Returns the values kept.</summary>
    public static JsonObject Check(HumanTaskRequest request, HumanTaskResponse response)
    {
        var errors = new List<TaskResponseError>();
        if (!request.Outcomes.Any(o => o.Name == response.Outcome))
            errors.Add(new("outcome", $"结果“{response.Outcome}”不在可选项中（{string.Join("、", request.Outcomes.Select(o => o.Name))}）。",
                $"Outcome '{response.Outcome}' is not one of {string.Join(", ", request.Outcomes.Select(o => o.Name))}."));

        var values = new JsonObject();
        var given = response.Values ?? [];
        foreach (var unknown in given.Select(p => p.Key).Where(k => !request.Form.Any(f => f.Name == k)))
            errors.Add(new(unknown, $"表单没有字段“{unknown}”。", $"The form has no field '{unknown}'."));
        foreach (var field in request.Form)
        {
            var applies = field.ForOutcomes is not { Count: > 0 } || field.ForOutcomes.Contains(response.Outcome);
            var value = given[field.Name];
            var blank = value is null || (value is JsonValue v && v.TryGetValue(out string? s) && string.IsNullOrWhiteSpace(s));
            if (blank)
            {
                if (field.Required && applies)
                    errors.Add(new(field.Name, $"请填写“{field.Label}”。", $"'{field.LabelEn ?? field.Label}' is required."));
                continue;
            }
            if (FieldError(field, value!) is { } error) errors.Add(error);
            else values[field.Name] = value!.DeepClone();
        }
        if (errors.Count > 0) throw new TaskResponseException(errors);
        return values;
    }

    /// <summary>A select's options as people read them (the codes where the form gives no words).</summary>
    static IEnumerable<string> OptionNames(FormField field, bool english) => (field.Options ?? []).Select(o =>
        (english ? field.OptionLabelsEn?.GetValueOrDefault(o) : null) ?? field.OptionLabels?.GetValueOrDefault(o) ?? o);

    static TaskResponseError? FieldError(FormField field, JsonNode value)
    {
        var label = field.Label;
        var labelEn = field.LabelEn ?? field.Label;
        var text = value is JsonValue jv && jv.TryGetValue(out string? str) ? str : null;
        return field.Type switch
        {
            "number" when !(value is JsonValue n && n.TryGetValue(out double _)) =>
                new(field.Name, $"“{label}”应为数字。", $"'{labelEn}' must be a number."),
            "boolean" when !(value is JsonValue b && b.TryGetValue(out bool _)) =>
                new(field.Name, $"“{label}”应为是或否。", $"'{labelEn}' must be true or false."),
            "select" when text is null || field.Options?.Contains(text) != true =>
                new(field.Name, $"“{label}”应从可选项中选择（{string.Join("、", OptionNames(field, english: false))}）。",
                    $"'{labelEn}' must be one of {string.Join(", ", OptionNames(field, english: true))}."),
            "date" when text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) =>
                new(field.Name, $"“{label}”应为日期。", $"'{labelEn}' must be a date."),
            "text" or "textarea" when text is null =>
                new(field.Name, $"“{label}”应为文字。", $"'{labelEn}' must be text."),
            "text" or "textarea" when text!.Length > 4000 =>
                new(field.Name, $"“{label}”不能超过 4000 字。", $"'{labelEn}' must be at most 4000 characters."),
            _ => null,
        };
    }
}
