using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Deliberate.Bench;

/// <summary>The real server in its own process (its Release build, beside this repository's bench), for the HTTP benchmarks.</summary>
internal sealed class BenchServer(Process process, string url) : IAsyncDisposable
{
    public string Url { get; } = url;
    public int ProcessId => process.Id;

    /// <summary>Starts the server on <paramref name="url"/> with these configuration settings (<c>key=value</c>, as on its command line).</summary>
    public static BenchServer Start(string url, params string[] settings)
    {
        var folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Deliberate.Server/bin/Release/net10.0"));
        var start = new ProcessStartInfo(Path.Combine(folder, "Deliberate.Server"))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var setting in new[] { $"--Urls={url}", "--RateLimits:SignInPerMinute=100000000", "--Logging:LogLevel:Default=Warning" }
                     .Concat(settings.Select(s => "--" + s)))
            start.ArgumentList.Add(setting);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BenchServer(process, url);
    }

    /// <summary>Resident set size now, in MB (Linux: /proc/&lt;pid&gt;/status).</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    public async Task WaitUntilUpAsync(HttpClient http)
    {
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The server on {Url} exited with {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync(Url + "/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The server on {Url} did not start.");
    }

    public static async Task<string> TokenAsync(HttpClient http, string baseUrl, string user, string password)
    {
        var response = await http.PostAsJsonAsync(baseUrl + "/api/auth/token", new { username = user, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
