namespace ContentEngine.Directives;

/// <summary><c>::: narration</c>: words for the audio track only.</summary>
public sealed class NarrationDirective() : DirectiveKind("narration", []);
