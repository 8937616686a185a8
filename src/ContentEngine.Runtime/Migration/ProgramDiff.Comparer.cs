using ContentEngine.Model;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Migration;

public sealed partial class ProgramDiff
{
    /// <summary>Walks both versions and collects the changes.</summary>
    private sealed partial class Comparer(ProgramPackage fromPackage, ProgramPackage toPackage)
    {
        private readonly ProgramGraph _from = fromPackage.Program;
        private readonly ProgramGraph _to = toPackage.Program;
        private readonly Dictionary<string, string> _fromHashes = fromPackage.Manifest.Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _toHashes = toPackage.Manifest.Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        private readonly List<ProgramChange> _changes = [];

        private string Locale => _to.DefaultLocale;

        private void Add(ChangeKind change, ItemKind item, string id, IEnumerable<ChangeDetail> details, IEnumerable<PatientImpact> impacts) =>
            _changes.Add(new ProgramChange(change, item, id, [.. details], [.. impacts]));

        public ProgramDiff Run()
        {
            CompareProgram();
            ComparePhases();
            CompareModules();
            CompareWorksheets();
            CompareConditions();
            return new ProgramDiff(_to.Id, _from.Version, _to.Version, [.. _changes]);
        }

        private void CompareProgram()
        {
            var details = new List<ChangeDetail>();
            var impacts = new List<PatientImpact>();
            if (_from.Release != _to.Release)
            {
                details.Add(new("release", Lower(_from.Release), Lower(_to.Release)));
                impacts.Add(new(ImpactKind.ScheduleChanged, _to.Release == ReleaseMode.All
                    ? "every module is now released in week 1: modules of later weeks open at once, once their requirements are met"
                    : "modules are now released week by week: modules of weeks a patient has not reached lock again unless completed"));
            }
            var addedLocales = _to.Locales.Except(_from.Locales).ToList();
            var removedLocales = _from.Locales.Except(_to.Locales).ToList();
            if (addedLocales.Count > 0 || removedLocales.Count > 0 || _from.DefaultLocale != _to.DefaultLocale)
                details.Add(new("locales", string.Join(", ", _from.Locales), string.Join(", ", _to.Locales)));
            if (_from.TotalWeeks != _to.TotalWeeks)
            {
                details.Add(new("weeks", Num(_from.TotalWeeks), Num(_to.TotalWeeks)));
                impacts.Add(new(ImpactKind.ScheduleChanged, $"the program now lasts {_to.TotalWeeks} weeks instead of {_from.TotalWeeks}"));
            }
            if (_from.Title.Get(Locale) != _to.Title.Get(Locale))
                details.Add(new("title", _from.Title.Get(Locale), _to.Title.Get(Locale)));
            if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Program, _to.Id, details, impacts);
        }

