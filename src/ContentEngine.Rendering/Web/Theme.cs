
namespace ContentEngine.Rendering.Web;

/// <summary>A theme could not be found or has a broken template.</summary>
public sealed class ThemeException(string message) : Exception(message);

/// <summary>
/// Templates (Scriban), interface strings and assets. The default theme is built in; a program may
/// name another theme folder (themes/&lt;name&gt; beside or above the program) and override single
/// templates from its own templates/ folder, by the same path (<c>layout.html</c>, <c>worksheet/choice.html</c>).
/// </summary>
public sealed class Theme
{
    private readonly Dictionary<string, string> _templateText;
    private readonly Dictionary<string, Scriban.Template> _templates = new(StringComparer.Ordinal);

    private Theme(string name, Dictionary<string, string> templates, SortedDictionary<string, byte[]> assets, SortedDictionary<string, byte[]> print,
        SortedDictionary<string, byte[]> preview, UiStrings strings, IReadOnlyList<string> folders)
    {
        Name = name;
        PrintFiles = print;
        PreviewFiles = preview;
        _templateText = templates;
        Assets = assets;
        Strings = strings;
        Folders = folders;
        foreach (var (file, text) in templates)
        {
            var template = Scriban.Template.Parse(text, file);
            if (template.HasErrors)
                throw new ThemeException($"The template {file} of the theme '{name}' has errors: {string.Join("; ", template.Messages)}");
            _templates[file] = template;
        }
    }

    public string Name { get; }

    /// <summary>Files copied to the bundle's assets/ folder.</summary>
    public IReadOnlyDictionary<string, byte[]> Assets { get; }

    /// <summary>Files of the theme's print/ folder (style sheets of the printed workbook), by name.</summary>
    public IReadOnlyDictionary<string, byte[]> PrintFiles { get; }

    /// <summary>Files of the theme's preview/ folder (the script and style sheet of <c>contentengine serve</c>, the style sheet of explore's report), by name; never in a bundle.</summary>
    public IReadOnlyDictionary<string, byte[]> PreviewFiles { get; }

    public UiStrings Strings { get; }

    /// <summary>Folders on disk this theme was read from (for watching); empty for the built-in theme alone.</summary>
    public IReadOnlyList<string> Folders { get; }

    public Scriban.Template Template(string name) =>
        _templates.TryGetValue(name, out var t) ? t : throw new ThemeException($"The theme '{Name}' has no template {name}.");

    public static Theme Load(string programFolder) => Load(programFolder, null);

    private static readonly Lazy<Theme> s_builtIn = new(() => LoadFrom(null, null));

    /// <summary>The built-in default theme alone, without a program's templates.</summary>
    public static Theme BuiltIn => s_builtIn.Value;

    /// <param name="name">the theme a program names; null or "default" for the built-in one.</param>
    public static Theme Load(string programFolder, string? name) => LoadFrom(programFolder, name);

    private static Theme LoadFrom(string? programFolder, string? name)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var assets = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var print = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var preview = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var strings = new List<string>();
        var folders = new List<string>();

        var assembly = typeof(Theme).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith("theme/default/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            Add(resource["theme/default/".Length..].Replace('\\', '/'), memory.ToArray(), templates, assets, print, preview, strings);
        }

        if (programFolder is not null && name is not null && name != "default")
        {
            var folder = FindThemeFolder(programFolder, name) ?? throw new ThemeException(
                $"The theme '{name}' was not found: put it in a folder themes/{name}/ beside or above the program, or remove 'theme' from program.yaml to use the default theme.");
            folders.Add(folder);
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                Add(Path.GetRelativePath(folder, file).Replace('\\', '/'), File.ReadAllBytes(file), templates, assets, print, preview, strings);
        }

        var overrides = programFolder is null ? null : Path.Combine(programFolder, "templates");
        if (overrides is not null && Directory.Exists(overrides))
        {
            folders.Add(Path.GetFullPath(overrides));
            foreach (var file in Directory.EnumerateFiles(overrides, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                templates[Path.GetRelativePath(overrides, file).Replace('\\', '/')] = File.ReadAllText(file);
        }

        var merged = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var json in strings)
            foreach (var (locale, entries) in UiStrings.Parse(json).Raw)
            {
                if (!merged.TryGetValue(locale, out var target)) merged[locale] = target = new(StringComparer.Ordinal);
                foreach (var (k, v) in entries) target[k] = v;
            }
        return new Theme(name ?? "default", templates, assets, print, preview, new UiStrings(merged), folders);
    }

    private static void Add(string path, byte[] content, Dictionary<string, string> templates, SortedDictionary<string, byte[]> assets,
        SortedDictionary<string, byte[]> print, SortedDictionary<string, byte[]> preview, List<string> strings)
    {
        if (path.StartsWith("print/", StringComparison.Ordinal))
            print[path["print/".Length..]] = content;
        else if (path.StartsWith("preview/", StringComparison.Ordinal))
            preview[path["preview/".Length..]] = content;
        else if (path.StartsWith("templates/", StringComparison.Ordinal))
            templates[path["templates/".Length..]] = System.Text.Encoding.UTF8.GetString(content);
        else if (path.StartsWith("assets/", StringComparison.Ordinal))
            assets[path["assets/".Length..]] = content;
        else if (Path.GetFileName(path).StartsWith("strings", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal))
            strings.Add(System.Text.Encoding.UTF8.GetString(content));
    }

    private static string? FindThemeFolder(string programFolder, string name)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(programFolder)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "themes", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
