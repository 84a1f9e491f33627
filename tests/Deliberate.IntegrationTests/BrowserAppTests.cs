using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>The browser app is served beside the API: its files as themselves, any other page path as the app.</summary>
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
}
