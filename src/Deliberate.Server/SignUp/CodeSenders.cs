using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Deliberate.Server.SignUp;

/// <summary>Sends a one-time code to a phone. The code goes only here: never into an API answer.</summary>
public interface IOneTimeCodeSender
{
    Task SendAsync(string phone, string code, CodePurpose purpose, CancellationToken ct);
}

/// <summary>
/// <c>Sms:*</c>. <c>Sender</c> is <c>gateway</c> or <c>log</c>; unset, the gateway when <c>Url</c> is set, else the log. In
/// Production with demo mode off the server refuses to start with the log sender unless <c>Sms:AllowLogSender</c> is true
/// (a trial where the operator reads codes from the log and passes them on): real residents' codes must not sit in a log.
/// </summary>
public sealed class SmsOptions
{
    public string? Sender { get; set; }
    public bool AllowLogSender { get; set; }
    /// <summary>The gateway's URL (HTTP POST).</summary>
    public string? Url { get; set; }
    /// <summary><c>json</c> (default) or <c>form</c>.</summary>
    public string Format { get; set; } = "json";
    /// <summary>
    /// The body with placeholders <c>{phone}</c>, <c>{code}</c>, <c>{purpose}</c>, <c>{minutes}</c>; each value is escaped for the
    /// format. For <c>form</c>: <c>name=value&amp;…</c> pairs.
    /// </summary>
    public string Template { get; set; } = """{"phone":"{phone}","code":"{code}","purpose":"{purpose}","minutes":"{minutes}"}""";
    /// <summary>Headers to send, e.g. an API key (<c>Sms:Headers:X-Api-Key</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>Further tries after a failure (a network error, a timeout or a 5xx answer); a 4xx answer is not retried.</summary>
    public int Retries { get; set; } = 2;

    public bool UsesGateway => string.Equals(Sender, "gateway", StringComparison.OrdinalIgnoreCase)
        || (string.IsNullOrWhiteSpace(Sender) && !string.IsNullOrWhiteSpace(Url));

    /// <summary>The start-up check: what is wrong with this configuration in this environment (null: fine).</summary>
    public string? Problem(IHostEnvironment environment, bool demo)
    {
        if (UsesGateway)
            return Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? null : "Sms:Url must be an absolute http(s) URL for the SMS gateway.";
        if (!string.IsNullOrWhiteSpace(Sender) && !string.Equals(Sender, "log", StringComparison.OrdinalIgnoreCase))
            return $"Sms:Sender must be 'gateway' or 'log', not '{Sender}'.";
        if (environment.IsProduction() && !demo && !AllowLogSender)
            return "No SMS gateway is configured (Sms:Url): in Production one-time codes would only be written to the log. " +
                "Configure Sms:Url, or set Sms:AllowLogSender=true for a trial (see docs/operations.md).";
        return null;
    }
}

/// <summary>Development and trials: writes the code to the log, where an operator reads it.</summary>
public sealed class LogCodeSender(ILogger<LogCodeSender> log) : IOneTimeCodeSender
{
    public Task SendAsync(string phone, string code, CodePurpose purpose, CancellationToken ct)
    {
        log.LogWarning("One-time code for {Phone} ({Purpose}): {Code} — the log sender is on; configure Sms:Url for real messages.",
            phone, purpose, code);
        return Task.CompletedTask;
    }
}

