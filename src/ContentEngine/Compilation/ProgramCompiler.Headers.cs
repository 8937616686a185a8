using System.Collections.Immutable;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>Binding program.yaml and each module's front matter.</summary>
public sealed partial class ProgramCompiler
{
    private ProgramHeader? BindProgram(YMapping yaml)
    {
        var probe = new BindContext(["en"], new DiagnosticBag());
        var r0 = new MappingReader(yaml, "program.yaml", probe, ProgramKeys);
        var locales = ImmutableArray.CreateBuilder<string>();
        var localesNode = r0.Node("locales");
        if (localesNode is YSequence seq)
        {
            foreach (var item in seq.Items)
            {
                if (item is YScalar s && LocalePattern().IsMatch(s.Value) && !locales.Contains(s.Value)) locales.Add(s.Value);
                else _diagnostics.Report(DiagnosticDescriptors.InvalidValue, item.Location, "locales",
                    item is YScalar d && locales.Contains(d.Value) ? $"lists '{d.Value}' twice" : $"must list language codes such as sv or en, not {item.Describe()}");
            }
        }
        else if (localesNode is not null)
            _diagnostics.Report(DiagnosticDescriptors.WrongType, localesNode.Location, "locales", "a list of language codes, such as [sv, en]", localesNode.Describe());
        else
            _diagnostics.Report(DiagnosticDescriptors.MissingKey, yaml.Location, "program.yaml", "locales", "the program's languages, the default first, such as [sv, en]");
        if (locales.Count == 0)
        {
            if (localesNode is YSequence { Items.Count: 0 })
                _diagnostics.Report(DiagnosticDescriptors.InvalidValue, localesNode.Location, "locales", "must list at least one language, the default first, such as [sv, en]");
            locales.Add("en");
        }
        _context = new BindContext(locales.ToImmutable(), _diagnostics);

        var r = new MappingReader(yaml, "program.yaml", _context, ProgramKeys);
        var id = r.Id("id", "the program's stable id, such as iact-chronic-pain");
        var version = r.String("version", "the published version, such as 1.0.0");
        if (version is not null && !SemVer().IsMatch(version))
        {
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.Node("version")!.Location, "version", $"must be a semantic version such as 1.0.0, not '{version}'");
            version = null;
        }
        var title = r.Text("title", "the program's name as patients see it");
        var summary = r.Text("summary");
        var guidance = r.Enum<Guidance>("guidance") ?? Guidance.Guided;
        var release = r.Enum<ReleaseMode>("release") ?? ReleaseMode.Weekly;
        var readingSpeed = r.Integer("reading_speed", null, 50, 1000) ?? 200;
        var theme = r.Id("theme");
        var maxMinutes = r.Integer("max_minutes_per_week", null, 1, 10080);
        var readability = BindReadability(r);
        var speech = BindSpeech(r);
        Approval? approval = null;
        if (r.Mapping("approval") is { } am)
        {
            var ar = new MappingReader(am, "approval", _context, "by", "on");
            approval = new Approval(ar.String("by"), ar.Date("on"));
        }

