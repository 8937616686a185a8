using System.Collections.Immutable;
using System.Globalization;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Programs;
using ContentEngine.Text;

namespace ContentEngine.Exploration;

public enum TargetKind { Offer, Block }

/// <summary>What one patient gets from a target: the patient, and whether they get it.</summary>
public sealed record Witness(Patient Patient, bool Gets);

/// <summary>
/// An optional module's offer or a <c>::: if</c> block, explored over the patients who can meet it:
/// how many classes of patient get it, and the smallest patient who does and who does not.
/// </summary>
/// <param name="Module">the module the target is in, or the worksheet when <paramref name="InWorksheet"/>.</param>
/// <param name="Sampled">more combinations than could all be tried: a sample of them was.</param>
/// <param name="Approximate">the condition does arithmetic with answers or compares two: tried at sample values.</param>
public sealed record TargetResult(
    TargetKind Kind,
    string Module,
    string SourcePath,
    Condition Condition,
    ImmutableArray<Condition> Enclosing,
    int Patients,
    int Getting,
    bool Sampled,
    Witness? Gets,
    Witness? DoesNot,
    bool Approximate = false,
    bool InWorksheet = false)
{
    /// <summary>A stable name for the target: the module's id for an offer, the module's id and the block's line for a block.</summary>
    public string Name => Kind == TargetKind.Offer ? Module : $"{Module}-line-{Condition.Location.Line + 1}";

    public bool Never => Patients > 0 && Getting == 0;
    public bool Always => Patients > 0 && Getting == Patients;
}

/// <summary>A phase with a choice: the fewest and the most optional modules any patient is recommended there.</summary>
public sealed record PhaseResult(Phase Phase, int OptionalModules, int Fewest, int Most, bool Sampled, Patient? FewestPatient, Patient? MostPatient);

/// <summary>The most minutes any patient is given in one program week.</summary>
public sealed record WeekLoad(int Week, double Minutes, ImmutableArray<string> Modules);

/// <summary>Everything <c>explore</c> found: the findings as diagnostics, and what they were found on.</summary>
public sealed record ExplorationResult(
    ImmutableArray<Diagnostic> Findings,
    ImmutableArray<TargetResult> Targets,
    ImmutableArray<PhaseResult> Phases,
    ImmutableArray<WeekLoad> Weeks,
    ImmutableArray<string> Notes,
    int? MaxMinutesPerWeek);

/// <summary>
/// Explores a compiled program over every patient who can go through it (<see cref="PatientSpace"/>):
/// each condition is evaluated by the runtime's reference evaluator on every class of patient that
/// the condition's own inputs span, a phase's recommendations by combining its modules' conditions
/// through the inputs they share, and every witness is confirmed by the runtime's scheduler.
/// Conditions that share no input are explored apart.
/// </summary>
public sealed class ProgramExplorer
{
    private readonly ProgramGraph _graph;
    private readonly PatientSpace _space;
    private readonly List<Diagnostic> _findings = [];
    private readonly List<string> _notes = [];
    private readonly IReadOnlySet<(string Path, int Line, int Column)> _neverTrue;
    private readonly int _totalWeeks;

    private ProgramExplorer(ProgramGraph graph, IReadOnlySet<(string, int, int)> neverTrue)
    {
        _graph = graph;
        _neverTrue = neverTrue;
        _space = new PatientSpace(graph, Conditions(graph).Select(c => c.Tree));
        _totalWeeks = Math.Max(1, graph.TotalWeeks);
    }

    /// <param name="neverTrue">places already reported as comparisons that can never be true (CE0304): not reported again.</param>
    public static ExplorationResult Explore(ProgramGraph graph, IReadOnlySet<(string Path, int Line, int Column)>? neverTrue = null)
    {
        var explorer = new ProgramExplorer(graph, neverTrue ?? new HashSet<(string, int, int)>());
        var targets = explorer.ExploreTargets();
        var phases = explorer.ExplorePhases();
        explorer.CheckRequirements();
        explorer.CheckSafety();
        var weeks = explorer.WeekLoads();
        return new ExplorationResult([.. explorer._findings.OrderBy(d => d.Location.Path, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column)],
            targets, phases, weeks, [.. explorer._notes], graph.MaxMinutesPerWeek);
    }

