using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Server.Minutes;

/// <summary>Renders the minutes of a meeting (会议纪要) to PDF.</summary>
public static class MinutesRenderer
{
    /// <summary>
    /// The minutes as PDF bytes: title, header fields, 一、会议议题, 二、讨论情况, 三、表决结果,
    /// 四、议定事项, then signature lines, with "— N —" on every page. Equal input gives equal bytes.
    /// </summary>
    /// <param name="language">"zh-CN" (default) or "en" for the fixed labels; data is printed as given.</param>
    public static byte[] Render(MinutesDocument doc, string language = "zh-CN")
    {
        ArgumentNullException.ThrowIfNull(doc);
        var l = DocumentLabels.For(language);
        using var w = new DocumentWriter();
        var s = w.Styles;
        var title = l.MinutesTitle(doc.MeetingName);

        w.Centered(title, s.Title);
        if (!string.IsNullOrWhiteSpace(doc.Issue))
            w.Centered(doc.Issue, s.Body);
        w.Skip(s.Body.LineHeight);

        WriteHeader(w, l, doc);

        var section = 0;
        w.Skip(s.Body.LineHeight / 2);
        DocumentParts.Head1(w, l, ++section, l.AgendaSection);
        if (doc.Agenda.Count == 0)
            w.Paragraph(l.NoAgenda);
        for (var i = 0; i < doc.Agenda.Count; i++)
            w.Paragraph(l.HeadNumber(3, i + 1) + doc.Agenda[i].Title);

        // The first item's head and the start of its first opinion come with it: a section head never ends a page alone.
        DocumentParts.Head1(w, l, ++section, l.DiscussionSection, doc.Agenda.Count == 0 ? -1 : s.Heading2.LineHeight + 2 * s.Body.LineHeight);
        if (doc.Agenda.Count == 0)
            w.Paragraph(l.NoAgenda);
        for (var i = 0; i < doc.Agenda.Count; i++)
        {
            var item = doc.Agenda[i];
            DocumentParts.Head2(w, l, i + 1, item.Title);
            if (item.Opinions.Count == 0)
                w.Paragraph(l.NoOpinions);
            foreach (var opinion in item.Opinions)
                w.Paragraph(opinion.Opinion, lead: l.PartyLead(opinion.Party), leadStyle: s.BodyBold);
            foreach (var motion in item.Motions)
                w.Paragraph(motion.Text + l.MotionParticulars(motion.ProposedBy, motion.Reason, motion.Cost, motion.Fate), lead: l.MotionLead,
                    leadStyle: s.BodyBold);
            if (!string.IsNullOrWhiteSpace(item.Conclusion))
                w.Paragraph(item.Conclusion, lead: l.ChairSummary, leadStyle: s.BodyBold);
        }

        DocumentParts.Head1(w, l, ++section, l.VotesSection);
        if (doc.Votes.Count == 0)
            w.Paragraph(l.NoVotes);
        for (var i = 0; i < doc.Votes.Count; i++)
        {
            var vote = doc.Votes[i];
            DocumentParts.Head2(w, l, i + 1, vote.Subject);
            w.Paragraph(vote.Rule, lead: l.Rule, leadStyle: s.BodyBold);
            if (vote.Thresholds.Count > 0)
                w.Paragraph(string.Join(l.ClauseSeparator, vote.Thresholds) + l.FullStop, lead: l.Thresholds, leadStyle: s.BodyBold);
            var figures = DocumentParts.VoteFigures(l, vote.Headcount, vote.Area);
            w.Skip(s.Body.LineHeight / 4);
            w.Table(figures);
            w.Paragraph(l.ShareNote, s.Table, firstLineIndent: 0);
            w.Paragraph(DocumentParts.ResultText(l, vote.Outcome, vote.Headcount), lead: l.Result, leadStyle: s.BodyBold);
            if (!string.IsNullOrWhiteSpace(vote.Note))
                w.Paragraph(vote.Note);
        }

        if (doc.Consultative)
        {
            WriteConsultation(w, l, doc, ++section);
            WriteSignatures(w, l, doc);
            return w.ToPdf(title, l.MinutesSubject, doc.Start.DateTime);
        }
        var resolutions = DocumentParts.Resolutions(l, doc.Resolutions);
        DocumentParts.Head1(w, l, ++section, l.ResolutionsSection,
            doc.Resolutions.Count == 0 ? -1 : s.Body.LineHeight + w.TableLeadHeight(resolutions));
        // "Only discussed" is true only when nothing was decided; a quorum lost after a vote opened is said as such.
        if (doc.Resolutions.Count == 0)
        {
            w.Paragraph(doc.QuorumNotMet is null ? l.NoResolutions
                : doc.Votes.Count > 0 ? l.QuorumLostAfterVotes
                : l.NoDecisionWithoutQuorum(doc.Present.Count == 0 ? l.None
                    : string.Join(l.ClauseSeparator, doc.Present.Select(p => l.PartyNames(p.Party, p.Names)))));
        }
        else
        {
            w.Paragraph(l.ResolutionsIntro);
            w.Table(resolutions);
            if (doc.QuorumNotMet is not null) w.Paragraph(l.QuorumLostAfterVotes);
        }

        WriteSignatures(w, l, doc);
        return w.ToPdf(title, l.MinutesSubject, doc.Start.DateTime);
    }

