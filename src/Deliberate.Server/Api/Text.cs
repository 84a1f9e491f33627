using System.Globalization;

namespace Deliberate.Server.Api;

/// <summary>
/// The one way to pick between zh-CN and English: <see cref="L"/> for the request's language (problems, labels in
/// views, notifications written for the caller), <see cref="In"/> when the language is fixed by something else
/// (a document asked for in English, a message for another user).
/// </summary>
public static class Text
{
    /// <summary>Does the request ask for English (Accept-Language, applied by the localisation middleware)?</summary>
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The text in the request's language (zh-CN unless it asked for English).</summary>
    public static string L(string zh, string en) => In(English, zh, en);

    /// <summary>The text in a language chosen by the caller.</summary>
    public static string In(bool english, string zh, string en) => english ? en : zh;
}
