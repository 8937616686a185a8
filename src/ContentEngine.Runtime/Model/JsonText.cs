using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContentEngine.Model;

/// <summary>
/// The JSON text the runtime writes (graph.json, worksheets, the diff, the migration report, QuestionnaireResponses):
/// indented, "\n" line ends on every platform and runtime, letters outside ASCII as they are, and a final line end.
/// </summary>
internal static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        // .NET 8 has no NewLine option (Compatibility/Net8.cs) and ends lines as the system does.
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