        private void ComparePhases()
        {
            foreach (var p in _to.Phases)
            {
                var old = _from.FindPhase(p.Id);
                if (old is null)
                {
                    Add(ChangeKind.Added, ItemKind.Phase, p.Id, [new("weeks", null, $"{p.FirstWeek}-{p.LastWeek}")],
                        [new(ImpactKind.ScheduleChanged, $"a new phase in weeks {p.FirstWeek}-{p.LastWeek}")]);
                    continue;
                }
                var details = new List<ChangeDetail>();
                var impacts = new List<PatientImpact>();
                if (old.FirstWeek != p.FirstWeek || old.LastWeek != p.LastWeek || old.PauseBefore != p.PauseBefore)
                {
                    if (old.FirstWeek != p.FirstWeek || old.LastWeek != p.LastWeek)
                        details.Add(new("weeks", $"{old.FirstWeek}-{old.LastWeek}", $"{p.FirstWeek}-{p.LastWeek}"));
                    if (old.PauseBefore != p.PauseBefore) details.Add(new("pauseBefore", Num(old.PauseBefore), Num(p.PauseBefore)));
                    impacts.Add(new(ImpactKind.ScheduleChanged, $"the phase now runs in weeks {p.FirstWeek}-{p.LastWeek} (before: {old.FirstWeek}-{old.LastWeek}); its modules' weeks move with it"));
                }
                if (ChoiceText(old.Choose) != ChoiceText(p.Choose))
                {
                    details.Add(new("choose", ChoiceText(old.Choose), ChoiceText(p.Choose)));
                    impacts.Add(new(ImpactKind.ChoiceRuleChanged, p.Choose?.Max is { } max
                        ? $"patients may now choose at most {max} of its optional modules; those who chose more keep their choices, and the others lock"
                        : "patients may choose its optional modules under the new rule; their choices are kept"));
                }
                if (old.Title.Get(Locale) != p.Title.Get(Locale)) details.Add(new("title", old.Title.Get(Locale), p.Title.Get(Locale)));
                if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Phase, p.Id, details, impacts);
            }
            foreach (var old in _from.Phases.Where(o => _to.FindPhase(o.Id) is null))
                Add(ChangeKind.Removed, ItemKind.Phase, old.Id, [new("weeks", $"{old.FirstWeek}-{old.LastWeek}", null)],
                    [new(ImpactKind.ScheduleChanged, $"the phase of weeks {old.FirstWeek}-{old.LastWeek} is gone; its modules are removed or moved (listed below)")]);
        }

        private static string? ChoiceText(ChooseRule? c) => c is null ? null : c.Max is { } max ? $"{c.Min} to {max}" : $"at least {c.Min}";

        private void CompareModules()
        {
            foreach (var m in _to.Modules)
            {
                var old = _from.FindModule(m.Id);
                var week = Scheduler.ReleaseWeek(_to, m);
                if (old is null)
                {
                    var impacts = new List<PatientImpact>();
                    var what = m.Optional ? "a new optional module they may choose" : "a new module";
                    if (week > 1)
                        impacts.Add(new(ImpactKind.NewModuleInPassedWeek,
                            $"patients past week {week - 1} get {what}, '{m.Id}', in a week they have passed (week {week}): it is open at once" + Requires(m)));
                    else
                        impacts.Add(new(ImpactKind.NewModuleInPassedWeek, $"every patient who has started gets {what}, '{m.Id}', in week 1: it is open at once" + Requires(m)));
                    Add(ChangeKind.Added, ItemKind.Module, m.Id,
                        [new("phase", null, m.Phase), new("programWeek", null, Num(m.ProgramWeek)), new("optional", null, Bool(m.Optional))], impacts);
                    continue;
                }
                CompareModule(old, m);
            }
            foreach (var old in _from.Modules.Where(o => _to.FindModule(o.Id) is null))
            {
                var impacts = new List<PatientImpact>
                {
                    new(ImpactKind.CompletedModuleRemoved, $"patients who completed '{old.Id}' keep their other progress; the completion is listed in the migration report and no longer counts"),
                };
                if (old.Optional)
                    impacts.Add(new(ImpactKind.ChosenModuleRemoved, $"patients who chose '{old.Id}' are flagged: it no longer exists, and they may choose another module"));
                Add(ChangeKind.Removed, ItemKind.Module, old.Id,
                    [new("phase", old.Phase, null), new("programWeek", Num(old.ProgramWeek), null), new("optional", Bool(old.Optional), null)], impacts);
            }
        }

        private static string Requires(Module m) =>
            m.Requires.IsEmpty ? string.Empty : $" when {string.Join(", ", m.Requires.Select(r => $"'{r}'"))} {(m.Requires.Length == 1 ? "is" : "are")} completed";

        private void CompareModule(Module old, Module m)
        {
            var details = new List<ChangeDetail>();
            var impacts = new List<PatientImpact>();
            if (old.Phase != m.Phase) details.Add(new("phase", old.Phase, m.Phase));
            var (was, now) = (Scheduler.ReleaseWeek(_from, old), Scheduler.ReleaseWeek(_to, m));
            if (old.ProgramWeek != m.ProgramWeek)
            {
                details.Add(new("programWeek", Num(old.ProgramWeek), Num(m.ProgramWeek)));
                if (now < was)
                    impacts.Add(new(ImpactKind.OpensEarlier, $"'{m.Id}' now opens in week {now} instead of {was}: patients in {Weeks(now, was - 1)} find it open at once" + Requires(m)));
                else if (now > was)
                    impacts.Add(new(ImpactKind.OpensLater, $"'{m.Id}' now opens in week {now} instead of {was}: patients in {Weeks(was, now - 1)} who have not completed it see it locked again until week {now}"));
            }
            else if (old.Week != m.Week) details.Add(new("week", Num(old.Week), Num(m.Week)));
            if (!old.Requires.SequenceEqual(m.Requires))
            {
                details.Add(new("requires", List(old.Requires), List(m.Requires)));
                var added = m.Requires.Except(old.Requires).ToList();
                impacts.Add(new(ImpactKind.RequirementsChanged, added.Count > 0
                    ? $"'{m.Id}' now also requires {string.Join(", ", added.Select(a => $"'{a}'"))}: patients who have not completed {(added.Count == 1 ? "it" : "them")} find '{m.Id}' locked until they do, unless they completed it already"
                    : $"'{m.Id}' requires fewer modules: it may open sooner"));
            }
            if (old.Optional != m.Optional)
            {
                details.Add(new("optional", Bool(old.Optional), Bool(m.Optional)));
                impacts.Add(new(ImpactKind.OptionalityChanged, m.Optional
                    ? $"'{m.Id}' is now optional: patients who completed it keep it (it counts as chosen); the others may choose it"
                    : $"'{m.Id}' is now mandatory: every patient gets it, chosen or not"));
            }
            var text = ChangedLocales("modules", m.Id);
            if (text.Count > 0)
            {
                details.Add(new("text", null, string.Join(", ", text)));
                impacts.Add(new(ImpactKind.TextChanged, $"patients who completed '{m.Id}' read the earlier text; it stays completed"));
            }
            if (old.Title.Get(Locale) != m.Title.Get(Locale)) details.Add(new("title", old.Title.Get(Locale), m.Title.Get(Locale)));
            if (old.Summary?.Get(Locale) != m.Summary?.Get(Locale)) details.Add(new("summary", old.Summary?.Get(Locale), m.Summary?.Get(Locale)));
            if (old.Minutes != m.Minutes) details.Add(new("minutes", old.Minutes is { } a ? Num(a) : null, m.Minutes is { } b ? Num(b) : null));
            if (old.OfferReason?.Get(Locale) != m.OfferReason?.Get(Locale)) details.Add(new("offerReason", old.OfferReason?.Get(Locale), m.OfferReason?.Get(Locale)));
            if (!old.Tags.SequenceEqual(m.Tags)) details.Add(new("tags", List(old.Tags), List(m.Tags)));
            if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Module, m.Id, details, impacts);
        }

        /// <summary>The locales in which a text's HTML fragment differs, by the SHA-256 the manifests give.</summary>
        private List<string> ChangedLocales(string folder, string id) =>
            [.. _to.Locales.Union(_from.Locales).Where(l =>
                _fromHashes.GetValueOrDefault($"content/{l}/{folder}/{id}.html") is var a
                && _toHashes.GetValueOrDefault($"content/{l}/{folder}/{id}.html") is var b
                && !string.Equals(a, b, StringComparison.OrdinalIgnoreCase))];

        private void CompareConditions()
        {
            // Offer conditions, by module.
            foreach (var m in _to.Modules)
            {
                var before = _from.FindModule(m.Id)?.OfferWhen?.Source;
                var after = m.OfferWhen?.Source;
                if (before == after || (_from.FindModule(m.Id) is null && after is null)) continue;
                var change = before is null ? ChangeKind.Added : after is null ? ChangeKind.Removed : ChangeKind.Changed;
                Add(change, ItemKind.Condition, $"{m.Id}.offerWhen", [new("source", before, after)],
                    [new(ImpactKind.ConditionChanged, after is null
                        ? $"'{m.Id}' is no longer recommended to anyone; patients who chose it keep it"
                        : $"who is recommended '{m.Id}' changes: patients who were recommended it may no longer be, and others may be; their choices are kept")]);
            }
            foreach (var old in _from.Modules.Where(o => _to.FindModule(o.Id) is null && o.OfferWhen is not null))
                Add(ChangeKind.Removed, ItemKind.Condition, $"{old.Id}.offerWhen", [new("source", old.OfferWhen!.Source, null)], []);

            // The conditions of ::: if blocks, by the module or worksheet whose text holds them.
            var before2 = IfConditions(_from);
            var after2 = IfConditions(_to);
            foreach (var owner in before2.Keys.Union(after2.Keys).Distinct().OrderBy(o => Order(o)).ThenBy(o => o.Kind, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal))
            {
                var a = before2.GetValueOrDefault(owner) ?? [];
                var b = after2.GetValueOrDefault(owner) ?? [];
                var removed = Minus(a, b);
                var added = Minus(b, a);
                if (removed.Count == 0 && added.Count == 0) continue;
                var ownerGone = owner.Kind == "module" ? _to.FindModule(owner.Id) is null : _to.Worksheets.All(w => w.Id != owner.Id);
                var ownerNew = owner.Kind == "module" ? _from.FindModule(owner.Id) is null : _from.Worksheets.All(w => w.Id != owner.Id);
                PatientImpact[] impact = ownerGone || ownerNew ? [] :
                [
                    new PatientImpact(ImpactKind.ConditionChanged, $"who sees which part of the text of {(owner.Kind == "module" ? $"'{owner.Id}'" : owner.Id)} changes"),
                ];
                if (removed.Count == 1 && added.Count == 1)
                    Add(ChangeKind.Changed, ItemKind.Condition, $"{owner.Id}.if", [new("source", removed[0], added[0])], impact);
                else
                {
                    foreach (var r in removed) Add(ChangeKind.Removed, ItemKind.Condition, $"{owner.Id}.if", [new("source", r, null)], impact);
                    foreach (var n in added) Add(ChangeKind.Added, ItemKind.Condition, $"{owner.Id}.if", [new("source", null, n)], impact);
                }
            }
        }

        private int Order((string Kind, string Id) owner) =>
            owner.Kind == "module" ? (_to.Modules.IndexOf(_to.FindModule(owner.Id)!) is var i and >= 0 ? i : 10000) : 20000;

        private static List<string> Minus(List<string> a, List<string> b)
        {
            var rest = b.ToList();
            var result = new List<string>();
            foreach (var x in a)
                if (!rest.Remove(x)) result.Add(x);
            return result;
        }

        /// <summary>The conditions of the <c>::: if</c> blocks in each module's and worksheet's text, in the program's default locale.</summary>
        private static Dictionary<(string Kind, string Id), List<string>> IfConditions(ProgramGraph program)
        {
            var result = new Dictionary<(string Kind, string Id), List<string>>();
            var owners = program.Modules.Select(m => ("module", m.Id, m.Content)).Concat(program.Worksheets.Select(w => ("worksheet", w.Id, w.Content)));
            foreach (var (kind, id, content) in owners)
            {
                var found = new List<string>();
                if (content.TryGetValue(program.DefaultLocale, out var body)) Collect(body.Blocks, found);
                if (found.Count > 0) result[(kind, id)] = found;
            }
            return result;

            static void Collect(IEnumerable<ContentBlock> blocks, List<string> found)
            {
                foreach (var d in blocks.OfType<DirectiveBlock>())
                {
                    if (d.Name == "if" && d.Condition is { } c) found.Add(c.Source);
                    Collect(d.Children, found);
                }
            }
        }
    }
}
