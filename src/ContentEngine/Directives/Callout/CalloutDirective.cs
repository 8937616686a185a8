namespace ContentEngine.Directives;

/// <summary>
/// <c>::: note</c>, <c>::: tip</c> and <c>::: warning</c>: text set apart, with an optional title. The three differ
/// only in name and look, so they share this folder; a new callout is one more registration.
/// </summary>
public sealed class CalloutDirective(string name) : DirectiveKind(name, ["title"]);