/// <summary>Posts the code to an SMS gateway (most Chinese SMS providers take a JSON or form POST with a key header).</summary>
public sealed class SmsGatewaySender(HttpClient http, SmsOptions options, ILogger<SmsGatewaySender> log) : IOneTimeCodeSender
{
    public async Task SendAsync(string phone, string code, CodePurpose purpose, CancellationToken ct)
    {
        var body = Fill(options, phone, code, purpose);
        var mediaType = IsForm(options) ? "application/x-www-form-urlencoded" : "application/json";
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)));
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
                {
                    Content = new StringContent(body, Encoding.UTF8, mediaType),
                };
                foreach (var (name, value) in options.Headers) request.Headers.TryAddWithoutValidation(name, value);
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode) return;
                var status = (int)response.StatusCode;
                if (status < 500 || attempt >= options.Retries)
                    throw new HttpRequestException($"The SMS gateway answered {status}.", null, response.StatusCode);
                log.LogWarning("The SMS gateway answered {Status}; trying again.", status);
            }
            catch (Exception e) when (attempt < options.Retries && !ct.IsCancellationRequested
                && e is HttpRequestException { StatusCode: null } or TaskCanceledException)
            {
                log.LogWarning(e, "The SMS gateway did not answer; trying again.");
            }
        }
    }

    static bool IsForm(SmsOptions o) => string.Equals(o.Format, "form", StringComparison.OrdinalIgnoreCase);

    /// <summary>The template with its placeholders filled, each value escaped for the body's format.</summary>
    public static string Fill(SmsOptions options, string phone, string code, CodePurpose purpose)
    {
        Func<string, string> escape = IsForm(options)
            ? Uri.EscapeDataString
            : v => JsonEncodedText.Encode(v).ToString();
        return options.Template
            .Replace("{phone}", escape(phone), StringComparison.Ordinal)
            .Replace("{code}", escape(code), StringComparison.Ordinal)
            .Replace("{purpose}", escape(purpose switch { CodePurpose.Reset => "reset", CodePurpose.Activate => "activate", _ => "signup" }),
                StringComparison.Ordinal)
            .Replace("{minutes}", escape(((int)PhoneCode.Lifetime.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                StringComparison.Ordinal);
    }
}

/// <summary>
/// Codes waiting to be sent. <c>POST /api/signup/codes</c> only puts a code here and answers: a gateway that takes two seconds
/// must not make the answer for a phone with an account slower than for one without (that would tell who has an account).
/// </summary>
public sealed class OutgoingCodes
{
    /// <summary>Far above the request limits' hourly total; beyond it a code is dropped (and logged), never waited for.</summary>
    public const int Capacity = 10_000;

    readonly Channel<OutgoingCode> channel = Channel.CreateBounded<OutgoingCode>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues a code; false when the queue is full.</summary>
    public bool Enqueue(string phone, string code, CodePurpose purpose) => channel.Writer.TryWrite(new(phone, code, purpose));

    public ChannelReader<OutgoingCode> Reader => channel.Reader;
}

public sealed record OutgoingCode(string Phone, string Code, CodePurpose Purpose);

/// <summary>
/// Sends the queued codes through <see cref="IOneTimeCodeSender"/>, a few at once; a failed send is logged (the person asks again).
/// </summary>
public sealed class CodeSendingService(OutgoingCodes queue, IServiceScopeFactory scopes, ILogger<CodeSendingService> log) : BackgroundService
{
    /// <summary>Sends at once: one slow gateway answer does not hold up the codes behind it.</summary>
    public const int Parallel = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Parallel);
        var sending = new List<Task>();
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                sending.RemoveAll(t => t.IsCompleted);
                sending.Add(SendAsync(item, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(sending);
    }

    async Task SendAsync(OutgoingCode item, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IOneTimeCodeSender>().SendAsync(item.Phone, item.Code, item.Purpose, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Nobody is waiting for an answer: the log is where an operator sees a gateway that fails.
            log.LogError(e, "The one-time code ({Purpose}) could not be sent.", item.Purpose);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            slots.Release();
        }
    }
}

public static class CodeSenderSetup
{
    /// <summary>
    /// Registers the sender <c>Sms:*</c> chooses, behind the queue of outgoing codes; a configuration the environment does not allow
    /// stops the server.
    /// </summary>
    public static void AddOneTimeCodeSender(this IServiceCollection services, IConfiguration config, IHostEnvironment environment, bool demo)
    {
        var options = config.GetSection("Sms").Get<SmsOptions>() ?? new SmsOptions();
        if (options.Problem(environment, demo) is { } problem) throw new InvalidOperationException(problem);
        services.AddSingleton(options);
        services.AddSingleton<OutgoingCodes>();
        services.AddHostedService<CodeSendingService>();
        if (options.UsesGateway)
            services.AddHttpClient<IOneTimeCodeSender, SmsGatewaySender>();
        else
            services.AddSingleton<IOneTimeCodeSender, LogCodeSender>();
    }
}
