using PdfSharp;
using PdfSharp.Fonts;

namespace Deliberate.Server.Minutes.Typesetting;

/// <summary>
/// The fonts of our PDFs: Noto Serif SC (a Song face) and Noto Sans SC (a Hei face), TrueType
/// files that the build copies to <c>AppContext.BaseDirectory/fonts</c>. TrueType outlines let
/// PDFsharp embed subsets; CFF .otf files would be embedded whole.
/// </summary>
public static class PdfFonts
{
    public const string Serif = "Noto Serif SC";
    public const string Sans = "Noto Sans SC";

    private static readonly object Gate = new();
    private static volatile bool _configured;

    /// <summary>
    /// Chooses PDFsharp's AGPL licence (the project is AGPL-3.0-or-later) and installs our font
    /// resolver. PDFsharp allows the resolver to be set only once per process, before any font is
    /// used, so every renderer calls this first and only the first call does the work.
    /// </summary>
    public static void EnsureConfigured()
    {
        if (_configured)
            return;
        lock (Gate)
        {
            if (_configured)
                return;
            PdfSharpLicense.SetAgplLicense();
            var current = GlobalFontSettings.FontResolver;
            if (current is null)
                GlobalFontSettings.FontResolver = NotoFontResolver.Instance;
            else if (current is not NotoFontResolver)
                throw new InvalidOperationException(
                    $"Another PDFsharp font resolver ({current.GetType().Name}) is installed; the minutes need {nameof(NotoFontResolver)}.");
            _configured = true;
        }
    }

    /// <summary>The folder the fonts are read from.</summary>
    public static string FontDirectory => Path.Combine(AppContext.BaseDirectory, "fonts");
}

/// <summary>
/// Maps the two families and their regular and bold weights to the four font files. PDFsharp asks
/// for each face once and caches it, so the file is simply read when asked.
/// </summary>
public sealed class NotoFontResolver : IFontResolver
{
    public static readonly NotoFontResolver Instance = new();

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["NotoSerifSC-Regular"] = "NotoSerifSC_400Regular.ttf",
        ["NotoSerifSC-Bold"] = "NotoSerifSC_700Bold.ttf",
        ["NotoSansSC-Regular"] = "NotoSansSC_400Regular.ttf",
        ["NotoSansSC-Bold"] = "NotoSansSC_700Bold.ttf",
    };

    private NotoFontResolver()
    {
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        // No italic faces exist for Chinese; italic requests get the upright face.
        var face = familyName switch
        {
            PdfFonts.Serif => bold ? "NotoSerifSC-Bold" : "NotoSerifSC-Regular",
            PdfFonts.Sans => bold ? "NotoSansSC-Bold" : "NotoSansSC-Regular",
            _ => null,
        };
        return face is null ? null : new FontResolverInfo(face);
    }

    public byte[]? GetFont(string faceName)
    {
        if (!Files.TryGetValue(faceName, out var file))
            return null;
        var path = Path.Combine(PdfFonts.FontDirectory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"PDF font {file} is missing from {PdfFonts.FontDirectory}; the build copies it from the web app's npm packages.", path);
        return File.ReadAllBytes(path);
    }
}
