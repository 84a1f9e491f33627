using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Deliberate.Server.Api;

public static class BrowserApp
{
    /// <summary>Vite names every file under assets/ by a hash of its content: a changed file gets a new name.</summary>
    public const string HashedFolder = "/assets";

    /// <summary>For the hashed files: a year, and no revalidation (the name changes when the content does).</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>For index.html and the other unhashed files: kept, but asked about again (ETag) before each use.</summary>
    public const string Revalidate = "no-cache";

    // The compressed copies the web build writes beside each hashed file (src/web/vite.config.ts), best first.
    private static readonly (string Encoding, string Extension)[] Precompressed = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>
    /// Brotli and gzip for what the server writes as it goes (JSON, problems, the metrics page); the browser app's
    /// hashed files come precompressed at build time instead. At the providers' default (fastest) level: these
    /// answers are small and made per request.
    /// </summary>
    public static IServiceCollection AddBrowserAppCompression(this IServiceCollection services) => services
        .AddResponseCompression(o =>
        {
            // Over HTTPS too (off by default because of BREACH): the answers that carry secrets are never compressed,
            // see CarriesSecrets.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", "image/svg+xml"];
        })
        .Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest)
        .Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);

    /// <summary>
    /// BREACH: an attacker who can put text of theirs into an answer that also holds a secret, and can see the
    /// compressed length, may guess the secret byte by byte. Answers that hold one go out uncompressed: sign-in,
    /// refresh and password change (bearer and refresh tokens; the cookie is a header, which is never compressed)
    /// and everything about ballots (receipt codes). The browser sends no CSRF token (a header check, see
    /// Identity/AuthSetup.cs), so the pages and the rest of the API hold no secret to guess.
    /// </summary>
    public static bool CarriesSecrets(PathString path) =>
        path.StartsWithSegments("/api/auth") || path.StartsWithSegments("/api/ballots")
        || path.StartsWithSegments("/api/users"); // one-time passwords

    public static IApplicationBuilder UseBrowserAppCompression(this IApplicationBuilder app) =>
        app.UseWhen(http => !CarriesSecrets(http.Request.Path), branch => branch.UseResponseCompression());

    /// <summary>
    /// The browser app's files from webapp/: "/" is index.html; a hashed file is sent as its Brotli or gzip copy
    /// when the browser accepts it, and is cached for a year; every other file is revalidated before each use.
    /// </summary>
    public static IApplicationBuilder UseBrowserAppFiles(this IApplicationBuilder app)
    {
        var files = app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        var types = new FileExtensionContentTypeProvider();
        app.UseDefaultFiles();
        app.Use((http, next) =>
        {
            var request = http.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments(HashedFolder)
                && Path.HasExtension(request.Path.Value))
            {
                http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
                var accepted = Accepted(request);
                foreach (var (encoding, extension) in Precompressed)
                {
                    if (!accepted.Contains(encoding)) continue;
                    var path = request.Path.Value + extension;
                    if (!files.GetFileInfo(path).Exists) continue;
                    request.Path = path; // the static files below send the copy; its type and encoding are set there
                    break;
                }
            }
            return next(http);
        });
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new PrecompressedTypes(types),
            OnPrepareResponse = prepared =>
            {
                var response = prepared.Context.Response;
                var encoding = Precompressed.FirstOrDefault(p => prepared.File.Name.EndsWith(p.Extension, StringComparison.Ordinal)).Encoding;
                if (encoding is not null) response.Headers.ContentEncoding = encoding;
                response.Headers.CacheControl = prepared.Context.Request.Path.StartsWithSegments(HashedFolder) ? Immutable : Revalidate;
            },
        });
    }

    /// <summary>The encodings the request accepts (q above 0), by name.</summary>
    private static HashSet<string> Accepted(HttpRequest request)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var values))
        {
            foreach (var value in values)
            {
                if (value.Quality is not 0) accepted.Add(value.Value.ToString());
            }
        }
        return accepted;
    }

    /// <summary>x.js.br is JavaScript (sent with Content-Encoding: br), not an unknown file.</summary>
    private sealed class PrecompressedTypes(FileExtensionContentTypeProvider inner) : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            foreach (var (_, extension) in Precompressed)
            {
                if (subpath.EndsWith(extension, StringComparison.Ordinal))
                    return inner.TryGetContentType(subpath[..^extension.Length], out contentType!);
            }
            return inner.TryGetContentType(subpath, out contentType!);
        }
    }

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
                http.Response.Headers.CacheControl = Revalidate; // the page names the current build's scripts
                await http.Response.SendFileAsync(index, http.RequestAborted);
                return;
            }
        }
        await next(http);
    });
}
