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

    /// <summary>The global converter for instants, also what <see cref="TimeRequiredAttribute"/> reads with once a time is given.</summary>
    internal static readonly JsonConverter<DateTimeOffset> Instant = new DateTimeOffsetConverter();

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

/// <summary>
/// An instant that must be given with its time of day — a meeting's start, a ballot's opening. The global converter reads a
/// date alone as the end of that China day, right for a deadline ("by 20 December") and wrong for a start ("2026-12-09" is not
/// "the meeting starts at midnight"). This is the one way to say so: put it on the request DTO's property
/// (<c>[property: TimeRequired("开会时间需要具体到时分。", "…")]</c>); a date alone then fails to bind, and the exception map answers
/// a 400 validation problem with the message under the field. Everything else reads as the global converter reads it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeRequiredAttribute(string messageZh, string messageEn) : JsonConverterAttribute
{
    // A converter of DateTimeOffset serves a DateTimeOffset? property too: the serializer wraps it for nulls.
    public override JsonConverter CreateConverter(Type typeToConvert) => new Converter(messageZh, messageEn);

    sealed class Converter(string messageZh, string messageEn) : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String
                && DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw new TimeRequiredException(messageZh, messageEn);
            return DateRange.Instant.Read(ref reader, typeToConvert, options);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            DateRange.Instant.Write(writer, value, options);
    }
}

/// <summary>A date without its time where <see cref="TimeRequiredAttribute"/> asks for one; answered as a field error.</summary>
public sealed class TimeRequiredException(string messageZh, string messageEn) : JsonException(messageEn)
{
    public string MessageZh { get; } = messageZh;
    public string MessageEn { get; } = messageEn;
}
