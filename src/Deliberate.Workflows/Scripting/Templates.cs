namespace Deliberate.Workflows.Scripting;

/// <summary>Text with ${expression} parts, evaluated as a JavaScript template literal.</summary>
public static class Templates
{
    public static bool HasExpressions(string text) => text.Contains("${", StringComparison.Ordinal);

    public static string ToScript(string text) =>
        "`" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";
}
