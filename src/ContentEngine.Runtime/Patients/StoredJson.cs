using System.Text.Json;

namespace ContentEngine.Runtime.Patients;

/// <summary>Builds the detached JSON values a patient's state keeps its answers in.</summary>
internal static class StoredJson
{
    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
            write(w);
        using var doc = JsonDocument.Parse(stream.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        return doc.RootElement.Clone();
    }

    /// <summary>An object of the given properties in order; a key given twice throws <see cref="ArgumentException"/>.</summary>
    public static JsonElement Object(IEnumerable<(string Name, JsonElement Value)> properties)
    {
        var list = properties.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
            if (!seen.Add(name)) throw new ArgumentException($"the key '{name}' is given twice", nameof(properties));
        return Build(w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in list)
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }
            w.WriteEndObject();
        });
    }

    public static JsonElement Array(IEnumerable<JsonElement> items) => Build(w =>
    {
        w.WriteStartArray();
        foreach (var i in items) i.WriteTo(w);
        w.WriteEndArray();
    });

    /// <summary>The properties of an object, in order.</summary>
    public static IEnumerable<(string Name, JsonElement Value)> Properties(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object ? json.EnumerateObject().Select(p => (p.Name, p.Value)) : [];
}
