using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Deliberate.Server.Api;

/// <summary>
/// Text people send. Bidirectional marks, embedding, override and isolate controls (U+200E, U+200F, U+061C, U+202A–U+202E,
/// U+2066–U+2069) have no place in Chinese community text and let one person's words run backwards into the next ("晚上很黑\u202E反向文字"
/// showed as "晚上很黑字文向反"), in a page, a notice or a PDF: they are dropped from every string a request body holds.
/// </summary>
public static class UserText
{
    public static string WithoutBidiControls(string text)
    {
        if (text.AsSpan().IndexOfAny(BidiControls) < 0) return text;
        return string.Concat(text.Where(c => !BidiControls.Contains(c)));
    }

    const string BidiControls = "\u200E\u200F\u061C\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";

    /// <summary>For the HTTP JSON options: every string read from a request body passes <see cref="WithoutBidiControls"/>.</summary>
    public sealed class Converter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? WithoutBidiControls(reader.GetString()!)
            : throw new JsonException("Not a text.");

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>
    /// For the API description: a converter of its own makes the description's generator give up on strings ({}), so a
    /// string is described again as it was without it — text, and null where the property is annotated nullable.
    /// </summary>
    public static Task DescribeStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo is { Kind: JsonTypeInfoKind.Enumerable, ElementType: var element } && element == typeof(string))
            schema.Items ??= new OpenApiSchema { Type = JsonSchemaType.String };
        if (context.JsonTypeInfo.Type != typeof(string)) return Task.CompletedTask;
        schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        return Task.CompletedTask;
    }
}
