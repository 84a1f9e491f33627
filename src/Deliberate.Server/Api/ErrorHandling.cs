using System.Globalization;
using System.Reflection;
using Deliberate.Server.WorkflowHosting;
using Deliberate.Workflows.Activities;
using Deliberate.Workflows.Runtime;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Api;

/// <summary>
/// Turns exceptions that escape an endpoint into Problem Details in the caller's language: the one map from exception
/// to problem (<see cref="ProblemFor"/>). Endpoints do not catch these exceptions to translate them.
/// Nothing is half-written: an exception means the endpoint's SaveChanges never committed.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested) return true; // nobody to answer
        var problem = ProblemFor(exception, http);
        if (problem.Status == 500) log.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>
    /// The map. A rule that says no throws a <see cref="DomainRuleException"/> (or a subclass), which carries its own
    /// status, code and messages; the runtime's exceptions (Deliberate.Workflows knows nothing of HTTP) and the
    /// framework's are given theirs here.
    /// </summary>
    static ProblemDetails ProblemFor(Exception exception, HttpContext http) => exception switch
    {
        DomainRuleException rule => Problem(rule.Status, rule.Code, rule.MessageZh, rule.MessageEn, rule.Extensions()),
        TaskResponseException task =>
            Fields(task.Errors.Select(e => (e.Field == "outcome" ? "outcome" : $"values.{e.Field}", e.MessageZh, e.MessageEn))),
        WorkflowInputException input => Fields([("input", "流程未声明这些变量：" + string.Join("、", input.Unknown),
            "The workflow declares no such variables: " + string.Join(", ", input.Unknown))]),
        WorkflowStateException state => Problem(409, "badInstanceState", "流程实例当前状态不允许该操作：" + state.Message,
            "The instance's state does not allow this: " + state.Message),
        // A task's answer or an event's payload larger than a workflow variable may hold (256 KB; 1 MB per instance).
        WorkflowLimitException => Problem(400, "valueTooLarge",
            "提交的内容过大，流程实例无法保存（单个变量最多 256 KB，一个实例的变量合计最多 1 MB）。",
            "What was sent is too large for the workflow instance to keep (256 KB a variable, 1 MB for all of an instance's variables)."),
        BadHttpRequestException bad => BindingFailure.Describe(bad, http),
        UnauthorizedAccessException => Problem(401, "unauthenticated", "请先登录。", "Please sign in."),
        DbUpdateConcurrencyException or WorkflowConflictException => Problem(409, "conflict",
            "别人刚刚处理了同一事项，请刷新后重试。", "Someone else just acted on the same item; reload and try again."),
        _ => Problem(500, "internal", "服务器出了问题，已记录，请稍后再试。", "Something went wrong on the server; it has been logged. Please try again later."),
    };

    internal static ProblemDetails Problem(int status, string code, string zh, string en, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status, Title = Problems.TitleFor(status), Detail = Text.L(zh, en),
            Type = Problems.TypeBase + code
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>Field errors, as <see cref="FieldErrors.ToProblem"/> answers them.</summary>
    static HttpValidationProblemDetails Fields(IEnumerable<(string Field, string Zh, string En)> errors)
    {
        var fields = new FieldErrors();
        foreach (var (field, zh, en) in errors) fields.Add(field, zh, en);
        return Problems.ValidationDetails(fields.Errors);
    }
}

