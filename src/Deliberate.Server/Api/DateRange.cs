using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deliberate.Server.Api;

/// <summary>
/// The dates the domain accepts: 2000-01-01 to 2100-12-31. Nothing in community governance lies outside it, and
/// dates far outside it (0001-01-01, 9999-12-31) overflow when shifted into China time, a deadline or a notice period.
/// Request bodies are held to it by <see cref="Converters"/> (a 400 naming the field), query parameters by <see cref="Contains"/>.
/// </summary>
public static class DateRange
{
    public static readonly DateTimeOffset Min = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Max = new(2100, 12, 31, 23, 59, 59, TimeSpan.Zero);

    public static bool Contains(DateTimeOffset at) => at >= Min && at <= Max;

    /// <summary>For the HTTP JSON options: dates in request bodies outside the range fail to bind (400, the field named).</summary>
    public static IEnumerable<JsonConverter> Converters => [new DateTimeOffsetConverter(), new DateTimeConverter(), new DateOnlyConverter()];

    static JsonException Outside(string text) =>
        new OutOfRangeDateException($"'{text}' is outside {Min:yyyy-MM-dd} to {Max:yyyy-MM-dd}.");

    /// <summary>
    /// An instant as ISO 8601. People in China write times without an offset and dates alone, so a time without an
    /// offset is China time (it was read as UTC: "15:00" became 23:00), and a date alone is the end of that day in China
    /// (<see cref="ChinaTime.EndOf"/>: a deadline "2026-12-20" is met until midnight, as the resolutions' dates are).
    /// </summary>
    sealed class DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("Not an ISO 8601 date and time.");
            var text = reader.GetString()!;
            DateTimeOffset value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                value = day.Year is >= 2000 and <= 2100 ? ChinaTime.EndOf(day) : throw Outside(text);
            else if (reader.TryGetDateTime(out var written) && written.Kind == DateTimeKind.Unspecified)
                value = written.Year is >= 2000 and <= 2100 ? new DateTimeOffset(written, ChinaTime.Offset) : throw Outside(text);
            else if (!reader.TryGetDateTimeOffset(out value))
                throw new JsonException("Not an ISO 8601 date and time.");
            return Contains(value) ? value : throw Outside(text);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTime(out var value))
                throw new JsonException("Not an ISO 8601 date and time.");
            return value >= Min.UtcDateTime && value <= Max.UtcDateTime ? value : throw Outside(reader.GetString()!);
        }

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    sealed class DateOnlyConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
                throw new JsonException("Not a date (yyyy-MM-dd).");
            return Contains(new DateTimeOffset(value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) ? value : throw Outside(text!);
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}

/// <summary>A date in a request body outside <see cref="DateRange"/>; the exception map answers 400 naming the field.</summary>
public sealed class OutOfRangeDateException(string message) : JsonException(message);
