using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Deliberate.Server.Api;
using MiniExcelLibs;
using MiniExcelLibs.Csv;

namespace Deliberate.Server.Register;

/// <summary>One line of the register as the spreadsheet gives it (texts trimmed; nothing judged yet).</summary>
public sealed record RegisterRow(int Row, string Building, string Entrance, string Room, string Area, string OwnerName, string Phone,
    string IdLast4, string CoOwners, string DeveloperUnsold);

/// <summary>A file that cannot be read as a register: answered 400 with its own code, nothing is kept.</summary>
public sealed class RegisterFileException(string code, string zh, string en) : DomainRuleException(400, code, zh, en);

/// <summary>
/// Reads a register from XLSX or CSV (UTF-8 with or without BOM, else GB18030, which is what Chinese Excel writes as "CSV").
/// The XLSX is looked at before MiniExcel reads it: a real zip whose parts are not absurdly large (a zip bomb), no formulas
/// (a formula's cached value is whatever the last program that saved it computed: we refuse and name the cell), no merged cells
/// (a merged 楼栋 would leave the rows below it blank), and at most <see cref="MaxRows"/> rows — counted while streaming, so a
/// 100,000-row file is refused without being read into memory.
/// </summary>
public static class RegisterFile
{
    public const int MaxRows = 50_000;
    /// <summary>The upload limit: a 50,000-row register is about 3 MB as XLSX and 5 MB as CSV.</summary>
    public const long MaxBytes = 20L * 1024 * 1024;
    /// <summary>No part of an XLSX may unpack to more than this (a 50,000-row sheet is about 15 MB).</summary>
    const long MaxPartBytes = 200L * 1024 * 1024;

    public static readonly string[] Columns = ["楼栋", "单元", "房号", "专有部分面积", "业主姓名", "手机号", "证件号后四位", "共有人", "是否开发商未售"];
    static readonly string[] Required = ["楼栋", "房号", "专有部分面积", "业主姓名", "是否开发商未售"];

    static RegisterFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Reads every row; throws <see cref="RegisterFileException"/> for a file that is not a register.</summary>
    public static List<RegisterRow> Read(Stream content, string fileName)
    {
        var seekable = content.CanSeek ? content : Buffer(content);
        var head = new byte[4];
        var n = seekable.Read(head, 0, 4);
        seekable.Position = 0;
        var isZip = n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (isZip) return ReadXlsx(seekable);
        if (extension is ".xlsx" or ".xls" || LooksBinary(seekable))
            throw new RegisterFileException("registerNotSpreadsheet", "文件不是 XLSX 表格或 CSV 文本，无法读取。请用模板另存为 .xlsx 后上传。",
                "The file is not an XLSX workbook or a CSV text. Save it from the template as .xlsx and upload it again.");
        return ReadCsv(seekable);
    }

