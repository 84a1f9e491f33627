using System.Text.Json;

namespace Deliberate.Server.Api;

/// <summary>
/// An enum value's name as the API spells it ("gridWorker", "noDecision"). Views carry the enums themselves and the
/// JSON options (JsonStringEnumConverter with camelCase, Program.cs) write them; this is for the few places that need
/// the same string outside a JSON body: workflow variables, CSV, file names.
/// </summary>
public static class EnumCodes
{
    public static string Code<T>(this T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Reads a code back ("gridWorker", any case); a number or an undefined name is no code.</summary>
    public static bool TryParseCode<T>(string? code, out T value) where T : struct, Enum =>
        Enum.TryParse(code, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(code, out _);
}
