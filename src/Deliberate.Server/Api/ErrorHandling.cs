using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Api;

/// <summary>
/// Turns exceptions that escape an endpoint into Problem Details in the caller's language.
/// Nothing is half-written: an exception means the endpoint's SaveChanges never committed.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, zh, en) = exception switch
        {
            DomainRuleException rule => (409, rule.Code, rule.MessageZh, rule.MessageEn),
            BadHttpRequestException { StatusCode: 413 } => (413, "tooLarge", "请求内容过大。", "The request is too large."),
            BadHttpRequestException { StatusCode: 415 } bad when bad.Message.Contains("form", StringComparison.OrdinalIgnoreCase) =>
                (415, "unsupportedMediaType", "请以 multipart/form-data 表单发送。", "Send this as a multipart/form-data form."),
            BadHttpRequestException { StatusCode: 415 } => (415, "unsupportedMediaType", "请以 JSON（application/json）发送。", "Send this as JSON (application/json)."),
            BadHttpRequestException { InnerException: OutOfRangeDateException { Path: var datePath } } => (400, "dateOutOfRange",
                $"请求中 {datePath} 的日期超出 {DateRange.Min:yyyy-MM-dd} 至 {DateRange.Max:yyyy-MM-dd} 的范围。",
                $"The date at {datePath} is outside {DateRange.Min:yyyy-MM-dd} to {DateRange.Max:yyyy-MM-dd}."),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 1 } path } } => (400, "badJson",
                $"请求中 {path} 的值无法读取（类型或格式不对）。", $"The value at {path} cannot be read (wrong type or format)."),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException } => (400, "badJson",
                "请求体不是完整的 JSON。", "The request body is not complete JSON."),
            BadHttpRequestException bad => Describe(bad),
            // A task's answer or an event's payload larger than a workflow variable may hold (256 KB; 1 MB per instance).
            Deliberate.Workflows.Runtime.WorkflowLimitException => (400, "valueTooLarge",
                "提交的内容过大，流程实例无法保存（单个变量最多 256 KB，一个实例的变量合计最多 1 MB）。",
                "What was sent is too large for the workflow instance to keep (256 KB a variable, 1 MB for all of an instance's variables)."),
            UnauthorizedAccessException => (401, "unauthenticated", "请先登录。", "Please sign in."),
            DbUpdateConcurrencyException or WorkflowConflictException => (409, "conflict",
                "别人刚刚处理了同一事项，请刷新后重试。", "Someone else just acted on the same item; reload and try again."),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "cancelled", "请求已取消。", "The request was cancelled."),
            _ => (500, "internal", "服务器出了问题，已记录，请稍后再试。", "Something went wrong on the server; it has been logged. Please try again later."),
        };
        if (status == 500) log.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
        if (status == 499) return true;

        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = Problems.TitleFor(status),
                Detail = Problems.L(zh, en),
                Type = Problems.TypeBase + code,
                Extensions = { ["code"] = code },
            },
        });
    }

    /// <summary>The framework's binding failures, told in our words: which parameter, and what was wrong with it.</summary>
    static (int, string, string, string) Describe(BadHttpRequestException e)
    {
        var binding = System.Text.RegularExpressions.Regex.Match(e.Message, "Failed to bind parameter \"[^ \"]+ (?<name>[^\"]+)\" from \"(?<value>[^\"]*)\"");
        if (binding.Success)
        {
            var (name, value) = (binding.Groups["name"].Value, binding.Groups["value"].Value);
            return (400, "badParameter", $"参数 {name} 的值“{value}”格式不对。", $"Parameter {name} has a value '{value}' that cannot be read.");
        }
        var required = System.Text.RegularExpressions.Regex.Match(e.Message, "Required parameter \"[^ \"]+ (?<name>[^\"]+)\" was not provided from (?<source>[a-z ]+)");
        if (required.Success)
            return (400, "missingParameter", $"缺少参数 {required.Groups["name"].Value}。", $"Parameter {required.Groups["name"].Value} is missing.");
        if (e.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("from body", StringComparison.OrdinalIgnoreCase))
            return (400, "missingBody", "缺少请求体（JSON）。", "The request body (JSON) is missing.");
        return (400, "badRequest", "请求无法读取，请检查地址、参数和请求体。", "The request cannot be read; check the address, parameters and body.");
    }
}
