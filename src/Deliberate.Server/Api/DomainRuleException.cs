namespace Deliberate.Server.Api;

/// <summary>
/// A request the domain's rules refuse (a meeting convened without an agenda, a vote after the close):
/// thrown by the entities' guard methods and answered as 409 Problem Details with this code and message.
/// </summary>
public class DomainRuleException(string code, string messageZh, string messageEn) : Exception(messageEn)
{
    public string Code { get; } = code;
    public string MessageZh { get; } = messageZh;
    public string MessageEn { get; } = messageEn;
}