        var phases = ImmutableArray.CreateBuilder<Phase>();
        var phaseLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var chooseLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var week = 1;
        var faulty = new HashSet<string>(StringComparer.Ordinal);
        var phaseList = r.Sequence("phases", "the program's phases, each with id, title and weeks");
        if (phaseList is { Items.Count: 0 })
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, phaseList.Location, "phases", "must list at least one phase, each with id, title and weeks");
        foreach (var item in phaseList?.Items ?? [])
        {
            if (item is not YMapping pm)
            {
                _diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, "phases", "a list of phases (id, title, weeks)", item.Describe());
                continue;
            }
            var pr = new MappingReader(pm, "a phase", _context, "id", "title", "weeks", "choose", "pause_before");
            var pid = pr.Id("id", "a name for the phase, such as treatment");
            var ptitle = pr.Text("title", "the phase's name as patients see it");
            var weeks = pr.Integer("weeks", "how many weeks the phase lasts", 1, 520);
            var pause = pr.Integer("pause_before", null, 0, 520) ?? 0;
            ChooseRule? choose = null;
            if (pr.Mapping("choose") is { } cm)
            {
                var cr = new MappingReader(cm, "choose", _context, "min", "max");
                var min = cr.Integer("min", null, 0, 1000) ?? 0;
                var max = cr.Integer("max", null, 0, 1000);
                if (max == 0)
                    _diagnostics.Report(DiagnosticDescriptors.InvalidValue, cr.KeyLocation("max"), "max", "is 0, so no patient may choose any optional module of this phase; give the most a patient may choose, such as 3, or leave out 'choose' if every module is for everyone");
                else if (max is { } mx && mx < min)
                    _diagnostics.Report(DiagnosticDescriptors.InvalidValue, cr.KeyLocation("max"), "max", $"must be at least choose.min ({min})");
                choose = new ChooseRule(min, max);
                if (pid is not null)
                {
                    chooseLocations[pid] = cm["min"]?.Location ?? cm.Location;
                    chooseLocations[pid + "\0max"] = cm["max"]?.Location ?? cm.Location;
                }
            }
            if (pid is null || ptitle is null || weeks is null)
            {
                if (pid is not null) faulty.Add(pid);
                continue;
            }
            if (phaseLocations.TryGetValue(pid, out var first))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateId, pm["id"]?.Location ?? pm.Location, [first], "phase", pid, first);
                continue;
            }
            phaseLocations[pid] = pm["id"]?.Location ?? pm.Location;
            phases.Add(new Phase(pid, ptitle, weeks.Value, week + pause, pause, choose) 
            {
                ChooseLocation = chooseLocations.GetValueOrDefault(pid, SourceLocation.File("program.yaml")),
                ChooseMaxLocation = chooseLocations.GetValueOrDefault(pid + "\0max", SourceLocation.File("program.yaml")),
            });
            week += pause + weeks.Value;
        }
        if (id is null || version is null || title is null || phases.Count == 0) return null;
        return new ProgramHeader(id, version, title, summary, _context.Locales, guidance, release, readingSpeed, phases.ToImmutable(), chooseLocations, theme, maxMinutes) { FaultyPhases = faulty, Readability = readability, Approval = approval,
            Provider = BindProvider(r), About = r.Text("about"), Privacy = BindPrivacy(r), Speech = speech };
    }

    private static ModuleHeader? BindModule(Unit unit, YMapping yaml, ProgramHeader program, BindContext context)
    {
        var r = new MappingReader(yaml, "the module front matter", context, ModuleKeys);
        var fileId = FileId(unit.Original.Path);
        var idLocation = yaml["id"]?.Location ?? unit.Original.Document!.File.Location(0, 0, 3);
        var id = r.Id("id", fallback: MappingReader.IsId(fileId) ? fileId : null);
        if (id is null && !r.Has("id"))
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, idLocation, "id", $"is not given and the file name '{fileId}' is not an id; add id: with lowercase letters, digits and hyphens");
        var title = r.Text("title", "the module's title as patients see it");
        var summary = r.Text("summary");
        var phase = r.String("phase", "the phase the module belongs to (" + string.Join(", ", program.Phases.Select(p => p.Id)) + ")");
        if (r.Node("phase") is YScalar ps && r.IsTypographic(ps)) phase = null;
        var phaseLocation = r.Node("phase")?.Location ?? idLocation;
        var week = r.Integer("week", "the week of its phase in which it opens, from 1");
        var weekLocation = r.Node("week")?.Location ?? idLocation;
        var optional = r.Boolean("optional") ?? false;
        var minutes = r.Integer("minutes", null, 1, 600);
        var requires = r.IdList("requires");
        YScalar? offerWhen = null;
        if (r.Node("offer_when") is { } ow)
        {
            if (ow is YScalar s) offerWhen = s;
            else context.Diagnostics.Report(DiagnosticDescriptors.WrongType, ow.Location, "offer_when", "a condition in quotes", ow.Describe());
        }
        var offerReason = r.Text("offer_reason");
        var tags = r.IdList("tags").Select(t => t.Id).ToImmutableArray();
        var notesPages = r.Integer("notes_pages", null, 0, Module.MaxNotesPages) ?? 0;
        Review? review = null;
        SourceLocation? nextLocation = null;
        if (r.Mapping("review") is { } rm)
        {
            var rr = new MappingReader(rm, "review", context, "by", "on", "next");
            review = new Review(rr.String("by"), rr.Date("on"), rr.Date("next"));
            nextLocation = rm["next"]?.Location;
            if (review.On is { } on && review.Next is { } nx && nx <= on)
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, nextLocation!.Value, "review.next", "must come after review.on");
        }

        Phase? p = null;
        if (phase is not null)
        {
            p = program.Phases.FirstOrDefault(x => x.Id == phase);
            if (p is null && !program.FaultyPhases.Contains(phase))
                context.Diagnostics.Report(DiagnosticDescriptors.UnknownPhase, phaseLocation, phase, Suggestions.ForReference(phase, program.Phases.Select(x => x.Id), "phases"));
        }
        if (p is not null && week is { } w && (w < 1 || w > p.Weeks))
            context.Diagnostics.Report(DiagnosticDescriptors.WeekOutsidePhase, weekLocation, w, p.Id, p.Weeks,
                p.FirstWeek == 1 ? "" : $" (program weeks {p.FirstWeek} to {p.FirstWeek + p.Weeks - 1})");

        if (id is null || title is null || p is null || week is null || week < 1 || week > p.Weeks) return null;
        return new ModuleHeader(unit, id, title, summary, phase, phaseLocation, week, weekLocation, optional, minutes, requires, offerWhen, offerReason,
            tags, review, nextLocation, idLocation) { NotesPages = notesPages };
    }
}