    /// <summary>
    /// A four-party meeting's outcome: the resolutions' table under 经协商，形成以下共识, then under each resolution that has
    /// them the parties' positions and the consensus.
    /// </summary>
    private static void WriteConsultation(DocumentWriter w, DocumentLabels l, MinutesDocument doc, int section)
    {
        var s = w.Styles;
        var table = DocumentParts.Resolutions(l, doc.Resolutions);
        DocumentParts.Head1(w, l, section, l.ConsultativeSection, doc.Resolutions.Count == 0 ? -1 : s.Body.LineHeight + w.TableLeadHeight(table));
        if (doc.Resolutions.Count == 0)
        {
            w.Paragraph(doc.QuorumNotMet is null ? l.NoConsensusRecords
                : l.NoDecisionWithoutQuorum(doc.Present.Count == 0 ? l.None
                    : string.Join(l.ClauseSeparator, doc.Present.Select(p => l.PartyNames(p.Party, p.Names)))));
            return;
        }
        w.Paragraph(l.ConsultativeIntro);
        w.Table(table);
        for (var i = 0; i < doc.Resolutions.Count; i++)
        {
            var r = doc.Resolutions[i];
            if (r.Positions.Count == 0 && r.Consensus is null) continue;
            DocumentParts.Head2(w, l, i + 1, r.Text, s.Heading2.LineHeight + 2 * s.Body.LineHeight);
            if (r.Positions.Count > 0)
                w.Paragraph(l.PositionsLead, s.BodyBold);
            foreach (var position in r.Positions)
                w.Paragraph(position.Opinion, lead: l.PartyLead(position.Party), leadStyle: s.BodyBold);
            if (r.Consensus is not null)
                w.Paragraph(r.Consensus, lead: l.ConsensusLead, leadStyle: s.BodyBold);
        }
    }

    private static void WriteHeader(DocumentWriter w, DocumentLabels l, MinutesDocument doc)
    {
        var labelWidth = DocumentParts.LabelWidth(w, l.Time, l.Place, l.Chair, l.Recorder, l.Present, l.Attending, l.OnLeave,
            l.Absent, l.Attendance, l.Quorum);
        w.Field(l.Time, l.MeetingTime(doc.Start, doc.End), labelWidth: labelWidth);
        w.Field(l.Place, doc.Place, labelWidth: labelWidth);
        w.Field(l.Chair, doc.Chair, labelWidth: labelWidth);
        w.Field(l.Recorder, doc.Recorder, labelWidth: labelWidth);
        if (doc.Present.Count == 0)
            w.Field(l.Present, l.None, labelWidth: labelWidth);
        for (var i = 0; i < doc.Present.Count; i++)
            w.Field(i == 0 ? l.Present : "", l.PartyNames(doc.Present[i].Party, doc.Present[i].Names), labelWidth, isList: true);
        w.Field(l.Attending, l.Join(doc.Attending), labelWidth, isList: true);
        w.Field(l.OnLeave, l.Join(doc.OnLeave), labelWidth, isList: true);
        w.Field(l.Absent, l.Join(doc.Absent), labelWidth, isList: true);
        w.Field(l.Attendance, l.AttendanceFigures(doc.ExpectedCount, doc.PresentCount), labelWidth: labelWidth);
        if (doc.QuorumNotMet is not null)
            w.Field(l.Quorum,
                doc.Votes.Count > 0 || doc.Resolutions.Count > 0 ? l.QuorumLostAtClose(doc.QuorumNotMet) : l.QuorumNotMet(doc.QuorumNotMet),
                labelWidth: labelWidth);
        foreach (var session in doc.AdjournedSessions)
            w.Paragraph(session);
    }

    private static void WriteSignatures(DocumentWriter w, DocumentLabels l, MinutesDocument doc)
    {
        var s = w.Styles;
        var parties = doc.Signatories.Count > 0 ? doc.Signatories : doc.Present.Select(p => p.Party).ToList();
        var table = new Table(
            [
                new(l.PartyColumn, 3, TextAlignment.Center),
                new(l.SignatureColumn, 5),
                new(l.DateColumn, 3),
            ],
            parties.Select(p => (IReadOnlyList<string>)[p, "", ""]).ToList())
        {
            MinRowHeight = 36,
            KeepTogether = true,
        };

        // The two signature lines stay together; the parties' table follows, whole if it can be.
        w.Skip(s.Body.LineHeight);
        w.EnsureSpace(s.Body.LineHeight * 3);
        w.SignatureLine(l.ChairSignature, l.DateLabel, l.DatePlaceholder);
        w.SignatureLine(l.RecorderSignature, l.DateLabel, l.DatePlaceholder);
        if (parties.Count == 0)
            return;
        w.Skip(s.Body.LineHeight / 2);
        // Keep-with-next: the heading never stays alone at a page foot while its table moves on.
        w.Paragraph(l.PartiesSignatures, firstLineIndent: 0, keepWithNext: w.TableLeadHeight(table));
        w.Table(table);
    }
}