/// <summary>
/// The framework's binding failures (thrown because <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on), told in our
/// words. Which parameter failed is found again from structured data — the endpoint's parameter metadata, its route
/// values, the query and the form — never from the framework's English message.
/// </summary>
static class BindingFailure
{
    public static ProblemDetails Describe(BadHttpRequestException e, HttpContext http)
    {
        var failed = http.Features.Get<IExceptionHandlerFeature>();
        var endpoint = failed?.Endpoint ?? http.GetEndpoint();
        var accepts = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];
        switch (e)
        {
            case { StatusCode: 413 }:
                var (code, zh, en) = ProblemDefaults.ForStatus(413, http);
                return ProblemExceptionHandler.Problem(413, code, zh, en);
            case { StatusCode: 415 } when accepts.Any(IsForm):
                return ProblemExceptionHandler.Problem(415, "unsupportedMediaType", "请以 multipart/form-data 表单发送。",
                    "Send this as a multipart/form-data form.");
            case { StatusCode: 415 }:
                return ProblemExceptionHandler.Problem(415, "unsupportedMediaType", "请以 JSON（application/json）发送。",
                    "Send this as JSON (application/json).");
            // A malformed multipart body: reading the form again below would throw inside the handler.
            case { InnerException: InvalidDataException or IOException } when http.Request.HasFormContentType:
                return ProblemExceptionHandler.Problem(400, "badForm", "表单格式不对，无法读取（应为 multipart/form-data）。",
                    "The form cannot be read: it is not well-formed multipart/form-data.");
            // The field is named under `errors` (camelCase, as the forms read it), never as a JSON path in the message.
            case { InnerException: TimeRequiredException { Path: var timePath } time }:
                return FieldProblem(400, "validation", Text.L("请检查以下字段。", "Please check the fields below."), timePath,
                    time.MessageZh, time.MessageEn);
            case { InnerException: OutOfRangeDateException { Path: var datePath } }:
                var range = $"{DateRange.Min:yyyy-MM-dd} 至 {DateRange.Max:yyyy-MM-dd}";
                var rangeEn = $"{DateRange.Min:yyyy-MM-dd} to {DateRange.Max:yyyy-MM-dd}";
                return FieldProblem(400, "dateOutOfRange", Text.L($"请求中有日期超出 {range} 的范围。", $"A date in the request is outside {rangeEn}."),
                    datePath, $"日期应在 {range} 之间。", $"The date must be between {rangeEn}.");
            case { InnerException: System.Text.Json.JsonException { Path: { Length: > 1 } path } }:
                return FieldProblem(400, "badJson", Text.L("请求中有字段的值无法读取（类型或格式不对）。", "A value in the request cannot be read (wrong type or format)."),
                    path, "值无法读取（类型或格式不对）。", "The value cannot be read (wrong type or format).");
            case { InnerException: System.Text.Json.JsonException }:
                return ProblemExceptionHandler.Problem(400, "badJson", "请求体不是完整的 JSON。", "The request body is not complete JSON.");
        }
        var routeValues = failed?.RouteValues ?? http.Request.RouteValues;
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern;
        var missing = (string?)null;
        foreach (var parameter in endpoint?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [])
        {
            if (!parameter.HasTryParse) continue; // bodies, services and BindAsync types are not read from text
            var info = parameter.ParameterInfo;
            var attributes = info.GetCustomAttributes(inherit: false);
            var name = attributes.OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
                ?? attributes.OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
                ?? attributes.OfType<IFromHeaderMetadata>().FirstOrDefault()?.Name
                    ?? attributes.OfType<IFromFormMetadata>().FirstOrDefault()?.Name ?? parameter.Name;
            string?[] given =
                attributes.OfType<IFromHeaderMetadata>().Any() ? http.Request.Headers[name].ToArray()
                : attributes.OfType<IFromFormMetadata>().Any() ? (http.Request.HasFormContentType ? http.Request.Form[name].ToArray() : [])
                : attributes.OfType<IFromQueryMetadata>().Any() || pattern?.GetParameter(name) is null ? http.Request.Query[name].ToArray()
                : routeValues?.GetValueOrDefault(name) is { } routeValue ? [Convert.ToString(routeValue, CultureInfo.InvariantCulture)] : [];
            var type = info.ParameterType.IsArray ? info.ParameterType.GetElementType()! : info.ParameterType;
            if (given.FirstOrDefault(v => !string.IsNullOrEmpty(v) && !Parses(type, v)) is { } value)
                return ProblemExceptionHandler.Problem(400, "badParameter", $"参数 {parameter.Name} 的值“{value}”格式不对。",
                    $"Parameter {parameter.Name} has a value '{value}' that cannot be read.");
            if (!parameter.IsOptional && !given.Any(v => !string.IsNullOrEmpty(v))) missing ??= parameter.Name;
        }
        if (missing is not null)
            return ProblemExceptionHandler.Problem(400, "missingParameter", $"缺少参数 {missing}。", $"Parameter {missing} is missing.");
        // Nothing read from the address or headers failed: the JSON body the endpoint takes was absent (or null).
        if (accepts.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)))
            return ProblemExceptionHandler.Problem(400, "missingBody", "缺少请求体（JSON）。", "The request body (JSON) is missing.");
        return ProblemExceptionHandler.Problem(400, "badRequest", "请求无法读取，请检查地址、参数和请求体。",
            "The request cannot be read; check the address, parameters and body.");
    }

    /// <summary>
    /// A problem whose field is named under <c>errors</c> as the forms key it: the JSON path without "$." ("$.startsAt" is "startsAt",
    /// "$.items[0].title" is "items[0].title").
    /// </summary>
    static ProblemDetails FieldProblem(int status, string code, string detail, string? jsonPath, string zh, string en)
    {
        var field = jsonPath is null ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [Text.L(zh, en)] })
        {
            Status = status, Title = Problems.TitleFor(status), Detail = detail, Type = Problems.TypeBase + code,
        };
        problem.Extensions["code"] = code;
        return problem;
    }

    static bool IsForm(string contentType) =>
        contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the text reads as the type, by the type's own TryParse as the framework calls it.</summary>
    static bool Parses(Type type, string text)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return true;
        if (type.IsEnum) return Enum.TryParse(type, text, ignoreCase: true, out _);
        var withCulture = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static,
            [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        if (withCulture is not null) return (bool)withCulture.Invoke(null, [text, CultureInfo.InvariantCulture, null])!;
        var plain = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]);
        return plain is null || (bool)plain.Invoke(null, [text, null])!;
    }
}
