namespace Deliberate.Server.Api;

public static class BrowserApp
{
    /// <summary>
    /// A page path of the browser app (/console/meetings/…) that no endpoint and no file answered gets the
    /// app's index.html, so its router can show the page. A middleware rather than a fallback endpoint: an
    /// endpoint that matched every GET would turn "wrong method" (405) on the API into 404.
    /// Paths under /api and paths that name a file (/assets/x.js) are never answered with the page.
    /// </summary>
    public static IApplicationBuilder UseBrowserAppPages(this WebApplication app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (http.GetEndpoint() is null && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && !request.Path.StartsWithSegments("/api") && !Path.HasExtension(request.Path.Value))
        {
            var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
            if (index.Exists)
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers.CacheControl = "no-cache"; // the page names the current build's scripts
                await http.Response.SendFileAsync(index, http.RequestAborted);
                return;
            }
        }
        await next(http);
    });
}
