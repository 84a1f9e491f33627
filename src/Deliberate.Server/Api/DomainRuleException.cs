namespace Deliberate.Server.Api;

/// <summary>
/// A request the domain's rules refuse (a meeting convened without an agenda, a vote after the close):
/// thrown by the entities' guard methods and answered by <see cref="ProblemExceptionHandler"/> as Problem Details
/// with this status (409 unless said otherwise), code and message. Endpoints do not catch it.
/// </summary>
public class DomainRuleException(int status, string code, string messageZh, string messageEn, string? message = null)
    : Exception(message ?? messageEn)
{
    public DomainRuleException(string code, string messageZh, string messageEn) : this(409, code, messageZh, messageEn) { }

    public int Status { get; } = status;
    public string Code { get; } = code;
    public string MessageZh { get; } = messageZh;
    public string MessageEn { get; } = messageEn;

    /// <summary>More members of the problem; read while answering, so that texts in it follow the request's language.</summary>
    public virtual IDictionary<string, object?>? Extensions() => null;
}
