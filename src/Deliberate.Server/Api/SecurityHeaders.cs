namespace Deliberate.Server.Api;

public static class SecurityHeaders
{
    /// <summary>
    /// What the browser app may load: its own scripts only (Vite's build has no inline script), styles from itself
    /// and inline (antd writes its CSS-in-JS into style elements), images from itself, data: and blob: (photo
    /// previews), and requests to itself. Nothing may frame it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The API reference page (Scalar) starts itself with an inline script and its bundle calls eval; it gets the same
    /// policy with inline scripts and eval allowed — it shows only our OpenAPI document, no user data.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src "
            + "'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A year: browsers that once saw HTTPS keep to it.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Headers every response carries: no sniffing, no framing, no referrer leaks, the content security policy; and
    /// HSTS when the request came over HTTPS (directly or, per X-Forwarded-Proto, through a configured proxy).
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api-reference") || http.Request.Path.StartsWithSegments("/scalar")
            ? ApiReferencePolicy : ContentSecurityPolicy;
        if (http.Request.IsHttps) headers.StrictTransportSecurity = StrictTransportSecurity;
        return next(http);
    });
}