    private static IEnumerable<Condition> Conditions(ProgramGraph graph)
    {
        foreach (var m in graph.Modules)
        {
            if (m.OfferWhen is { } o) yield return o;
            if (m.Content.TryGetValue(graph.DefaultLocale, out var c))
                foreach (var (block, _) in IfBlocks(c.Blocks, [])) yield return block.Condition!;
        }
        foreach (var w in graph.Worksheets)
            if (w.Content.TryGetValue(graph.DefaultLocale, out var c))
                foreach (var (block, _) in IfBlocks(c.Blocks, [])) yield return block.Condition!;
    }

    /// <summary>Every <c>::: if</c> block, nested ones included, with the conditions of the blocks around it, outermost first.</summary>
    private static IEnumerable<(DirectiveBlock Block, ImmutableArray<Condition> Enclosing)> IfBlocks(ImmutableArray<ContentBlock> blocks, ImmutableArray<Condition> enclosing) =>
        blocks.AllDirectives().Where(x => x.Directive is { Name: "if", Condition: not null }).Select(x => (x.Directive, enclosing.AddRange(x.Enclosing)));

    private static IEnumerable<DirectiveBlock> Safety(ImmutableArray<ContentBlock> blocks) =>
        blocks.AllDirectives().Select(x => x.Directive).Where(d => d.Name == "safety");

    private void Report(DiagnosticDescriptor d, SourceLocation at, params object?[] args) => _findings.Add(Diagnostic.Create(d, at, args));

    /// <summary>True when a comparison inside the condition was already reported as never true (CE0304): that is the one cause.</summary>
    private bool AlreadyNeverTrue(Condition c) =>
        _neverTrue.Any(n => n.Path == c.Location.Path && n.Line == c.Location.Line && n.Column >= c.Location.Column && n.Column < c.Location.Column + Math.Max(1, c.Location.Length));

    private int FirstWeek(Module m) => Scheduler.ReleaseWeek(_graph, m);

    // ---- modules' offers and `::: if` blocks ----

    /// <summary>The modules a module needs completed before it opens, all the way down.</summary>
    private readonly Dictionary<string, ImmutableArray<string>> _closures = new(StringComparer.Ordinal);

