using System.Collections.Immutable;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Text;

namespace ContentEngine.Compilation;

/// <summary>The checks across files: translations' structure, the schedule, missing locales and translations, media.</summary>
public sealed partial class ProgramCompiler
{
    private static void CompareStructure(IReadOnlyList<DirectiveMark> original, IReadOnlyList<DirectiveMark> translated, SourceFile file, string originalPath, DiagnosticBag diagnostics)
    {
        static string Show(DirectiveMark m) => m.Key is null ? $"'::: {m.Name}'" : $"'::: {m.Name}' ({m.Key})";
        for (var i = 0; i < Math.Max(original.Count, translated.Count); i++)
        {
            if (i >= translated.Count)
            {
                diagnostics.Report(DiagnosticDescriptors.TranslationStructure, file.Location(Math.Max(0, file.Text.Length - 1)), originalPath,
                    $"it lacks {Show(original[i])}, directive {i + 1} of the original; translations keep every directive in the same order");
                return;
            }
            if (i >= original.Count)
            {
                diagnostics.Report(DiagnosticDescriptors.TranslationStructure, translated[i].Location, originalPath, $"it has {Show(translated[i])}, which the original does not");
                return;
            }
            if (original[i].Failed || translated[i].Failed) continue; // its own error is reported where it is
            // A translation may give a recording of its own: an audio's file is its own (its language is checked, CE0422).
            if (original[i].Name != translated[i].Name || (original[i].Key != translated[i].Key && original[i].Name != "audio"))
            {
                diagnostics.Report(DiagnosticDescriptors.TranslationStructure, translated[i].Location, originalPath,
                    $"directive {i + 1} is {Show(translated[i])} here but {Show(original[i])} in the original");
                return;
            }
        }
    }

    private void CheckSchedule(List<ModuleHeader> modules, HashSet<string> allIds, ProgramHeader program)
    {
        var byId = modules.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var known = modules.Select(m => m.Id).ToList();
        int Position(ModuleHeader m) => program.Phases.First(p => p.Id == m.Phase).FirstWeek + m.Week!.Value - 1;
        // The program week, the one patients and every page count in, with the phase's own week beside it.
        string When(ModuleHeader m) => Position(m) == m.Week ? $"week {m.Week}" : $"week {Position(m)} (week {m.Week} of {m.Phase})";

        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            edges[m.Id] = [];
            foreach (var (req, location) in m.Requires)
            {
                if (!byId.TryGetValue(req, out var target))
                {
                    if (allIds.Contains(req)) continue;
                    _diagnostics.Report(DiagnosticDescriptors.UnknownModule, location, req, Suggestions.ForReference(req, allIds, "modules"));
                    continue;
                }
                if (req == m.Id)
                {
                    _diagnostics.Report(DiagnosticDescriptors.RequiresCycle, location, $"{m.Id} requires itself");
                    continue;
                }
                edges[m.Id].Add(req);
                if (Position(target) > Position(m))
                    _diagnostics.Report(DiagnosticDescriptors.RequiresLater, location, m.Id, When(m), req, When(target));
            }
        }

        foreach (var cycle in StronglyConnected(edges).Where(c => c.Count > 1))
        {
            var members = cycle.OrderBy(id => modules.FindIndex(m => m.Id == id)).ToList();
            var first = byId[members[0]];
            var at = first.Requires.First(r => members.Contains(r.Id)).Location;
            var related = members.Skip(1).Select(id => byId[id].Requires.First(r => members.Contains(r.Id)).Location).ToList();
            _diagnostics.Report(DiagnosticDescriptors.RequiresCycle, at, related, string.Join(" -> ", OrderCycle(members, edges)));
        }

