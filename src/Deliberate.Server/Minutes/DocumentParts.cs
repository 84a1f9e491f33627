using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Server.Minutes;

/// <summary>Pieces more than one document prints.</summary>
internal static class DocumentParts
{
    /// <summary>
    /// The figures of a vote: eligible, participating, agree, disagree, abstain, by head and, where
    /// the rule counts it, by exclusive area, each with its share.
    /// </summary>
    public static Table VoteFigures(DocumentLabels l, HeadcountTally h, AreaTally? a)
    {
        var columns = new List<TableColumn>
        {
            new(l.FigureItem, 3.2, TextAlignment.Center),
            new(l.Headcount, 1.8, TextAlignment.Right),
            new(l.ShareColumn, 2.0, TextAlignment.Right),
        };
        if (a is not null)
        {
            columns.Add(new(l.AreaColumn, 3.4, TextAlignment.Right));
            columns.Add(new(l.ShareColumn, 2.0, TextAlignment.Right));
        }

        var rows = new List<IReadOnlyList<string>>();
        void Row(string label, int count, int countBase, decimal? area, decimal? areaBase, bool shareOfSelf = false)
        {
            var cells = new List<string> { label, DocumentLabels.Count(count), shareOfSelf ? l.NotApplicable : l.Share(count, countBase) };
            if (a is not null)
            {
                cells.Add(DocumentLabels.Area(area ?? 0));
                cells.Add(shareOfSelf ? l.NotApplicable : l.Share(area ?? 0, areaBase ?? 0));
            }
            rows.Add(cells);
        }

        Row(l.Eligible, h.Eligible, h.Eligible, a?.Eligible, a?.Eligible, shareOfSelf: true);
        Row(l.Participating, h.Participating, h.Eligible, a?.Participating, a?.Eligible);
        Row(l.Agree, h.Agree, h.Participating, a?.Agree, a?.Participating);
        Row(l.Disagree, h.Disagree, h.Participating, a?.Disagree, a?.Participating);
        Row(l.Abstain, h.Abstain, h.Participating, a?.Abstain, a?.Participating);
        return new Table(columns, rows) { KeepTogether = true };
    }

    public static string ResultText(DocumentLabels l, VoteOutcome outcome, HeadcountTally h) =>
        l.Outcome(outcome) + (h.DeemedAgree > 0
            ? (l.IsEnglish ? " (" + l.DeemedNote(h.DeemedAgree) + ")" : "（" + l.DeemedNote(h.DeemedAgree) + "）") : "") + l.FullStop;

    /// <summary>Resolutions with their responsible unit and deadline.</summary>
    public static Table Resolutions(DocumentLabels l, IReadOnlyList<Resolution> resolutions) => new(
        [
            new(l.SerialNumber, 1.0, TextAlignment.Center),
            new(l.ResolutionColumn, 5.9),
            new(l.ResponsibleUnit, 2.4, TextAlignment.Center),
            new(l.DeadlineColumn, 2.8, TextAlignment.Center),
        ],
        resolutions.Select((r, i) =>
            (IReadOnlyList<string>)[DocumentLabels.Count(i + 1), r.Text, r.ResponsibleUnit, l.Deadline(r.Deadline)]).ToList());

    /// <summary>Resolutions or work items with their results.</summary>
    public static Table ItemResults(DocumentLabels l, IReadOnlyList<ItemResult> items) => new(
        [
            new(l.SerialNumber, 1.0, TextAlignment.Center),
            new(l.ItemColumn, 4.3),
            new(l.ResponsibleUnit, 2.2, TextAlignment.Center),
            new(l.DeadlineColumn, 3.0, TextAlignment.Center),
            new(l.ResultColumn, 3.6),
        ],
        items.Select((r, i) => (IReadOnlyList<string>)
        [
            DocumentLabels.Count(i + 1), r.Text, r.ResponsibleUnit, l.Deadline(r.Deadline),
            r.Result + (r.CompletedOn is { } done ? l.CompletedOn(done) : ""),
        ]).ToList());

    /// <summary>A first-level head ("一、会议议题") kept with what follows.</summary>
    public static void Head1(DocumentWriter w, DocumentLabels l, int n, string text, double keepWithNext = -1) =>
        w.Heading(l.HeadNumber(1, n) + text, w.Styles.Heading1, keepWithNext);

    public static void Head2(DocumentWriter w, DocumentLabels l, int n, string text, double keepWithNext = -1) =>
        w.Heading(l.HeadNumber(2, n) + text, w.Styles.Heading2, keepWithNext);

    /// <summary>Width of the widest label, so the values of a block of fields line up.</summary>
    public static double LabelWidth(DocumentWriter w, params string[] labels) => labels.Max(label => w.Styles.Body.Measure(label));
}
