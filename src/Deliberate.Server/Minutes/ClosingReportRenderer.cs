using Deliberate.Server.Minutes.Typesetting;

namespace Deliberate.Server.Minutes;

/// <summary>Renders a matter's closing report (事项办结报告) to PDF.</summary>
public static class ClosingReportRenderer
{
    /// <param name="language">"zh-CN" (default) or "en" for the fixed labels; data is printed as given.</param>
    public static byte[] Render(ClosingReportDocument doc, string language = "zh-CN")
    {
        ArgumentNullException.ThrowIfNull(doc);
        var l = DocumentLabels.For(language);
        using var w = new DocumentWriter();
        var s = w.Styles;
        var title = l.ClosingReportTitle(doc.MatterTitle);

        w.Centered(title, s.Title);
        w.Skip(s.Body.LineHeight);

        var labelWidth = DocumentParts.LabelWidth(w, l.MatterName, l.Reference, l.Category, l.MatterPlace, l.RaisedOn, l.ClosedOn);
        w.Field(l.MatterName, doc.MatterTitle, labelWidth: labelWidth);
        if (!string.IsNullOrWhiteSpace(doc.Reference))
            w.Field(l.Reference, doc.Reference, labelWidth: labelWidth);
        w.Field(l.Category, doc.Category, labelWidth: labelWidth);
        w.Field(l.MatterPlace, doc.Place, labelWidth: labelWidth);
        if (doc.RaisedOn is { } raised)
            w.Field(l.RaisedOn, l.Date(raised), labelWidth: labelWidth);
        w.Field(l.ClosedOn, l.Date(doc.ClosedOn), labelWidth: labelWidth);
        w.Skip(s.Body.LineHeight / 2);

        var section = 0;
        var timeline = new Table(
            [
                new(l.TimeColumn, 3.2, TextAlignment.Center),
                new(l.StepColumn, 1.9, TextAlignment.Center),
                new(l.ActorColumn, 2.8),
                new(l.DetailColumn, 5.6),
            ],
            doc.Timeline.Select(t =>
                (IReadOnlyList<string>)[l.Date(t.At) + "\n" + t.At.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), t.Step,
                    t.Actor, t.Detail]).ToList());
        WriteTableSection(w, l, ++section, l.TimelineSection, timeline, doc.Timeline.Count);

        WriteTableSection(w, l, ++section, l.ResolutionResultsSection, DocumentParts.ItemResults(l, doc.Resolutions), doc.Resolutions.Count);
        WriteTableSection(w, l, ++section, l.WorkItemsSection, DocumentParts.ItemResults(l, doc.WorkItems), doc.WorkItems.Count);

        var r = doc.Rating;
        var rating = new Table(
            [
                new(l.Satisfied, 1, TextAlignment.Center),
                new(l.BasicallySatisfied, 1, TextAlignment.Center),
                new(l.Dissatisfied, 1, TextAlignment.Center),
                new(l.TotalRatings, 1, TextAlignment.Center),
                new(l.SatisfactionRate, 1, TextAlignment.Center),
            ],
            [[DocumentLabels.Count(r.Satisfied), DocumentLabels.Count(r.BasicallySatisfied), DocumentLabels.Count(r.Dissatisfied),
            DocumentLabels.Count(r.Total), l.Rate(r.EffectiveRate)]]);
        WriteTableSection(w, l, ++section, l.RatingSection, rating, 1);
        var definition = r.Rate is null ? l.DefaultRateDefinition : r.RateDefinition;
        if (!string.IsNullOrWhiteSpace(definition))
            w.Paragraph(definition, s.Table, firstLineIndent: 0);

        if (!string.IsNullOrWhiteSpace(doc.Conclusion))
        {
            // The closing opinion stays on the page of the issuer and date.
            w.EnsureSpace(s.Body.LineHeight + w.ParagraphHeight(doc.Conclusion) + 3 * s.Body.LineHeight);
            DocumentParts.Head1(w, l, ++section, l.ConclusionSection);
            w.Paragraph(doc.Conclusion);
        }

        w.Skip(s.Body.LineHeight);
        w.IssuerAndDate(doc.Issuer, l.Date(doc.ClosedOn));

        return w.ToPdf(title, l.ClosingReportSubject, doc.ClosedOn.ToDateTime(TimeOnly.MinValue));
    }

    private static void WriteTableSection(DocumentWriter w, DocumentLabels l, int section, string head, Table table, int rows)
    {
        DocumentParts.Head1(w, l, section, head, rows == 0 ? -1 : w.TableLeadHeight(table));
        if (rows == 0)
            w.Paragraph(l.NoItems);
        else
            w.Table(table);
    }
}
