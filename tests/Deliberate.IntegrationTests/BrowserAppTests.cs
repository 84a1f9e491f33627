using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// The browser app is served beside the API: its files as themselves, any other page path as the app; hashed files
/// precompressed and cached for good, the page revalidated; JSON compressed unless it carries a secret.
/// </summary>
public sealed class BrowserAppTests : AppTest
{
    [Fact]
    public async Task A_file_of_the_browser_app_is_served_as_itself_and_a_page_path_as_the_app()
    {
        // The server serves webapp/ beside its binary; the test writes a page and a script of its own there.
        var webapp = Path.Combine(AppContext.BaseDirectory, "webapp");
        var name = $"probe-{Guid.NewGuid():N}.js";
        Directory.CreateDirectory(Path.Combine(webapp, "assets"));
        var indexPath = Path.Combine(webapp, "index.html");
        if (!File.Exists(indexPath)) await File.WriteAllTextAsync(indexPath, "<!doctype html><title>Deliberate</title>");
        await File.WriteAllTextAsync(Path.Combine(webapp, "assets", name), "export const probe = 1;");
        try
        {
            var client = App.CreateClient();
            var script = await client.GetAsync($"/assets/{name}");
            Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
            Assert.Equal("export const probe = 1;", await script.Content.ReadAsStringAsync());

            var page = await client.GetAsync("/m/matters/0d000000-0000-7000-8000-000000000001");
            Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

            var missing = await client.GetAsync("/assets/no-such-file.js");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode); // not the app's page in place of a script
        }
        finally
        {
            File.Delete(Path.Combine(webapp, "assets", name));
        }
    }

    [Fact]
    public async Task A_hashed_file_is_sent_as_its_brotli_copy_when_the_browser_accepts_it_and_is_cached_for_a_year()
    {
        var webapp = Path.Combine(AppContext.BaseDirectory, "webapp", "assets");
        Directory.CreateDirectory(webapp);
        var name = $"probe-{Guid.NewGuid():N}.js";
        var source = string.Concat(Enumerable.Repeat("export const probe = '议事';\n", 200));
        await File.WriteAllTextAsync(Path.Combine(webapp, name), source);
        await File.WriteAllBytesAsync(Path.Combine(webapp, name + ".br"), Compress(source, s => new BrotliStream(s, CompressionLevel.Optimal)));
        await File.WriteAllBytesAsync(Path.Combine(webapp, name + ".gz"), Compress(source, s => new GZipStream(s, CompressionLevel.Optimal)));
        try
        {
            var client = App.CreateClient();
            var brotli = await GetAsync(client, $"/assets/{name}", "br, gzip");
            Assert.Equal(System.Net.HttpStatusCode.OK, brotli.StatusCode);
            Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
            Assert.Equal("text/javascript", brotli.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", brotli.Headers.CacheControl?.ToString());
            Assert.Contains("Accept-Encoding", brotli.Headers.Vary);
            var bytes = await brotli.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length < Encoding.UTF8.GetByteCount(source) / 10, $"{bytes.Length} bytes sent");
            Assert.Equal(source, Decompress(bytes, s => new BrotliStream(s, CompressionMode.Decompress)));

            var gzip = await GetAsync(client, $"/assets/{name}", "gzip");
            Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
            Assert.Equal(source, Decompress(await gzip.Content.ReadAsByteArrayAsync(), s => new GZipStream(s, CompressionMode.Decompress)));

            var plain = await GetAsync(client, $"/assets/{name}", null);
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            Assert.Equal(source, await plain.Content.ReadAsStringAsync());
            Assert.Equal("public, max-age=31536000, immutable", plain.Headers.CacheControl?.ToString());
        }
        finally
        {
            foreach (var suffix in new[] { "", ".br", ".gz" }) File.Delete(Path.Combine(webapp, name + suffix));
        }
    }

    [Fact]
    public async Task The_apps_page_is_asked_about_again_before_each_use()
    {
        var webapp = Path.Combine(AppContext.BaseDirectory, "webapp");
        var indexPath = Path.Combine(webapp, "index.html");
        if (!File.Exists(indexPath)) await File.WriteAllTextAsync(indexPath, "<!doctype html><title>Deliberate</title>");
        var client = App.CreateClient();
        foreach (var url in new[] { "/", "/index.html", "/m", "/console/meetings" })
        {
            var page = await GetAsync(client, url, "br, gzip");
            Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task A_json_answer_is_compressed_when_the_client_asks()
    {
        var resident = await As("resident");
        await RaiseAsync(resident);
        resident.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
        var response = await resident.GetAsync("/api/matters");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        var json = JsonNode.Parse(Decompress(await response.Content.ReadAsByteArrayAsync(), s => new BrotliStream(s, CompressionMode.Decompress)))!;
        Assert.NotEmpty(json["items"]!.AsArray());

        resident.DefaultRequestHeaders.AcceptEncoding.Clear();
        resident.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
        var gzip = await resident.GetAsync("/api/matters");
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Answers_that_carry_tokens_or_vote_receipts_are_never_compressed()
    {
        // BREACH: a secret next to text an attacker chose must not be compressed (see BrowserApp.CarriesSecrets).
        var client = App.CreateClient();
        var token = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = JsonContent.Create(new { username = "resident", password = DeliberateApp.Password }),
        };
        token.Headers.AcceptEncoding.ParseAdd("br, gzip");
        var issued = await client.SendAsync(token);
        Assert.Equal(System.Net.HttpStatusCode.OK, issued.StatusCode);
        Assert.Empty(issued.Content.Headers.ContentEncoding);
        Assert.NotNull(JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["accessToken"]);

        var resident = await As("resident");
        resident.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
        var ballots = await resident.GetAsync("/api/ballots");
        Assert.Equal(System.Net.HttpStatusCode.OK, ballots.StatusCode);
        Assert.Empty(ballots.Content.Headers.ContentEncoding);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null) request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        return client.SendAsync(request);
    }

    private static byte[] Compress(string text, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output)) stream.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private static string Decompress(byte[] bytes, Func<Stream, Stream> decompressor)
    {
        using var stream = decompressor(new MemoryStream(bytes));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
