using System.Globalization;
using ContentEngine.Text;

namespace ContentEngine.Diagnostics;

/// <summary>
/// How much a diagnostic matters: an error stops the build; a warning is a likely mistake that the author should fix
/// or knowingly leave; a note is worth knowing but asks for nothing (no exit code, not raised by --warnaserror).
/// </summary>
public enum DiagnosticSeverity { Warning, Error, Note }

public static class DiagnosticSeverityNames
{
    /// <summary>The lower-case word shown in messages, JSON and SARIF ("error", "warning", "note"; SARIF's own levels).</summary>
    public static string Name(this DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };
}

/// <summary>What a diagnostic code means: immutable, one per code, listed in <see cref="DiagnosticDescriptors"/>.</summary>
public sealed record DiagnosticDescriptor(string Id, string Title, string MessageFormat, DiagnosticSeverity Severity)
{
    public string HelpUri => $"docs/diagnostics/{Id}.md";
}

/// <summary>A problem in the content: a descriptor, a place and the facts that fill its message.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, SourceLocation Location, string Message, DiagnosticSeverity Severity, IReadOnlyList<SourceLocation> RelatedLocations)
{
    public string Id => Descriptor.Id;

    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] args) =>
        new(descriptor, location, string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), descriptor.Severity, []);

    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation location, IReadOnlyList<SourceLocation> related, params object?[] args) =>
        new(descriptor, location, string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), descriptor.Severity, related);

    /// <summary>A warning as an error (for --warnaserror); errors and notes as they are.</summary>
    public Diagnostic AsError() => Severity == DiagnosticSeverity.Warning ? this with { Severity = DiagnosticSeverity.Error } : this;

    public override string ToString() =>
        $"{Location}: {Severity.Name()} {Id}: {Message}";
}

/// <summary>Collects diagnostics during a compilation. Not thread-safe; one per file or phase.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);
    public int Count => _items.Count;

    public void Add(Diagnostic d) => _items.Add(d);
    public void AddRange(IEnumerable<Diagnostic> ds) => _items.AddRange(ds);

    public void Report(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] args) =>
        _items.Add(Diagnostic.Create(descriptor, location, args));

    public void Report(DiagnosticDescriptor descriptor, SourceLocation location, IReadOnlyList<SourceLocation> related, params object?[] args) =>
        _items.Add(Diagnostic.Create(descriptor, location, related, args));
}
