using System.Globalization;
using ContentEngine.Text;

namespace ContentEngine.Diagnostics;

public enum DiagnosticSeverity { Warning, Error }

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

    public Diagnostic AsError() => Severity == DiagnosticSeverity.Error ? this : this with { Severity = DiagnosticSeverity.Error };

    public override string ToString() =>
        $"{Location}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")} {Id}: {Message}";
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
