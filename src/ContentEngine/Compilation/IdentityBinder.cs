using System.Globalization;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>
/// Reads the program's <c>theme.yaml</c>: its primary colours, logo and cover image. A colour that
/// patients could not read against the page, or an image without alternative text, is an error.
/// </summary>
public static class IdentityBinder
{
    public const string FileName = "theme.yaml";

    private static readonly string[] Keys = ["primary_color", "primary_color_dark", "logo", "logo_alt", "cover_image", "cover_alt"];

    /// <summary>WCAG 2.2 AA for normal text (1.4.3): links, headings and button labels are text.</summary>
    public const double MinimumContrast = 4.5;

    public static ProgramIdentity? Bind(YMapping yaml, BindContext context, AssetResolver assets)
    {
        var r = new MappingReader(yaml, FileName, context, Keys);
        // The colour is text on the page (links, headings) and a button's background under labels in the page's
        // background colour, so one ratio, against that background, decides both.
        var light = Colour(r, "primary_color", ProgramIdentity.LightBackground, lighten: false);
        var dark = Colour(r, "primary_color_dark", ProgramIdentity.DarkBackground, lighten: true);
        var (logo, logoAlt) = Image(r, "logo", "logo_alt", "what the logo shows, usually the program's or clinic's name", context, assets);
        var (cover, coverAlt) = Image(r, "cover_image", "cover_alt", "what the picture shows, in a few words", context, assets);
        return new ProgramIdentity(light, dark, logo, logoAlt, cover, coverAlt);
    }

    private static string? Colour(MappingReader r, string key, string background, bool lighten)
    {
        if (r.Node(key) is not { } node)
        {
            // primary_color: #1d5b79 without quotes is a key with no value and a comment.
            if (r.Map[key] is YScalar { IsNull: true } empty)
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation(key), key,
                    $"has no colour: a # outside quotes starts a comment, so YAML skips what follows; write it in quotes: {key}: \"#1d5b79\"");
            return null;
        }
        if (node is not YScalar s)
        {
            r.Diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, key, "a colour such as \"#1d5b79\"", node.Describe());
            return null;
        }
        if (ParseHex(s.Value) is not { } rgb)
        {
            r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, s.Location, key,
                $"must be a colour written as # and six hexadecimal digits, such as \"#1d5b79\", not '{s.Value}' (quote it: a # outside quotes starts a comment)");
            return null;
        }
        var hex = Hex(rgb);
        var ratio = Contrast(rgb, ParseHex(background)!.Value);
        if (ratio < MinimumContrast)
        {
            var suggestion = Suggest(rgb, background, lighten);
            r.Diagnostics.Report(DiagnosticDescriptors.LowContrast, s.Location, key, hex, Ratio(ratio), lighten ? "dark" : "light", background,
                suggestion is null ? "" : $"; a {(lighten ? "lighter" : "darker")} shade such as \"{suggestion}\" passes");
            return null;
        }
        return hex;
    }

    private static (string? Path, LocalizedText? Alt) Image(MappingReader r, string key, string altKey, string altHint, BindContext context, AssetResolver assets)
    {
        var alt = r.Text(altKey);
        if (r.Node(key) is not { } node)
        {
            if (alt is not null && !r.IsMisspelt(key))
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation(altKey), altKey, $"describes an image, but there is no '{key}'; add '{key}: media/…' or remove '{altKey}'");
            return (null, null);
        }
        if (node is not YScalar s || s.Value.Length == 0)
        {
            r.Diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, key, "the path of an image under media/, such as media/logo.svg", node.Describe());
            return (null, null);
        }
        string? path = null;
        switch (assets.Resolve(s.Value, "", out var programPath))
        {
            case AssetResolver.Outcome.External:
                r.Diagnostics.Report(DiagnosticDescriptors.ExternalMedia, s.Location, s.Value);
                break;
            case AssetResolver.Outcome.Outside:
                r.Diagnostics.Report(DiagnosticDescriptors.AssetOutsideProgram, s.Location, s.Value, AssetResolver.KeepMediaInside);
                break;
            case AssetResolver.Outcome.Unsafe:
                var problem = assets.ProblemOf(programPath);
                r.Diagnostics.Report(DiagnosticDescriptors.UnsafeMedia, s.Location, programPath, problem.Found, problem.Fix);
                assets.MarkUsed(programPath, AssetKind.Image);
                break;
            case AssetResolver.Outcome.Missing:
                r.Diagnostics.Report(DiagnosticDescriptors.MissingAsset, s.Location, s.Value, $" (paths in {FileName} are from the program folder, such as media/logo.svg)");
                break;
            case AssetResolver.Outcome.WrongCase:
                var real = assets.RealNameOf(programPath);
                r.Diagnostics.Report(DiagnosticDescriptors.NameCase, s.Location, s.Value, real, AssetResolver.Respell(s.Value, real));
                assets.MarkUsed(real, AssetKind.Image);
                break;
            default:
                if (AssetResolver.KindFromPath(programPath) != AssetKind.Image)
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, s.Location, key, $"must be an image (.svg, .png, .jpg, .webp), not '{s.Value}'");
                else
                {
                    assets.MarkUsed(programPath, AssetKind.Image);
                    path = programPath;
                }
                break;
        }
        if (alt is null && !r.IsMisspelt(altKey))
            r.Diagnostics.Report(DiagnosticDescriptors.MissingKey, r.KeyLocation(key), FileName, altKey, $"{altHint}, for patients who cannot see the image");
        else if (alt is not null && alt.Values.Values.Any(string.IsNullOrWhiteSpace))
        {
            r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.Node(altKey)!.Location, altKey, $"is empty; write {altHint}");
            alt = null;
        }
        return (path, alt);
    }

    // ---- colour arithmetic (WCAG 2.2 relative luminance) ----

    public static (int R, int G, int B)? ParseHex(string text)
    {
        var t = text.Trim();
        if (t.Length != 7 || t[0] != '#') return null;
        if (!int.TryParse(t.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)) return null;
        return ((v >> 16) & 255, (v >> 8) & 255, v & 255);
    }

    public static string Hex((int R, int G, int B) c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";

    public static double Luminance((int R, int G, int B) c)
    {
        static double Channel(int v)
        {
            var s = v / 255.0;
            return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(c.R) + 0.7152 * Channel(c.G) + 0.0722 * Channel(c.B);
    }

    public static double Contrast((int R, int G, int B) a, (int R, int G, int B) b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>The ratio as WCAG writes it, rounded down so that 4.49 never shows as 4.5.</summary>
    private static string Ratio(double r) => (Math.Floor(r * 100) / 100).ToString("0.##", CultureInfo.InvariantCulture) + ":1";

    /// <summary>The same hue mixed towards black (or white) just far enough to pass; null if none does.</summary>
    private static string? Suggest((int R, int G, int B) c, string background, bool lighten)
    {
        var bg = ParseHex(background)!.Value;
        for (var step = 1; step <= 100; step++)
        {
            var t = step / 100.0;
            int Mix(int v) => (int)Math.Round(lighten ? v + (255 - v) * t : v * (1 - t));
            var m = (Mix(c.R), Mix(c.G), Mix(c.B));
            if (Contrast(m, bg) >= MinimumContrast) return Hex(m);
        }
        return null;
    }
}
