using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Output;

namespace ContentEngine.Cli.Preview;

/// <summary>
/// What the patient panel needs of the graph, in one locale: phases, and each module's schedule,
/// requirements and offer condition (as the tree the bundle's conditions.js evaluates).
/// </summary>
public static class ProgramJson
{
    public static byte[] Write(ProgramGraph g, string locale)
    {
        string T(LocalizedText? t) => t?.Get(locale, g.DefaultLocale) ?? string.Empty;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("id", g.Id);
            w.WriteString("version", g.Version);
            w.WriteString("title", T(g.Title));
            w.WriteString("locale", locale);
            w.WriteString("defaultLocale", g.DefaultLocale);
            GraphJson.WriteSchedule(w, g, weeks: true, (w, p) => w.WriteString("title", T(p.Title)), (w, m) =>
            {
                w.WriteString("title", T(m.Title));
                if (m.OfferReason is not null) w.WriteString("offerReason", T(m.OfferReason)); else w.WriteNull("offerReason");
                w.WriteString("url", $"/{locale}/modules/{Uri.EscapeDataString(m.Id)}.html");
            });
            w.WriteStartArray("worksheets");
            foreach (var ws in g.Worksheets)
            {
                w.WriteStartObject();
                w.WriteString("id", ws.Id);
                w.WriteString("title", T(ws.Title));
                w.WriteString("kind", ws.Kind.ToString().ToLowerInvariant());
                w.WriteString("url", $"/{locale}/worksheets/{Uri.EscapeDataString(ws.Id)}.html");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }
}
