namespace Deliberate.Workflows.Validation;

/// <summary>One fault in a definition, named for the activity it is on, in both languages.</summary>
public sealed record DefinitionError(string Code, string? ActivityId, string MessageZh, string MessageEn)
{
    public string Message(string? culture) =>
        culture is not null && culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? MessageEn : MessageZh;
}

/// <summary>A definition that cannot run, with all its faults.</summary>
public sealed class InvalidDefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception("The workflow definition is not valid: " + string.Join("; ", errors.Select(e => e.MessageEn)))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
