using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Deliberate.Server.Api;

/// <summary>A problem an endpoint can answer: its status and its stable <c>code</c>.</summary>
public sealed record ProblemCode(int Status, string Code);

/// <summary>What <see cref="ProblemResponses.Problems"/> put on an endpoint, read by the OpenAPI transformer.</summary>
public sealed record ProblemCodesMetadata(IReadOnlyList<ProblemCode> Codes);

/// <summary>
/// The one way to say which problems an endpoint answers: <c>.Problems(ProblemCodes.NotFound, ProblemCodes.BallotNotOpen)</c>
/// on its registration. The OpenAPI description then lists, per status, a Problem Details response with its codes
/// (in the description and as <c>x-problem-codes</c>). The answers every endpoint shares (401 when signed in is
/// required, 400 for unreadable parameters or bodies, 415, 429 when rate-limited, 500) are added by
/// <see cref="Transform"/>, so an endpoint declares only its own.
/// </summary>
public static class ProblemResponses
{
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params ProblemCode[] codes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in codes.Select(c => c.Status).Distinct())
        {
            // Field errors are written as HttpValidationProblemDetails (with "errors"), every other problem as ProblemDetails.
            var type = status == 400 && codes.Contains(ProblemCodes.Validation) ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, ["application/problem+json"]));
        }
        return builder.WithMetadata(new ProblemCodesMetadata(codes));
    }

    /// <summary>The operation transformer (registered in Program.cs with AddOpenApi).</summary>
    public static async Task Transform(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var path = context.Description.RelativePath ?? "";
        if (!path.StartsWith("api/", StringComparison.Ordinal)) return;
        var codes = metadata.OfType<ProblemCodesMetadata>().SelectMany(m => m.Codes).ToList();
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (signedIn) codes.Add(ProblemCodes.Unauthenticated);
        var parameters = context.Description.ParameterDescriptions;
        if (parameters.Any(p => p.Source.Id is "Path" or "Query" or "Header")) codes.Add(ProblemCodes.BadParameter);
        if (parameters.Any(p => p.Source.Id is "Query" or "Header" && p.IsRequired)) codes.Add(ProblemCodes.MissingParameter);
        var accepts = metadata.OfType<IAcceptsMetadata>().SelectMany(a => a.ContentTypes).ToList();
        if (accepts.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)))
            codes.AddRange([ProblemCodes.BadJson, ProblemCodes.MissingBody, ProblemCodes.DateOutOfRange]);
        if (accepts.Any(t => t.Contains("form", StringComparison.OrdinalIgnoreCase))) codes.Add(ProblemCodes.BadForm);
        if (accepts.Count > 0) codes.AddRange([ProblemCodes.TooLarge, ProblemCodes.UnsupportedMediaType]);
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) codes.Add(ProblemCodes.RateLimited);
        codes.Add(ProblemCodes.Internal);

        operation.Responses ??= [];
        foreach (var group in codes.Distinct().GroupBy(c => c.Status).OrderBy(g => g.Key))
        {
            var key = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
            {
                response = new OpenApiResponse
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = await ProblemDetailsSchema(context, ct) },
                    },
                };
                operation.Responses[key] = response;
            }
            var names = group.Select(c => c.Code).ToList();
            response.Description = $"{Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(group.Key)}: Problem Details with code "
                + string.Join(", ", names.Select(n => $"`{n}`")) + ".";
            response.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            response.Extensions["x-problem-codes"] = new JsonNodeExtension(new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()));
        }
    }

    /// <summary>
    /// The schema transformer (registered in Program.cs): every Problem Details schema carries the two members every
    /// answer has besides RFC 9457's, the stable <c>code</c> and the <c>traceId</c> to quote when reporting it.
    /// </summary>
    public static Task DescribeProblemMembers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (!typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type)) return Task.CompletedTask;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The stable code of the problem (the x-problem-codes of the response list the possible ones).",
        };
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, for the logs." };
        schema.Required ??= new HashSet<string>();
        schema.Required.Add("code");
        return Task.CompletedTask;
    }

    /// <summary>A reference to ProblemDetails in the document's schemas, adding it the first time.</summary>
    static async Task<IOpenApiSchema> ProblemDetailsSchema(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        const string id = nameof(ProblemDetails);
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));
        return new OpenApiSchemaReference(id, document);
    }
}
