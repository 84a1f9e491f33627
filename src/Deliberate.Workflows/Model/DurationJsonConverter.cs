using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Deliberate.Workflows.Model;

/// <summary>Durations are ISO 8601 ("PT24H", "P3D"); Elsa's "00:01:00" form is read too.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()!
            : throw new JsonException("A duration must be a string such as PT24H.");
        return Parse(text) ?? throw new JsonException($"'{text}' is not a duration; write it as ISO 8601, e.g. PT24H or P3D.");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(XmlConvert.ToString(value));

    public static TimeSpan? Parse(string text)
    {
        text = text.Trim();
        try
        {
            if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal)) return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException) { return null; }
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) ? span : null;
    }
}
