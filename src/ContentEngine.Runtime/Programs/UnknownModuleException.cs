namespace ContentEngine.Runtime.Programs;

/// <summary>A module id the program does not have, asked of a <see cref="ProgramStatus"/>.</summary>
public sealed class UnknownModuleException(string id, IEnumerable<string> known)
    : ContentEngineException($"the program has no module '{id}': ask for one of its modules ({Listed(known)}), or use ProgramStatus.Find, which gives null")
{
    /// <summary>The id asked for.</summary>
    public string Id { get; } = id;

    private static string Listed(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return list.Count <= 8 ? string.Join(", ", list) : string.Join(", ", list.Take(8)) + $" and {list.Count - 8} more";
    }
}
