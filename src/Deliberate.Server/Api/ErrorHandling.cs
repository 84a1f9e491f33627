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
            BadHttpRequestException { StatusCode: 413 } => (413, "tooLarge", "请求内容过大。", "The request is too large."),
            BadHttpRequestException { StatusCode: 415 } => (415, "unsupportedMediaType", "不支持该内容类型，请发送 JSON。", "Unsupported content type; send JSON."),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 1 } path } } => (400, "badJson",
                $"请求中 {path} 的值无法读取（类型或格式不对）。", $"The value at {path} cannot be read (wrong type or format)."),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException } => (400, "badJson",
                "请求体不是完整的 JSON。", "The request body is not complete JSON."),
            BadHttpRequestException bad => (400, "badRequest", "请求有误：" + bad.Message, "The request is not valid: " + bad.Message),
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
}
