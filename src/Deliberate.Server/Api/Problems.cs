using Microsoft.AspNetCore.Http.HttpResults;

namespace Deliberate.Server.Api;

/// <summary>
/// RFC 9457 Problem Details in the caller's language (zh-CN by default, en by Accept-Language).
/// Every error carries a stable <c>code</c> besides its localized title and detail.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://deliberate.local/problems/";

    public static string TitleFor(int status) => status switch
    {
        400 => Text.L("请求有误", "Bad request"),
        401 => Text.L("需要登录", "Sign-in required"),
        403 => Text.L("无权操作", "Forbidden"),
        404 => Text.L("未找到", "Not found"),
        405 => Text.L("不支持该方法", "Method not allowed"),
        409 => Text.L("操作冲突", "Conflict"),
        413 => Text.L("内容过大", "Content too large"),
        415 => Text.L("不支持的内容类型", "Unsupported media type"),
        422 => Text.L("无法处理", "Unprocessable"),
        429 => Text.L("请求过于频繁", "Too many requests"),
        500 => Text.L("服务器内部错误", "Internal server error"),
        503 => Text.L("服务暂不可用", "Service unavailable"),
        _ => Text.L("错误", "Error"),
    };

    public static ProblemHttpResult Of(int status, string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(Text.L(detailZh, detailEn), statusCode: status, title: TitleFor(status), type: TypeBase + code, extensions: ext);
    }

    public static ProblemHttpResult BadRequest(string code, string zh, string en, IDictionary<string, object?>? extensions = null) =>
        Of(400, code, zh, en, extensions);
    public static ProblemHttpResult Conflict(string code, string zh, string en, IDictionary<string, object?>? extensions = null) =>
        Of(409, code, zh, en, extensions);
    public static ProblemHttpResult Forbidden(string code, string zh, string en) => Of(403, code, zh, en);

    public static ProblemHttpResult NotFound(string whatZh, string whatEn) =>
        Of(404, "notFound", $"{whatZh}不存在，或您无权查看。", $"The {whatEn} does not exist, or you may not see it.");

    /// <summary>Field errors, each message already in the request's language.</summary>
    public static ValidationProblem Validation(Dictionary<string, List<string>> errors)
    {
        var details = ValidationDetails(errors);
        return TypedResults.ValidationProblem(details.Errors, details.Detail, title: details.Title, type: details.Type,
            extensions: details.Extensions);
    }

    /// <summary>The body of <see cref="Validation"/>, also written by the exception map for exceptions that list field errors.</summary>
    public static HttpValidationProblemDetails ValidationDetails(Dictionary<string, List<string>> errors) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = 400,
            Detail = Text.L("请检查以下字段。", "Please check the fields below."),
            Title = TitleFor(400),
            Type = TypeBase + "validation",
            Extensions = { ["code"] = "validation" },
        };
}

/// <summary>Collects field errors in the request's language.</summary>
public sealed class FieldErrors
{
    public Dictionary<string, List<string>> Errors { get; } = [];
    public bool Any => Errors.Count > 0;

    public void Add(string field, string zh, string en)
    {
        if (!Errors.TryGetValue(field, out var list)) Errors[field] = list = [];
        list.Add(Text.L(zh, en));
    }

    public void Required(string field, string? value, string labelZh, string labelEn)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"请填写{labelZh}。", $"{labelEn} is required.");
    }

    public void MaxLength(string field, string? value, int max, string labelZh, string labelEn)
    {
        if (value is not null && value.Length > max) Add(field, $"{labelZh}不能超过 {max} 个字。", $"{labelEn} must be at most {max} characters.");
    }

    public ValidationProblem ToProblem() => Problems.Validation(Errors);
}
