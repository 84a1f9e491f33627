using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Server.Minutes;

/// <summary>Renders a ballot result notice (表决结果公告) to PDF.</summary>
public static class BallotNoticeRenderer
{
    /// <param name="language">"zh-CN" (default) or "en" for the fixed labels; data is printed as given.</param>
    public static byte[] Render(BallotNoticeDocument doc, string language = "zh-CN")
    {
        ArgumentNullException.ThrowIfNull(doc);
        var l = DocumentLabels.For(language);
        using var w = new DocumentWriter();
        var s = w.Styles;
        var title = string.IsNullOrWhiteSpace(doc.Title) ? l.BallotNoticeTitle(doc.Matter) : doc.Title;

        w.Centered(title, s.Title);
        w.Skip(s.Body.LineHeight);
        w.Paragraph(l.BallotIntro(doc.Issuer, doc.Matter, doc.VotingStart, doc.VotingEnd));

        // A notice is posted on a board: run-in heads ("一、表决事项：…") keep it short.
        var section = 0;
        void Item(string head, string text) =>
            w.Paragraph(text, lead: l.HeadNumber(1, ++section) + head + l.Colon, leadStyle: s.Heading1);

        Item(l.MatterSection, doc.Matter + (doc.Kind is null ? "" : l.IsEnglish ? $" ({doc.Kind})" : $"（{doc.Kind}）") + l.FullStop);
        if (!string.IsNullOrWhiteSpace(doc.Proposal)) Item(l.ProposalSection, doc.Proposal + l.FullStop);
        Item(l.RuleSection,
            doc.Rule + l.FullStop + (doc.Thresholds.Count > 0
                ? (l.IsEnglish ? " " : "") + string.Join(l.ClauseSeparator, doc.Thresholds) + l.FullStop : ""));
        if (!string.IsNullOrWhiteSpace(doc.Organiser)) Item(l.OrganiserSection, doc.Organiser + l.FullStop);
        if (doc.AnnouncedOn is { } announced) Item(l.AnnouncedSection, l.Date(announced) + l.FullStop);
        Item(l.VotingPeriodSection, l.Period(doc.VotingStart, doc.VotingEnd) + l.FullStop);

        var figures = DocumentParts.VoteFigures(l, doc.Headcount, doc.Area);
        var electorate = l.Electorate(doc.Headcount.Eligible, doc.Area?.Eligible);
        w.EnsureSpace(w.ParagraphHeight(electorate, lead: "一、" + l.FiguresSection + l.Colon, leadStyle: s.Heading1) + w.TableLeadHeight(figures));
        Item(l.FiguresSection, electorate);
        w.Table(figures);
        w.Paragraph(l.ShareNote, s.Table, firstLineIndent: 0);

        Item(l.ResultSection, DocumentParts.ResultText(l, doc.Outcome, doc.Headcount));
        if (!string.IsNullOrWhiteSpace(doc.Note))
            w.Paragraph(doc.Note);

        // The last item stays on the page of the issuer and date (落款).
        var posting = l.Posting(doc.PostingStart, doc.PostingEnd, doc.ObjectionContact);
        w.EnsureSpace(w.ParagraphHeight(posting, lead: "一、" + l.PostingSection + l.Colon, leadStyle: s.Heading1) + 3 * s.Body.LineHeight);
        Item(l.PostingSection, posting);

        w.Skip(s.Body.LineHeight);
        w.IssuerAndDate(doc.Issuer, l.Date(doc.IssuedOn));

        return w.ToPdf(title, l.BallotNoticeSubject, doc.IssuedOn.ToDateTime(TimeOnly.MinValue));
    }
}
