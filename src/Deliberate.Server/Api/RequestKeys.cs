using Microsoft.AspNetCore.Http.HttpResults;

namespace Deliberate.Server.Api;

/// <summary>
/// The Idempotency-Key request header (IETF httpapi draft). A client that lost the answer to a create — a phone
/// on a bad network, a node that died mid-request — sends the same key again and gets the first result back
/// instead of creating a second one. The key is stored on the created row under a unique index, so two
/// deliveries racing each other still create one.
/// </summary>
public static class RequestKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 100;

    /// <summary>Checks the header's value: 1 to 100 visible ASCII characters (a UUID fits).</summary>
    public static void Check(FieldErrors errors, string? key)
    {
        if (key is null) return;
        if (key.Length is 0 or > MaxLength || !key.All(c => c is >= '!' and <= '~'))
            errors.Add(Header, $"Idempotency-Key 须为 1 至 {MaxLength} 个可见 ASCII 字符（例如 UUID）。",
                $"Idempotency-Key must be 1 to {MaxLength} visible ASCII characters (a UUID, say).");
    }

    public static ProblemHttpResult Reused() => Problems.Of(StatusCodes.Status422UnprocessableEntity, "idempotencyKeyReused",
        "这个 Idempotency-Key 已用于另一个不同内容的请求；新的请求请使用新的键。",
        "This Idempotency-Key was already used for a different request; use a new key for a new request.");
}