    static MemoryStream Buffer(Stream content)
    {
        var copy = new MemoryStream();
        content.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    static bool LooksBinary(Stream s)
    {
        var buffer = new byte[Math.Min(4096, s.Length)];
        var read = s.Read(buffer, 0, buffer.Length);
        s.Position = 0;
        return buffer.AsSpan(0, read).Contains((byte)0);
    }

    static List<RegisterRow> ReadXlsx(Stream s)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(s, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException) { throw NotSpreadsheet(); }
        using (zip)
        {
            if (zip.Entries.Any(e => e.Length > MaxPartBytes || (e.CompressedLength > 0 && e.Length / e.CompressedLength > 1000
                && e.Length > 10_000_000)))
                throw new RegisterFileException("registerNotSpreadsheet", "文件内容异常（解压后过大），不予读取。",
                    "The file unpacks to an implausible size and is not read.");
            var sheet = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.OrdinalIgnoreCase)
                    && e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                .OrderBy(e => e.FullName.Length).ThenBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault()
                ?? throw NotSpreadsheet();
            using var xml = XmlReader.Create(sheet.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });
            var rows = 0;
            string? cell = null;
            try
            {
                while (xml.Read())
                {
                    if (xml.NodeType != XmlNodeType.Element) continue;
                    switch (xml.LocalName)
                    {
                        case "row":
                            if (++rows > MaxRows + 1) throw TooManyRows();
                            break;
                        case "c":
                            cell = xml.GetAttribute("r");
                            break;
                        case "f":
                            throw new RegisterFileException("registerFormula", $"单元格 {cell} 是公式。请复制后“选择性粘贴 → 数值”，再上传。",
                                $"Cell {cell} holds a formula. Copy the sheet and paste values only, then upload again.");
                        case "mergeCell":
                            var range = xml.GetAttribute("ref");
                            throw new RegisterFileException("registerMergedCells", $"表格有合并单元格 {range}。请取消合并并在每一行填写完整后上传。",
                                $"The sheet has merged cells {range}. Unmerge them and fill in every row, then upload again.");
                    }
                }
            }
            catch (XmlException) { throw NotSpreadsheet(); }
        }
        s.Position = 0;
        IEnumerable<IDictionary<string, object?>> query;
        try
        {
            query = MiniExcel.Query(s, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>();
            return FromCells(query.Select(r => (IReadOnlyList<string>)ToTexts(r)));
        }
        catch (RegisterFileException) { throw; }
        catch (Exception e) when (e is InvalidDataException or XmlException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw NotSpreadsheet();
        }
    }

    static List<string> ToTexts(IDictionary<string, object?> row) =>
        row.Values.Select(v => v switch
        {
            null => "",
            double d => d.ToString("0.############", CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "是" : "否",
            _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        }).Select(Clean).ToList();

    /// <summary>
    /// A cell's text as a request's text is cleaned (<see cref="UserText.WithoutBidiControls"/>: no bidirectional controls), without
    /// zero-width characters (U+200B–U+200D, U+FEFF) either — "王\u200b七" would not match the name an owner types — and trimmed.
    /// </summary>
    public static string Clean(string text)
    {
        text = UserText.WithoutBidiControls(text);
        if (text.AsSpan().IndexOfAny(ZeroWidth) >= 0) text = string.Concat(text.Where(c => !ZeroWidth.Contains(c)));
        return text.Trim();
    }

    const string ZeroWidth = "\u200B\u200C\u200D\uFEFF";

    static List<RegisterRow> ReadCsv(Stream s)
    {
        var encoding = IsUtf8(s) ? (Encoding)new UTF8Encoding(false) : Encoding.GetEncoding("GB18030");
        s.Position = 0;
        var config = new CsvConfiguration { StreamReaderFunc = stream => new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true) };
        try
        {
            var query = MiniExcel.Query(s, useHeaderRow: false, excelType: ExcelType.CSV, configuration: config)
                .Cast<IDictionary<string, object?>>();
            return FromCells(query.Select(r => (IReadOnlyList<string>)ToTexts(r)));
        }
        catch (RegisterFileException) { throw; }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            throw NotSpreadsheet();
        }
    }

    /// <summary>Valid UTF-8 throughout (a BOM, or none) — else the file is taken as GB18030, a superset of GBK.</summary>
    static bool IsUtf8(Stream s)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[81920];
        var chars = new char[buffer.Length + 4];
        try
        {
            int read;
            while ((read = s.Read(buffer, 0, buffer.Length)) > 0) strict.GetChars(buffer, 0, read, chars, 0, flush: false);
            strict.GetChars(buffer, 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException) { return false; }
    }

    /// <summary>The header row names the columns (any order, extra columns ignored); then one register row per line, blank lines skipped.</summary>
    static List<RegisterRow> FromCells(IEnumerable<IReadOnlyList<string>> lines)
    {
        using var e = lines.GetEnumerator();
        if (!e.MoveNext()) throw MissingHeaders(Required);
        var header = e.Current;
        foreach (var column in Columns)
        {
            var at = Enumerable.Range(0, header.Count).Where(i => header[i] == column).ToList();
            if (at.Count > 1)
            {
                var cells = string.Join("、", at.Select(i => $"{ColumnLetters(i)}1"));
                throw new RegisterFileException("registerDuplicateColumn", $"第 1 行的列“{column}”出现了 {at.Count} 次（{cells}）。请只保留一列后上传。",
                    $"Row 1 has the column {column} {at.Count} times ({cells}). Keep one of them and upload again.");
            }
        }
        var index = Columns.ToDictionary(c => c, c => IndexOf(header, c));
        var missing = Required.Where(c => index[c] < 0).ToList();
        if (missing.Count > 0) throw MissingHeaders(missing);
        string At(IReadOnlyList<string> cells, string column) => index[column] is var i and >= 0 && i < cells.Count ? cells[i] : "";
        var rows = new List<RegisterRow>();
        var number = 1;
        while (e.MoveNext())
        {
            number++;
            if (number > MaxRows + 1) throw TooManyRows();
            var c = e.Current;
            if (c.All(string.IsNullOrWhiteSpace)) continue;
            rows.Add(new RegisterRow(number, At(c, "楼栋"), At(c, "单元"), At(c, "房号"), At(c, "专有部分面积"), At(c, "业主姓名"),
                At(c, "手机号"), At(c, "证件号后四位"), At(c, "共有人"), At(c, "是否开发商未售")));
        }
        return rows;
    }

    static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
            if (header[i] == column) return i;
        return -1;
    }

    /// <summary>0 → "A", 25 → "Z", 26 → "AA": the spreadsheet's name of a column.</summary>
    static string ColumnLetters(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    static RegisterFileException NotSpreadsheet() => new("registerNotSpreadsheet",
        "文件不是可读取的 XLSX 表格或 CSV 文本。请用模板另存为 .xlsx 后上传。",
        "The file is not a readable XLSX workbook or CSV text. Save it from the template as .xlsx and upload it again.");

    /// <summary>Why a register is never split by building (said with the size refusals).</summary>
    public const string WholeCommunityZh = "一个文件须包含一个社区的全部房屋：重新导入按整个社区比对，文件中没有的房屋都会注销，不能按楼栋分开导入。";
    public const string WholeCommunityEn = "A file holds one community's every unit: a re-import is compared with the whole community and "
        + "retires every unit the file lacks, so it cannot be split by building.";

    static RegisterFileException TooManyRows() => new("registerTooManyRows",
        $"表格超过 {MaxRows:N0} 行，超出一次导入的上限。如表格含多个社区，请按社区分开导入。{WholeCommunityZh}",
        $"The sheet has more than {MaxRows:N0} rows, the most one import takes. A sheet of several communities is imported one community "
            + $"at a time. {WholeCommunityEn}");

    static RegisterFileException MissingHeaders(IEnumerable<string> missing)
    {
        var names = string.Join("、", missing);
        return new("registerMissingColumns", $"第 1 行缺少必填列：{names}。请使用模板的列名。",
            $"Row 1 lacks the required column(s): {names}. Use the template's column names.");
    }

    /// <summary>The template: the headers and one example row.</summary>
    public static byte[] Template()
    {
        var example = new Dictionary<string, object?>
        {
            ["楼栋"] = "1号楼", ["单元"] = "1", ["房号"] = "101", ["专有部分面积"] = 89.50m, ["业主姓名"] = "张三", ["手机号"] = "13800138000",
            ["证件号后四位"] = "123X", ["共有人"] = "李四", ["是否开发商未售"] = "否",
        };
        return Write([example]);
    }

    public static byte[] Write(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var buffer = new MemoryStream();
        var list = rows.ToList();
        if (list.Count == 0) list.Add(Columns.ToDictionary(c => c, _ => (object?)null));
        buffer.SaveAs(list, sheetName: "业主名册", excelType: ExcelType.XLSX);
        return buffer.ToArray();
    }
}
