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
}