    private ImmutableArray<string> RequiresClosure(Module m)
    {
        if (m.Requires.IsEmpty) return [];
        if (_closures.TryGetValue(m.Id, out var known)) return known;
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(m.Requires);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id)) continue;
            foreach (var r in _graph.FindModule(id)?.Requires ?? []) stack.Push(r);
        }
        return _closures[m.Id] = [.. seen];
    }

    private ImmutableArray<TargetResult> ExploreTargets()
    {
        var results = ImmutableArray.CreateBuilder<TargetResult>();
        foreach (var m in _graph.Modules)
        {
            if (m.Optional && m.OfferWhen is { } offer)
            {
                var phase = _graph.FindPhase(m.Phase)!;
                var r = ExploreTarget(TargetKind.Offer, m, m.Id, m.SourcePath, offer, [], FirstWeek(m), phase.LastWeek);
                results.Add(r);
                if (AlreadyNeverTrue(offer)) { }
                else if (r.Never)
                    Report(DiagnosticDescriptors.OfferNever, offer.Location, m.Id, Sampled(r));
                else if (r.Always)
                    Report(DiagnosticDescriptors.OfferAlways, offer.Location, m.Id, Sampled(r));
            }
            if (m.Content.TryGetValue(_graph.DefaultLocale, out var content))
                ExploreBlocks(results, content, m, m.Id, m.SourcePath, FirstWeek(m));
        }
        // A worksheet's own blocks show wherever it is placed, at any time of the program.
        foreach (var w in _graph.Worksheets)
            if (w.Content.TryGetValue(_graph.DefaultLocale, out var content))
                ExploreBlocks(results, content, null, w.Id, w.SourcePath, 1);
        return results.ToImmutable();
    }

    private void ExploreBlocks(ImmutableArray<TargetResult>.Builder results, Content content, Module? m, string owner, string path, int firstWeek)
    {
        foreach (var (block, enclosing) in IfBlocks(content.Blocks, []))
        {
            var c = block.Condition!;
            var r = ExploreTarget(TargetKind.Block, m, owner, path, c, enclosing, firstWeek, _totalWeeks);
            results.Add(r);
            if (AlreadyNeverTrue(c)) continue;
            if (r.Never)
                Report(DiagnosticDescriptors.BlockNever, c.Location,
                    enclosing.IsEmpty ? "for none of the answers (and weeks) a patient can have" : "for none of the patients who see the block around it", Sampled(r));
            else if (r.Always)
                Report(DiagnosticDescriptors.BlockAlways, c.Location, enclosing.IsEmpty ? "every patient" : "every patient who sees the block around it", Sampled(r));
        }
    }

    private static string Sampled(TargetResult r) =>
        r.Approximate ? " (found at sample values: the condition does arithmetic with answers or compares two, so a patient between them may differ)"
        : r.Sampled ? " (found on a sample of the patients: the condition has too many combinations to try them all)" : string.Empty;

    private TargetResult ExploreTarget(TargetKind kind, Module? m, string owner, string path, Condition own, ImmutableArray<Condition> enclosing, int firstWeek, int lastWeek)
    {
        var inputs = _space.InputsOf(own.Tree).Concat(enclosing.SelectMany(e => _space.InputsOf(e.Tree)))
            .DistinctBy(i => i.Key).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
        var requires = m is null ? [] : RequiresClosure(m);
        var chosen = m is { Optional: true } && kind == TargetKind.Block ? [m.Id] : ImmutableArray<string>.Empty;
        var patients = 0;
        var getting = 0;
        Patient? gets = null, doesNot = null;
        var alternatives = Alternatives(own.Tree);
        var changes = new bool[alternatives.Count];
        var enumeration = Combinations(inputs, firstWeek, lastWeek, out var sampled);
        foreach (var values in enumeration)
        {
            var patient = _space.Realize(values, firstWeek, requires, chosen);
            var state = patient.ToState();
            if (!enclosing.All(e => Evaluator.IsTrue(e.Tree, state))) continue;
            patients++;
            var result = Evaluator.IsTrue(own.Tree, state);
            if (result)
            {
                getting++;
                if (gets is null || patient.Size < gets.Size) gets = patient;
            }
            else if (doesNot is null || patient.Size < doesNot.Size) doesNot = patient;
            for (var i = 0; i < alternatives.Count; i++)
                if (!changes[i] && Evaluator.IsTrue(alternatives[i].Without, state) != result) changes[i] = true;
        }
        var approximate = !_space.IsSplittable(own.Tree) || enclosing.Any(e => !_space.IsSplittable(e.Tree));
        if (sampled) _notes.Add($"{path}({own.Location.Line + 1}): '{own.Source}' has more combinations of answers than can all be tried; explored on a sample of {PatientSpace.EnumerationLimit:N0}, the extremes included");
        if (approximate)
            _notes.Add($"{path}({own.Location.Line + 1}): '{own.Source}' is not explored exactly: it does arithmetic with answers or compares two, so it is tried at sample values");

        var r = new TargetResult(kind, owner, path, own, enclosing, patients, getting, sampled, gets is null ? null : new Witness(gets, true),
            doesNot is null ? null : new Witness(doesNot, false), approximate, InWorksheet: m is null);
        if (patients > 0 && getting > 0 && getting < patients && !AlreadyNeverTrue(own))
        {
            var reported = new List<Expr>();
            for (var i = 0; i < alternatives.Count; i++)
            {
                var part = alternatives[i].Part;
                if (changes[i] || reported.Any(p => Contains(p, part))) continue;
                // Of parts written twice, the later copy is the one that changes nothing.
                if (alternatives.Where((a, k) => !changes[k] && a.Part.Start > part.Start && Source(own, a.Part) == Source(own, part)).Any()) continue;
                reported.Add(part);
                Report(DiagnosticDescriptors.PartChangesNothing, own.At(part.Start, part.Length), Source(own, part), alternatives[i].Joiner,
                    enclosing.IsEmpty ? "whatever the answers" : "for every patient who sees the block around it", Sampled(r));
            }
        }
        return kind == TargetKind.Offer ? Confirm(r, m!) : r;
    }

    private static string Source(Condition c, Expr e) => e.Start >= 0 && e.Start + e.Length <= c.Source.Length ? c.Source.Substring(e.Start, e.Length) : c.Source;

    private static bool Contains(Expr outer, Expr inner) => inner.Start >= outer.Start && inner.Start + inner.Length <= outer.Start + outer.Length;

    /// <summary>For every operand of an 'and' or 'or', the condition without it: if that never gives another result, the operand changes nothing.</summary>
    private static List<(Expr Part, Expr Without, string Joiner)> Alternatives(Expr root)
    {
        var result = new List<(Expr, Expr, string)>();
        void Walk(Expr e)
        {
            if (e is BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b)
            {
                var joiner = b.Operator == BinaryOperator.And ? "and" : "or";
                result.Add((b.Left, Replace(root, b, b.Right), joiner));
                result.Add((b.Right, Replace(root, b, b.Left), joiner));
                Walk(b.Left);
                Walk(b.Right);
            }
            else if (e is UnaryExpr u) Walk(u.Operand);
        }
        Walk(root);
        return result;
    }

    private static Expr Replace(Expr e, Expr target, Expr replacement)
    {
        if (ReferenceEquals(e, target)) return replacement;
        return e switch
        {
            BinaryExpr b => b with { Left = Replace(b.Left, target, replacement), Right = Replace(b.Right, target, replacement) },
            UnaryExpr u => u with { Operand = Replace(u.Operand, target, replacement) },
            _ => e,
        };
    }

    /// <summary>Every combination of the inputs' classes, or a fixed sample of them when there are too many.</summary>
    private IEnumerable<Dictionary<Input, object?>> Combinations(IReadOnlyList<Input> inputs, int firstWeek, int lastWeek, out bool sampled, int limit = PatientSpace.EnumerationLimit)
    {
        var classes = inputs.Select(i => _space.ClassesOf(i, firstWeek, lastWeek)).ToList();
        double total = classes.Aggregate(1.0, (t, c) => t * Math.Max(1, c.Count));
        sampled = total > limit;
        return sampled ? Sample(inputs, classes, limit) : Enumerate(inputs, classes);
    }

    private static IEnumerable<Dictionary<Input, object?>> Enumerate(IReadOnlyList<Input> inputs, List<IReadOnlyList<object?>> classes)
    {
        var index = new int[inputs.Count];
        while (true)
        {
            var values = new Dictionary<Input, object?>(inputs.Count);
            for (var i = 0; i < inputs.Count; i++) values[inputs[i]] = classes[i].Count == 0 ? null : classes[i][index[i]];
            yield return values;
            var k = 0;
            while (k < inputs.Count && ++index[k] >= classes[k].Count)
            {
                index[k] = 0;
                k++;
            }
            if (k == inputs.Count) yield break;
        }
    }

    private static IEnumerable<Dictionary<Input, object?>> Sample(IReadOnlyList<Input> inputs, List<IReadOnlyList<object?>> classes, int limit)
    {
        // The extremes first (every input at its first, second, last and next-to-last class), then a fixed random sample.
        foreach (var pick in new Func<int, int>[] { c => 0, c => Math.Min(1, c - 1), c => c - 1, c => Math.Max(0, c - 2) })
        {
            var values = new Dictionary<Input, object?>(inputs.Count);
            for (var i = 0; i < inputs.Count; i++) values[inputs[i]] = classes[i].Count == 0 ? null : classes[i][pick(classes[i].Count)];
            yield return values;
        }
        var random = new Random(20261204);
        for (var n = 0; n < limit; n++)
        {
            var values = new Dictionary<Input, object?>(inputs.Count);
            for (var i = 0; i < inputs.Count; i++) values[inputs[i]] = classes[i].Count == 0 ? null : classes[i][random.Next(classes[i].Count)];
            yield return values;
        }
    }

    /// <summary>An offer's witnesses, kept only where the runtime's scheduler agrees that the patient is (or is not) recommended the module.</summary>
    private TargetResult Confirm(TargetResult r, Module m)
    {
        bool Agrees(Witness? w) => w is null || _graph.Evaluate(Progress(w.Patient, RequiresClosure(m)))[m.Id].Recommended == w.Gets;
        if (Agrees(r.Gets) && Agrees(r.DoesNot)) return r;
        _notes.Add($"{m.SourcePath}: the scheduler does not offer '{m.Id}' to a patient its condition holds for (a choice limit or a requirement stands in the way); no witness is given");
        return r with { Gets = Agrees(r.Gets) ? r.Gets : null, DoesNot = Agrees(r.DoesNot) ? r.DoesNot : null };
    }

    private static PatientProgress Progress(Patient p, IEnumerable<string>? alsoCompleted = null) => new()
    {
        Week = p.Week,
        Completed = [.. p.Completed.Concat(alsoCompleted ?? []).Distinct(StringComparer.Ordinal)],
        Chosen = [.. p.Chosen],
        Answers = p.ToState().Answers,
    };

    // ---- phases: how many modules a patient is recommended ----

    private ImmutableArray<PhaseResult> ExplorePhases()
    {
        var results = ImmutableArray.CreateBuilder<PhaseResult>();
        foreach (var phase in _graph.Phases.Where(p => p.Choose is not null))
        {
            var optional = _graph.Modules.Where(m => m.Phase == phase.Id && m.Optional).ToList();
            var offered = optional.Where(m => m.OfferWhen is not null).ToList();
            // A phase whose modules have no offer_when is a free choice: nothing is recommended, by design.
            if (offered.Count == 0) continue;
            var lastWeek = phase.LastWeek;
            // Every week in which an optional module opens, or a condition on the week changes, and the phase's last week.
            var weeks = offered.Select(FirstWeek).Append(lastWeek).Where(w => w >= phase.FirstWeek && w <= lastWeek).Distinct().Order().ToList();
            var fewest = int.MaxValue;
            var most = -1;
            var sampled = false;
            Patient? fewestPatient = null, mostPatient = null;
            var memo = new Dictionary<string, (Dictionary<Input, object?>? Yes, Dictionary<Input, object?>? No, bool Sampled)>(StringComparer.Ordinal);
            foreach (var week in weeks)
            {
                var released = offered.Where(m => FirstWeek(m) <= week).ToList();
                // The patient has done what the released modules need; what else they completed is an input of the conditions.
                var done = released.SelectMany(m => RequiresClosure(m)).Distinct(StringComparer.Ordinal).ToImmutableArray();
                var (least, greatest, _, s) = CountRecommended(released, week, done, memo);
                sampled |= s;
                var patientMost = _space.Realize(greatest.Values, week, done, []);
                var mostCount = Recommended(patientMost, phase, done);
                if (mostCount > most) { most = mostCount; mostPatient = patientMost; }
                // Fewest is what a patient is recommended once everything of the phase is open.
                if (week == lastWeek)
                {
                    var patientFewest = _space.Realize(least.Values, week, done, []);
                    fewest = Recommended(patientFewest, phase, done);
                    fewestPatient = patientFewest;
                }
            }
            if (fewest == int.MaxValue) fewest = 0;
            var result = new PhaseResult(phase, optional.Count, fewest, Math.Max(0, most), sampled, fewestPatient, mostPatient);
            results.Add(result);
            var note = sampled ? " (found on a sample of the patients)" : string.Empty;
            if (phase.Choose!.Max is { } max && result.Most > max)
                Report(DiagnosticDescriptors.RecommendsMoreThanChosen, phase.ChooseMaxLocation, phase.Id, result.Most, max, note);
            // With choose.min 0 a patient may rightly choose nothing; one who must choose should be told what fits them.
            if (result.Fewest == 0 && phase.Choose.Min > 0)
                Report(DiagnosticDescriptors.PhaseRecommendations, phase.ChooseLocation, phase.Id,
                    $"some patients are recommended none of the phase's optional modules ({optional.Count} in all), yet must choose at least {phase.Choose.Min}", note,
                    "change the offer_when conditions so that every patient who must choose is recommended at least one");
        }
        return results.ToImmutable();
    }

    /// <summary>How many of the phase's modules the runtime's scheduler recommends to the patient.</summary>
    private int Recommended(Patient patient, Phase phase, ImmutableArray<string> done) =>
        _graph.Evaluate(Progress(patient, done)).Recommended.Count(x => x.Module.Phase == phase.Id);

    /// <summary>
    /// The patients recommended the fewest and the most of <paramref name="modules"/> in a week: the inputs two
    /// modules' conditions share are tried together, each module's own inputs apart, for the best and worst case.
    /// </summary>
    private (Wrapped Least, Wrapped Greatest, int Most, bool Sampled) CountRecommended(List<Module> modules, int week, ImmutableArray<string> done,
        Dictionary<string, (Dictionary<Input, object?>? Yes, Dictionary<Input, object?>? No, bool Sampled)> memo)
    {
        var inputsOf = modules.ToDictionary(m => m.Id, m => _space.InputsOf(m.OfferWhen!.Tree).Where(i => i is not WeekInput).ToList(), StringComparer.Ordinal);
        // Inputs read by two modules' conditions are explored together; so are the inputs that make one answer
        // (answered(), a diary's entries, a score's items) when their worksheet is read by two modules.
        static string? WorksheetOf(Input i) => i switch { AnsweredInput a => a.Worksheet, AggregateInput a => a.Worksheet, ScoreInput s => s.Worksheet, _ => null };
        static string? ReadsWorksheet(Input i) => i switch { FieldInput f => f.Worksheet, _ => WorksheetOf(i) };
        var worksheetReaders = inputsOf.SelectMany(kv => kv.Value.Select(ReadsWorksheet).OfType<string>().Distinct().Select(w => (w, kv.Key)))
            .GroupBy(x => x.w).Where(g => g.Select(x => x.Key).Distinct().Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var shared = inputsOf.Values.SelectMany(l => l).GroupBy(i => i.Key)
            .Where(g => g.Count() > 1 || WorksheetOf(g.First()) is { } w && worksheetReaders.Contains(w))
            .Select(g => g.First()).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
        var sharedKeys = shared.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var fewest = int.MaxValue;
        var most = -1;
        Dictionary<Input, object?> fewestValues = [], mostValues = [];
        var sampled = false;
        foreach (var common in Combinations(shared, week, week, out var s1, PatientSpace.PhaseLimit))
        {
            sampled |= s1;
            var least = new Dictionary<Input, object?>(common);
            var greatest = new Dictionary<Input, object?>(common);
            int can = 0, must = 0;
            foreach (var m in modules)
            {
                // A module's answer depends only on the shared inputs its condition reads (and on the week and the
                // completed modules when it reads those): remember it per their values.
                var timed = _space.InputsOf(m.OfferWhen!.Tree).Any(i => i is WeekInput or ModuleInput);
                // The shared inputs that bear on this module: those it reads, and those that make up an answer it reads (answered()).
                var reads = inputsOf[m.Id].Select(ReadsWorksheet).OfType<string>().ToHashSet(StringComparer.Ordinal);
                var mine = shared.Where(i => inputsOf[m.Id].Any(x => x.Key == i.Key) || WorksheetOf(i) is { } w && reads.Contains(w)).ToList();
                var key = m.Id + (timed ? $"@{week}" : string.Empty) + "|" + string.Join("|", mine.Select(i => $"{i.Key}={Show(common[i])}"));
                if (!memo.TryGetValue(key, out var known))
                {
                    var own = inputsOf[m.Id].Where(i => !sharedKeys.Contains(i.Key)).ToList();
                    Dictionary<Input, object?>? y = null, n = null;
                    foreach (var values in Combinations(own, week, week, out var s2, PatientSpace.PhaseOwnLimit))
                    {
                        known.Sampled |= s2;
                        var all = new Dictionary<Input, object?>(values);
                        foreach (var i in mine) all[i] = common[i];
                        var holds = Evaluator.IsTrue(m.OfferWhen!.Tree, _space.Realize(all, week, done, []).ToState());
                        if (holds) y ??= values;
                        else n ??= values;
                        if (y is not null && n is not null) break;
                    }
                    memo[key] = known = (y, n, known.Sampled);
                }
                sampled |= known.Sampled;
                var (yes, no) = (known.Yes, known.No);
                if (yes is not null) { can++; foreach (var (k, v) in yes) greatest[k] = v; }
                if (no is null) must++;
                else foreach (var (k, v) in no) least[k] = v;
            }
            if (can > most) { most = can; mostValues = greatest; }
            if (must < fewest) { fewest = must; fewestValues = least; }
        }
        return (new Wrapped(fewestValues), new Wrapped(mostValues), most, sampled);
    }

    private static string Show(object? v) => v switch
    {
        null => "-",
        ImmutableArray<object> set => "[" + string.Join(",", set) + "]",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => v.ToString() ?? string.Empty,
    };

    /// <summary>A choice of classes for the inputs.</summary>
    private sealed record Wrapped(Dictionary<Input, object?> Values);

    // ---- requirements and safety messages along the way ----

    private void CheckRequirements()
    {
        var done = _graph.Modules.Where(m => !m.Optional).Select(m => m.Id).ToList();
        foreach (var m in _graph.Modules)
        {
            var optional = RequiresClosure(m).Where(r => _graph.FindModule(r) is { Optional: true }).ToList();
            if (optional.Count == 0) continue;
            // A patient who does every mandatory module and chooses nothing: the scheduler must keep this one locked.
            var status = _graph.Evaluate(new PatientProgress { Week = _totalWeeks, Completed = [.. done.Where(d => d != m.Id)] });
            if (status[m.Id].State != ModuleState.Locked) continue;
            // Point at the entry of requires that leads to an optional module: the one naming it, or the module that needs it.
            var entry = m.Requires.Select((r, i) => (r, i)).FirstOrDefault(x =>
                _graph.FindModule(x.r) is { } req && (req.Optional || RequiresClosure(req).Any(o => _graph.FindModule(o) is { Optional: true })));
            var at = entry.r is not null && entry.i < m.RequiresLocations.Length && m.RequiresLocations[entry.i] is { Path: not null, HasPosition: true }
                ? m.RequiresLocations[entry.i] : SourceLocation.File(m.SourcePath);
            Report(DiagnosticDescriptors.NeverOpens, at, m.Id,
                string.Join(", ", optional.Select(o => $"'{o}'")), optional.Count == 1 ? "it" : "them");
        }
    }

    private void CheckSafety()
    {
        static string Words(DirectiveBlock b) => string.Join(" ", string.Concat(b.Children.OfType<MarkdownBlock>().Select(c => c.Markdown + " "))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var everyone = new HashSet<string>(StringComparer.Ordinal);
        var optional = new List<(Module Module, DirectiveBlock Safety)>();
        foreach (var m in _graph.Modules)
        {
            if (!m.Content.TryGetValue(_graph.DefaultLocale, out var content)) continue;
            foreach (var safety in Safety(content.Blocks))
                if (m.Optional) optional.Add((m, safety));
                else everyone.Add(Words(safety));
        }
        // A safety message that a module every patient opens says too is passed by everyone.
        foreach (var (m, safety) in optional.Where(o => !everyone.Contains(Words(o.Safety))))
            Report(DiagnosticDescriptors.SafetyNotPassed, safety.Location, m.Id);
        if (everyone.Count == 0 && _graph.Modules.Length > 0)
            _notes.Add("No module that every patient opens has a safety message: some patients go through the program without passing one.");
    }

    // ---- the time a week asks of a patient ----

    private ImmutableArray<WeekLoad> WeekLoads()
    {
        var loads = ImmutableArray.CreateBuilder<WeekLoad>();
        for (var week = 1; week <= _totalWeeks; week++)
        {
            var modules = _graph.Modules.Where(m => FirstWeek(m) == week).ToList();
            if (modules.Count == 0) continue;
            double Minutes(Module m) => m.Minutes ?? m.EstimatedMinutes;
            var list = modules.Where(m => !m.Optional).ToList();
            // A patient may choose as many of the week's optional modules as their phase allows: the longest ones.
            foreach (var group in modules.Where(m => m.Optional).GroupBy(m => m.Phase))
            {
                var max = _graph.FindPhase(group.Key)?.Choose?.Max ?? int.MaxValue;
                list.AddRange(group.OrderByDescending(Minutes).ThenBy(m => m.Id, StringComparer.Ordinal).Take(max));
            }
            loads.Add(new WeekLoad(week, Math.Round(list.Sum(Minutes), 1), [.. list.Select(m => m.Id)]));
        }
        var result = loads.ToImmutable();
        if (_graph.MaxMinutesPerWeek is { } limit)
            foreach (var w in result.Where(w => w.Minutes > limit))
            {
                var heaviest = w.Modules.Select(id => _graph.FindModule(id)!).OrderByDescending(m => m.Minutes ?? m.EstimatedMinutes).First();
                Report(DiagnosticDescriptors.WeekOverLimit, heaviest.MinutesLocation is { Path: not null, HasPosition: true } ? heaviest.MinutesLocation : SourceLocation.File(heaviest.SourcePath), w.Week,
                    w.Minutes.ToString("0.#", CultureInfo.InvariantCulture), limit, string.Join(", ", w.Modules));
            }
        return result;
    }
}
