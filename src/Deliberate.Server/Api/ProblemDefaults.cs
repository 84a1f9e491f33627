using System.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Deliberate.Server.Api;

/// <summary>
/// Fills in the problems the framework writes itself (401 from a challenge, 404 for an unknown
/// address, 405) in the caller's language, and gives every problem a trace id.
/// </summary>
public static class ProblemDefaults
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (!problem.Extensions.ContainsKey("code"))
        {
            var (code, zh, en) = status switch
            {
                401 => ("unauthenticated", "请先登录。", "Please sign in."),
                403 => ("forbidden", "您无权执行此操作。", "You may not do this."),
                404 => ("notFound", "请求的地址不存在。", "There is nothing at this address."),
                405 => ("methodNotAllowed", "该地址不支持此方法。", "This address does not support the method."),
                415 =>
                    ("unsupportedMediaType", $"不支持该内容类型，请以 {Accepted(context.HttpContext)} 发送。",
                        $"Unsupported content type; send {Accepted(context.HttpContext)}."),
                429 => ("rateLimited", "请求过于频繁，请稍后再试。", "Too many requests; please wait a moment."),
                >= 500 => ("internal", "服务器出了问题，请稍后再试。", "Something went wrong on the server; please try again later."),
                _ => ("badRequest", "请求有误。", "The request is not valid."),
            };
            problem.Title = Problems.TitleFor(status);
            problem.Detail ??= Problems.L(zh, en);
            problem.Type = Problems.TypeBase + code;
            problem.Extensions["code"] = code;
        }
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    }

    /// <summary>
    /// The content types the addressed endpoint takes. Routing answers a wrong content type with a
    /// stand-in 415 endpoint, so the endpoint is found again by its route and method.
    /// </summary>
    static string Accepted(HttpContext http)
    {
        var sources = http.RequestServices.GetServices<EndpointDataSource>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(http.Request.Method) != true) continue;
            var matcher = new TemplateMatcher(TemplateParser.Parse(endpoint.RoutePattern.RawText ?? ""), []);
            if (matcher.TryMatch(http.Request.Path, []) && endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts)
                return string.Join(" / ", accepts.ContentTypes.Distinct());
        }
        return "application/json";
    }
}
