namespace ContentEngine.Directives;

/// <summary>
/// The registration list: every directive an author may write. A new kind is a folder beside these (its
/// <see cref="DirectiveKind"/> here, its renderers in the rendering assembly's Directives folder) and a line in each list.
/// </summary>
public static class DirectiveKinds
{
    public static IReadOnlyList<DirectiveKind> All { get; } =
    [
        new ExerciseDirective(),
        new CalloutDirective("note"),
        new CalloutDirective("tip"),
        new CalloutDirective("warning"),
        new SafetyDirective(),
        new WorksheetDirective(),
        new MediaDirective("audio"),
        new MediaDirective("video"),
        new NarrationDirective(),
        new OnlyDirective(),
        new IfDirective(),
        new PauseDirective(),
        new IncludeDirective(),
    ];

    private static readonly Dictionary<string, DirectiveKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static DirectiveKind? Find(string name) => ByName.GetValueOrDefault(name);
}
