namespace Deliberate.Workflows.Activities;

/// <summary>Names an activity type for the designer and the JSON files.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string type, string category, string nameZh, string nameEn) : Attribute
{
    public string Type { get; } = type;
    public string Category { get; } = category;
    public string NameZh { get; } = nameZh;
    public string NameEn { get; } = nameEn;
    public string? DescriptionZh { get; init; }
    public string? DescriptionEn { get; init; }
}

/// <summary>A port the activity can leave by.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class OutcomeAttribute(string name, string nameZh, string nameEn) : Attribute
{
    public string Name { get; } = name;
    public string NameZh { get; } = nameZh;
    public string NameEn { get; } = nameEn;
}

/// <summary>
/// The activity's ports are listed in one of its inputs: an array whose items are names or
/// objects with a "name" (Fork branches, Switch cases, HumanTask outcomes).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutcomesFromInputAttribute(string inputName) : Attribute
{
    public string InputName { get; } = inputName;
}

/// <summary>A plain input property, shown in the designer's property panel.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InputAttribute(string nameZh, string nameEn) : Attribute
{
    public string NameZh { get; } = nameZh;
    public string NameEn { get; } = nameEn;
    public string? DescriptionZh { get; init; }
    public string? DescriptionEn { get; init; }
    /// <summary>How the designer edits it, see <see cref="UiHints"/>.</summary>
    public string UiHint { get; init; } = UiHints.SingleLine;
    public bool Required { get; init; }
    /// <summary>Allowed values for a select.</summary>
    public string[]? Options { get; init; }
}

/// <summary>The editors the designer knows.</summary>
public static class UiHints
{
    public const string SingleLine = "single-line";
    public const string MultiLine = "multi-line";
    /// <summary>A JavaScript expression, evaluated when the activity runs.</summary>
    public const string Script = "script";
    /// <summary>Text with ${expression} parts.</summary>
    public const string Template = "template";
    public const string Number = "number";
    public const string Checkbox = "checkbox";
    public const string Select = "select";
    /// <summary>An ISO 8601 duration such as PT24H or P3D.</summary>
    public const string Duration = "duration";
    public const string Variable = "variable";
    public const string StringList = "string-list";
    public const string SwitchCases = "switch-cases";
    public const string FormFields = "form-fields";
    public const string Outcomes = "outcomes";
    /// <summary>A role of the organisation; the host lists them.</summary>
    public const string Role = "role";
}
