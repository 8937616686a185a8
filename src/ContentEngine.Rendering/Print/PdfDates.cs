using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ContentEngine.Rendering.Print;

/// <summary>
/// Sets the dates a PDF carries (the Info dictionary's CreationDate and ModDate, XMP's CreateDate,
/// ModifyDate and MetadataDate) to one fixed time, and a trailer ID to one derived from the content,
/// so a build with SOURCE_DATE_EPOCH writes the same bytes every time. Chromium writes these as
/// uncompressed strings; each is overwritten in place by one of the same length, so every offset in
/// the cross-reference table stays true.
/// </summary>
public static partial class PdfDates
{
    public static byte[] Stamp(byte[] pdf, DateTimeOffset when)
    {
        var utc = when.ToUniversalTime();
        var stamped = (byte[])pdf.Clone();
        // Latin-1 maps byte to char one to one: an index in the text is an offset in the file.
        var text = Encoding.Latin1.GetString(pdf);

        foreach (Match m in InfoDate().Matches(text))
        {
            var value = m.Groups["value"];
            var date = "D:" + utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + SameLength(m.Groups["zone"].Value, ["", "Z", "+00", "+00'00", "+00'00'", "Z00'00'"]);
            Overwrite(stamped, value.Index, value.Length, date);
        }
        foreach (Match m in XmpDate().Matches(text))
        {
            var value = m.Groups["value"];
            var seconds = utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            var fraction = m.Groups["fraction"].Value;
            var zone = SameLength(m.Groups["zone"].Value, ["", "Z", "+00:00"]);
            Overwrite(stamped, value.Index, value.Length, seconds + (fraction.Length == 0 ? string.Empty : "." + new string('0', fraction.Length - 1)) + zone);
        }

        // A trailer ID, when there is one, from the stamped content without it: the same document, the same ID.
        var ids = TrailerId().Matches(text);
        if (ids.Count > 0)
        {
            var blanked = (byte[])stamped.Clone();
            foreach (Match m in ids)
                foreach (var g in new[] { m.Groups["first"], m.Groups["second"] })
                    Array.Fill(blanked, (byte)'0', g.Index, g.Length);
            var digest = Convert.ToHexString(SHA256.HashData(blanked));
            foreach (Match m in ids)
                foreach (var g in new[] { m.Groups["first"], m.Groups["second"] })
                    Overwrite(stamped, g.Index, g.Length, string.Concat(Enumerable.Repeat(digest, g.Length / digest.Length + 1))[..g.Length]);
        }
        return stamped;
    }

    private static string SameLength(string original, string[] forms) =>
        forms.FirstOrDefault(f => f.Length == original.Length)
        ?? throw new InvalidOperationException($"a PDF date has the time zone '{original}', which has no UTC form of the same length");

    private static void Overwrite(byte[] pdf, int index, int length, string value)
    {
        if (value.Length != length) throw new InvalidOperationException($"'{value}' would not fit in place of a PDF date of {length} characters");
        Encoding.Latin1.GetBytes(value, 0, value.Length, pdf, index);
    }

    // /CreationDate (D:20261207130613+00'00')
    [GeneratedRegex(@"/(?:CreationDate|ModDate)\s*\((?<value>D:\d{14}(?<zone>[^)]*))\)")]
    private static partial Regex InfoDate();

    // <xmp:CreateDate>2026-12-07T13:06:13+00:00</xmp:CreateDate> or xmp:CreateDate="…"
    [GeneratedRegex(@"xmp:(?:CreateDate|ModifyDate|MetadataDate)(?:>|\s*=\s*[""'])(?<value>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?<fraction>\.\d+)?(?<zone>Z|[+-]\d\d:\d\d)?)")]
    private static partial Regex XmpDate();

    // trailer << … /ID [<hex> <hex>] … >>
    [GeneratedRegex(@"/ID\s*\[\s*<(?<first>[0-9A-Fa-f]+)>\s*<(?<second>[0-9A-Fa-f]+)>\s*\]")]
    private static partial Regex TrailerId();
}
