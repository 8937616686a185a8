using ContentEngine.Model;
using ContentEngine.Output;

namespace ContentEngine.Runtime.Migration;

public sealed partial class ProgramDiff
{
    private sealed partial class Comparer
    {
        private void CompareWorksheets()
        {
            var fromById = _from.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal);
            var toById = _to.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal);
            var fieldChanges = new List<ProgramChange>();
            var scoreChanges = new List<ProgramChange>();
            foreach (var id in fromById.Keys.Union(toById.Keys).Order(StringComparer.Ordinal))
            {
                var old = fromById.GetValueOrDefault(id);
                var now = toById.GetValueOrDefault(id);
                if (old is null)
                {
                    Add(ChangeKind.Added, ItemKind.Worksheet, id, [new("kind", null, Lower(now!.Kind)), new("fields", null, List(now.Fields.Select(f => f.Id)))], []);
                    continue;
                }
                if (now is null)
                {
                    Add(ChangeKind.Removed, ItemKind.Worksheet, id, [new("kind", Lower(old.Kind), null), new("fields", List(old.Fields.Select(f => f.Id)), null)],
                        [new(ImpactKind.AnswersKeptAside, $"answers to {id} are kept aside: the patient's record keeps them under keptAside.{id}, and the program no longer reads them")]);
                    continue;
                }
                var details = new List<ChangeDetail>();
                var impacts = new List<PatientImpact>();
                if (old.Kind != now.Kind)
                {
                    details.Add(new("kind", Lower(old.Kind), Lower(now.Kind)));
                    if (IsDiary(old) != IsDiary(now))
                        impacts.Add(new(ImpactKind.AnswersKeptAside, $"{id} changed from a {Lower(old.Kind)} to a {Lower(now.Kind)} without a new id: its answers have another shape, so they are kept aside and the patient fills it in again"));
                }
                if (old.Repeat != now.Repeat) details.Add(new("repeat", old.Repeat is { } r1 ? Lower(r1) : null, now.Repeat is { } r2 ? Lower(r2) : null));
                if (old.Days != now.Days) details.Add(new("days", old.Days is { } a ? Num(a) : null, now.Days is { } b ? Num(b) : null));
                if (old.Title.Get(Locale) != now.Title.Get(Locale)) details.Add(new("title", old.Title.Get(Locale), now.Title.Get(Locale)));
                var text = ChangedLocales("worksheets", id);
                if (text.Count > 0)
                {
                    details.Add(new("text", null, string.Join(", ", text)));
                    impacts.Add(new(ImpactKind.TextChanged, $"patients who filled in {id} read the earlier instructions; their answers are kept"));
                }
                var reshaped = IsDiary(old) != IsDiary(now);
                if (!old.Fields.Select(f => f.Id).SequenceEqual(now.Fields.Select(f => f.Id))
                    && old.Fields.Select(f => f.Id).Order(StringComparer.Ordinal).SequenceEqual(now.Fields.Select(f => f.Id).Order(StringComparer.Ordinal)))
                    details.Add(new("order", List(old.Fields.Select(f => f.Id)), List(now.Fields.Select(f => f.Id))));
                if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Worksheet, id, details, impacts);
                CompareFields(id, old, now, reshaped, fieldChanges);
                CompareScores(id, old.Scoring, now.Scoring, scoreChanges, Locale);
            }
            _changes.AddRange(fieldChanges);
            _changes.AddRange(scoreChanges);
        }

        private static bool IsDiary(Worksheet w) => w.Kind == WorksheetKind.Diary;

        private void CompareFields(string worksheet, Worksheet oldSheet, Worksheet newSheet, bool reshaped, List<ProgramChange> changes)
        {
            var fromById = oldSheet.Fields.ToDictionary(f => f.Id, StringComparer.Ordinal);
            foreach (var f in newSheet.Fields)
            {
                var id = $"{worksheet}.{f.Id}";
                if (!fromById.TryGetValue(f.Id, out var old))
                {
                    changes.Add(new(ChangeKind.Added, ItemKind.Field, id, [new("type", null, Lower(f.Type)), new("required", null, Bool(f.Required))],
                        f.Required
                            ? [new(ImpactKind.NewlyRequired, $"a new required question: patients who filled in {worksheet} before have not answered {id}, so {worksheet} counts as unanswered for them until they do")]
                            : []));
                    continue;
                }
                var details = new List<ChangeDetail>();
                var impacts = new List<PatientImpact>();
                var retyped = old.Type != f.Type || old.Multiple != f.Multiple;
                if (old.Type != f.Type) details.Add(new("type", Lower(old.Type), Lower(f.Type)));
                if (old.Multiple != f.Multiple) details.Add(new("multiple", Bool(old.Multiple), Bool(f.Multiple)));
                if (retyped && !reshaped)
                {
                    impacts.Add(new(ImpactKind.AnswersKeptAside, $"{id} changed type without a new id: old answers to it are kept aside (keptAside.{worksheet})"));
                    impacts.Add(new(ImpactKind.AskedAgain, $"patients who answered {id} are asked it again" +
                        (f.Required ? $"; it is required, so {worksheet} counts as unanswered for them until they answer it" : string.Empty)));
                }
                if (old.Required != f.Required)
                {
                    details.Add(new("required", Bool(old.Required), Bool(f.Required)));
                    if (f.Required && !retyped)
                        impacts.Add(new(ImpactKind.NewlyRequired, $"{id} is now required: patients who left it empty have {worksheet} counted as unanswered until they answer it"));
                }
                if (old.Min != f.Min || old.Max != f.Max)
                {
                    details.Add(new("range", Range(old), Range(f)));
                    if (!retyped && ((f.Min is { } lo && (old.Min is not { } olo || olo < lo)) || (f.Max is { } hi && (old.Max is not { } ohi || ohi > hi))))
                        impacts.Add(new(ImpactKind.AnswersOutsideNewValues, $"the range of {id} is narrower ({Range(f)}): answers outside it are kept as they are, and conditions still read them"));
                }
                if (!Options(old).SequenceEqual(Options(f)))
                {
                    details.Add(new("options", List(Options(old)), List(Options(f))));
                    var removed = Options(old).Except(Options(f)).ToList();
                    if (removed.Count > 0 && !retyped)
                        impacts.Add(new(ImpactKind.AnswersOutsideNewValues, $"{id} no longer has the option{(removed.Count == 1 ? string.Empty : "s")} {string.Join(", ", removed.Select(r => $"'{r}'"))}: answers holding {(removed.Count == 1 ? "it" : "them")} are kept, but match no option, and conditions comparing with the remaining options are false for them"));
                }
                // Everything else the field's definition holds: the wording, help, unit, labels, columns, areas.
                details.AddRange(DiffAspects(FieldAspects(old, Locale), FieldAspects(f, Locale)));
                if (details.Count > 0) changes.Add(new(ChangeKind.Changed, ItemKind.Field, id, [.. details], [.. impacts]));
            }
            var newIds = newSheet.Fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var old in oldSheet.Fields.Where(o => !newIds.Contains(o.Id)))
                changes.Add(new(ChangeKind.Removed, ItemKind.Field, $"{worksheet}.{old.Id}", [new("type", Lower(old.Type), null)],
                    reshaped ? [] : [new(ImpactKind.AnswersKeptAside, $"answers to {worksheet}.{old.Id} are kept aside (keptAside.{worksheet}), and the program no longer reads them")]));
        }

        private static string? Range(Field f) =>
            f.Min is null && f.Max is null ? null : $"{(f.Min is { } lo ? Num(lo) : string.Empty)}..{(f.Max is { } hi ? Num(hi) : string.Empty)}";

        private static void CompareScores(string worksheet, Scoring? oldScoring, Scoring? newScoring, List<ProgramChange> changes, string locale)
        {
            var old = Scores(oldScoring);
            var now = Scores(newScoring);
            foreach (var (id, score) in now)
            {
                if (!old.TryGetValue(id, out var before))
                {
                    changes.Add(new(ChangeKind.Added, ItemKind.Score, $"{worksheet}.{id}", [new("method", null, Lower(score.Method))], []));
                    continue;
                }
                var details = DiffAspects(ScoreAspects(before, oldScoring!, locale), ScoreAspects(score, newScoring!, locale)).ToList();
                if (details.Count > 0)
                    changes.Add(new(ChangeKind.Changed, ItemKind.Score, $"{worksheet}.{id}", [.. details],
                        details.Any(d => d.Aspect is "method" or "items")
                            ? [new(ImpactKind.ScoreChanged, $"{worksheet}.{id} is computed differently: conditions on it may give another result for the same answers")]
                            : []));
            }
            foreach (var (id, score) in old.Where(o => !now.ContainsKey(o.Key)))
                changes.Add(new(ChangeKind.Removed, ItemKind.Score, $"{worksheet}.{id}", [new("method", Lower(score.Method), null)], []));
        }

        private static Dictionary<string, Score> Scores(Scoring? scoring)
        {
            var result = new Dictionary<string, Score>(StringComparer.Ordinal);
            foreach (var s in scoring?.Scores ?? []) result[s.Id] = s;
            return result;
        }

        private static IEnumerable<string> Options(Field f) => f.Options.Select(o => o.ValueText);
    }
}