        foreach (var phase in program.Phases.Where(p => p.Choose is not null))
        {
            var optional = modules.Count(m => m.Phase == phase.Id && m.Optional);
            if (phase.Choose!.Min > optional)
                _diagnostics.Report(DiagnosticDescriptors.ChooseExceedsOptional, program.ChooseLocations[phase.Id], phase.Id, phase.Choose.Min, optional);
        }
    }

    /// <summary>Orders a cycle's members so that each requires the next, closing on the first.</summary>
    private static IEnumerable<string> OrderCycle(List<string> members, Dictionary<string, List<string>> edges)
    {
        var path = new List<string> { members[0] };
        var current = members[0];
        while (true)
        {
            var next = edges[current].FirstOrDefault(n => members.Contains(n) && (!path.Contains(n) || n == members[0]));
            if (next is null || next == members[0] || path.Count > members.Count) break;
            path.Add(next);
            current = next;
        }
        path.Add(members[0]);
        return path;
    }

    /// <summary>Tarjan's strongly connected components, iterative.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, List<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        var counter = 0;
        foreach (var start in edges.Keys)
        {
            if (index.ContainsKey(start)) continue;
            var work = new Stack<(string Node, int Next)>();
            work.Push((start, 0));
            index[start] = low[start] = counter++;
            stack.Push(start);
            onStack.Add(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Pop();
                var targets = edges[node];
                if (next < targets.Count)
                {
                    work.Push((node, next + 1));
                    var t = targets[next];
                    if (!index.ContainsKey(t))
                    {
                        index[t] = low[t] = counter++;
                        stack.Push(t);
                        onStack.Add(t);
                        work.Push((t, 0));
                    }
                    else if (onStack.Contains(t)) low[node] = Math.Min(low[node], index[t]);
                    continue;
                }
                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    } while (w != node);
                    result.Add(component);
                }
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }
        }
        return result;
    }

    private void CheckMissingLocales(IEnumerable<(string Path, ImmutableSortedDictionary<string, Content> Content)> bodies)
    {
        // A body with no translation file for a locale is reported once, for the file; its texts are not reported again.
        var untranslated = new HashSet<(string, string)>();
        foreach (var (path, content) in bodies)
            if (content.TryGetValue(_context.DefaultLocale, out var original) && original.Blocks.Length > 0)
                foreach (var locale in _context.Locales.Skip(1).Where(l => !content.ContainsKey(l)))
                    untranslated.Add((path, locale));
        foreach (var ((path, locale), items) in _context.MissingLocales.OrderBy(k => k.Key.Path, StringComparer.Ordinal).ThenBy(k => k.Key.Locale, StringComparer.Ordinal))
        {
            if (untranslated.Contains((path, locale))) continue;
            var keys = string.Join(", ", items.Select(i => $"'{i.Key}'").Distinct());
            _diagnostics.Report(DiagnosticDescriptors.MissingTranslation, items[0].Location, keys, locale,
                $"; give it as a map like {{{_context.DefaultLocale}: …, {locale}: …}} or in a translation file");
        }
    }

    /// <summary>
    /// By the records in translations/ (written by 'contentengine translate'): each translated text whose
    /// source has changed since it was translated (CE0505), at the translation, per locale.
    /// </summary>
    private void CheckTranslations(ImmutableArray<string> locales)
    {
        var folder = Path.Combine(_root, Translation.TranslationRecord.Folder);
        if (!Directory.Exists(folder)) return;
        var records = new List<Translation.TranslationRecord>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var locale = Path.GetFileNameWithoutExtension(file);
            if (!locales.Skip(1).Contains(locale))
            {
                _diagnostics.Report(DiagnosticDescriptors.TranslationRecordUnreadable, SourceLocation.File(Translation.TranslationRecord.ProgramPath(locale)),
                    $"it is for '{locale}', which is not a translated language of the program ({string.Join(", ", locales.Skip(1))}); delete it, or add '{locale}' to 'locales' in program.yaml");
                continue;
            }
            if (Translation.TranslationRecord.Read(_root, locales[0], locale, _diagnostics) is { } record) records.Add(record);
        }
        // Units pair the original's blocks with the translation's: with errors in the sources, that pairing means little.
        if (records.Count == 0 || _diagnostics.HasErrors) return;
        if (Translation.TranslationSources.Read(_root, new DiagnosticBag()) is not { } sources) return;
        foreach (var record in records)
            foreach (var unit in sources.Units(record.Locale, record).Where(u => u.State == Translation.UnitState.Stale))
            {
                var (old, now) = Translation.TranslationText.Difference(unit.RecordedSource!, unit.Source);
                _diagnostics.Report(DiagnosticDescriptors.StaleTranslation, unit.TargetLocation!.Value, [unit.SourceLocation],
                    locales[0], record.Locale, Quote(old), Quote(now), unit.Id);
            }

        static string Quote(string text) => "\"" + text + "\"";
    }

    private ImmutableArray<Asset> CheckMedia()
    {
        var media = Path.Combine(_root, "media");
        // When a module or worksheet could not be read, the media its body uses are not known: say nothing of them.
        if (Directory.Exists(media) && !_bodiesUnread)
        {
            foreach (var file in Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
                if (!_assets.Used.ContainsKey(file) && !Path.GetFileName(file).StartsWith('.') && !AssetResolver.LeavesFolder(_root, file))
                    _diagnostics.Report(DiagnosticDescriptors.UnusedMedia, SourceLocation.File(file), file);
        }
        return [.. _assets.Used.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u =>
        {
            if (_options.Cache is not { } cache || CompilationCache.KeyOf(Path.Combine(_root, u.Key)) is not { } key)
                return _assets.Describe(u.Key, u.Value);
            return cache.Assets.GetOrAdd((u.Key, key), _ => _assets.Describe(u.Key, u.Value));
        })];
    }
}
