using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Runtime.Conditions;
using Microsoft.Playwright;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The exported Questionnaires in an independent renderer: LHC-Forms (npm <c>lforms</c>) in Chromium, on a page served on
/// 127.0.0.1. Every Questionnaire of the sample loads in both locales without an error, shows labels rather than ids and its
/// scales' ranges in words; answered forms give the scores and the enablement the C# runtime computes.
/// </summary>
[Collection("browser")]
public sealed class LhcFormsTests(BrowserFixture browser)
{
    private const string InstallHint =
        "install it with `./build.sh test` (or `npm install --prefix out/lforms --ignore-scripts lforms@40.1.3` in the repository), " +
        "or set CONTENTENGINE_LFORMS to the lforms package's folder";

    private static string LformsFolder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("CONTENTENGINE_LFORMS") is { Length: > 0 } p ? p
                : TestPaths.Repo("out", "lforms", "node_modules", "lforms");
            Assert.True(File.Exists(Path.Combine(folder, "dist", "lforms", "webcomponent", "main.js")), $"LHC-Forms was not found at '{folder}': {InstallHint}.");
            return folder;
        }
    }

    private static readonly Lazy<ProgramGraph> Sample = new(() => Compile(TestPaths.Repo("content", "iact-chronic-pain")));

    private static ProgramGraph Compile(string folder)
    {
        var result = ProgramCompiler.Compile(folder);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        return result.Graph!;
    }

    /// <summary>The page: LHC-Forms' files, the Questionnaires in fhir/, and a script that renders one in a chosen locale.</summary>
    private static void WriteSite(string folder, ProgramGraph graph)
    {
        var dist = Path.Combine(LformsFolder, "dist", "lforms");
        var files = Directory.EnumerateFiles(Path.Combine(dist, "webcomponent"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".map", StringComparison.Ordinal)).Select(f => Path.GetRelativePath(dist, f).Replace('\\', '/'))
            .Append("fhir/R4/lformsFHIR.min.js");
        foreach (var file in files)
        {
            var target = Path.Combine(folder, "lforms", file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(dist, file), target, overwrite: true);
        }
        foreach (var (path, content) in FhirExport.Export(graph))
        {
            var target = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, content);
        }
        File.WriteAllText(Path.Combine(folder, "index.html"), Page);
    }

    /// <summary>The page of <see cref="WriteSite"/> for a program, served on 127.0.0.1 until disposed.</summary>
    private sealed class Served : IDisposable
    {
        private readonly TestPaths.TempFolder _folder = new();

        public Served(ProgramGraph graph)
        {
            WriteSite(_folder.Path, graph);
            Site = StaticSite.Start(_folder.Path);
        }

        public StaticSite Site { get; }

        public void Dispose()
        {
            Site.Dispose();
            _folder.Dispose();
        }
    }

    // A renderer that shows another locale takes each element's `translation` for it: localize() does that, as a platform would.
    private const string Page = """
        <!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
        <link rel="stylesheet" href="lforms/webcomponent/styles.css"></head>
        <body><div id="form"></div>
        <script src="lforms/webcomponent/assets/lib/zone.min.js"></script>
        <script src="lforms/webcomponent/runtime.js"></script>
        <script src="lforms/webcomponent/polyfills.js"></script>
        <script src="lforms/webcomponent/main.js"></script>
        <script src="lforms/fhir/R4/lformsFHIR.min.js"></script>
        <script>
        function localize(node, lang) {
          if (Array.isArray(node)) { node.forEach(n => localize(n, lang)); return; }
          if (!node || typeof node !== 'object') return;
          for (const key of Object.keys(node)) {
            const value = node[key];
            if (key.startsWith('_') && value && Array.isArray(value.extension)) {
              const t = value.extension.find(e => e.url === 'http://hl7.org/fhir/StructureDefinition/translation'
                && e.extension.some(x => x.url === 'lang' && x.valueCode === lang));
              if (t) node[key.slice(1)] = t.extension.find(x => x.url === 'content').valueString;
            }
            localize(value, lang);
          }
        }
        window.render = async (name, lang, response) => {
          const q = await (await fetch('fhir/Questionnaire-' + name + '.json')).json();
          if (lang && lang !== q.language) { localize(q, lang); q.language = lang; }
          const options = { fhirVersion: 'R4' };
          if (response) options.questionnaireResponse = response;
          await LForms.Util.addFormToPage(q, 'form', options);
          await new Promise(r => setTimeout(r, 300));
          return LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'));
        };
        </script></body></html>
        """;

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(StaticSite site)
    {
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") lock (errors) errors.Add($"console.{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (errors) errors.Add("exception: " + e); };
        await page.GotoAsync(site.Url("index.html"));
        await page.WaitForFunctionAsync("() => window.LForms && LForms.Util && window.render");
        return (page, errors);
    }

    private static async Task<JsonElement> RenderAsync(IPage page, string worksheet, string locale, object? response = null) =>
        await page.EvaluateAsync<JsonElement>("([n, l, r]) => render(n, l, r)", new object?[] { worksheet, locale, response });

    [Fact]
    public async Task EveryQuestionnaireRendersInBothLocalesWithLabelsAndScaleRanges()
    {
        var graph = Sample.Value;
        using var served = new Served(graph);
        var (page, errors) = await OpenAsync(served.Site);
        var failures = new List<string>();
        foreach (var locale in graph.Locales)
        {
            foreach (var w in graph.Worksheets)
            {
                errors.Clear();
                await RenderAsync(page, w.Id, locale);
                var where = $"{w.Id} ({locale})";
                failures.AddRange(errors.Select(e => $"{where}: {e}"));
                var labels = await page.EvalOnSelectorAllAsync<string[]>("#form [id^='label-']", "els => els.map(e => e.innerText.trim())");
                var ids = w.Fields.SelectMany(f => f.Columns.Select(c => c.Id).Prepend(f.Id)).ToHashSet(StringComparer.Ordinal);
                failures.AddRange(labels.Where(l => ids.Contains(l.TrimEnd('*', ' '))).Select(l => $"{where}: an id shown as a label: '{l}'"));
                var text = await page.InnerTextAsync("#form");
                foreach (var f in w.Fields)
                    if (!text.Contains(f.Label.Get(locale, graph.DefaultLocale).Split('\n')[0].Trim(), StringComparison.Ordinal))
                        failures.Add($"{where}: the label of {f.Id} is not shown");
                if (w.Scoring is { } scoring)
                    foreach (var score in scoring.Scores)
                        if (!text.Contains($"“{score.Id}”", StringComparison.Ordinal) && !text.Contains($"”{score.Id}”", StringComparison.Ordinal))
                            failures.Add($"{where}: score {score.Id} has no text naming it");
                // LHC-Forms has no slider: a scale is a number box whose hint gives the range and the labels at its ends.
                var hints = await page.EvalOnSelectorAllAsync<string[]>("#form input", "els => els.map(e => e.placeholder)");
                foreach (var f in w.Fields.Concat(w.Fields.SelectMany(f => f.Columns)).Where(f => f.Type == FieldType.Scale))
                {
                    var lower = f.Labels.FirstOrDefault(l => l.Value == (f.Min ?? 0));
                    var expected = lower is null ? (f.Min ?? 0).ToString("R", System.Globalization.CultureInfo.InvariantCulture) : $"{(f.Min ?? 0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)} = {lower.Text.Get(locale, graph.DefaultLocale)}";
                    if (!hints.Any(h => h.StartsWith(expected, StringComparison.Ordinal)))
                        failures.Add($"{where}: scale {f.Id} shows no range hint '{expected} …' (hints: {string.Join(" | ", hints)})");
                }
                if (w.Kind == WorksheetKind.Diary && !text.Contains(locale == "sv" ? "Anteckning" : "Entry", StringComparison.Ordinal))
                    failures.Add($"{where}: the diary's entry group has no text");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AnsweredQuestionnaireGivesTheRuntimesScores()
    {
        var graph = Sample.Value;
        using var served = new Served(graph);
        var (page, errors) = await OpenAsync(served.Site);
        var w = graph.FindWorksheet("flexibility")!;
        int[] answers = [4, 5, 3, 4, 2, 5, 4, 3];
        var response = new
        {
            resourceType = "QuestionnaireResponse",
            status = "in-progress",
            item = answers.Select((a, i) => new { linkId = $"q{i + 1}", answer = new[] { new { valueInteger = a } } }).ToArray(),
        };
        var result = await RenderAsync(page, w.Id, graph.DefaultLocale, response);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var state = PatientState.FromJson(JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            answers = new Dictionary<string, object> { [w.Id] = answers.Select((a, i) => (Key: $"q{i + 1}", a)).ToDictionary(x => x.Key, x => x.a) },
        })).RootElement);
        foreach (var score in w.Scoring!.Scores)
        {
            var expected = Evaluator.Evaluate(new ScoreRef(w.Id, score.Id, score.Method, score.Items, 0, 0), state);
            Assert.True(expected.IsNumber, $"the runtime gives no {score.Id}");
            var item = result.GetProperty("item").EnumerateArray().SingleOrDefault(i => i.GetProperty("linkId").GetString() == score.Id);
            Assert.True(item.ValueKind == JsonValueKind.Object, $"LHC-Forms computed no {score.Id}: {result}");
            Assert.Equal(expected.AsNumber, item.GetProperty("answer")[0].GetProperty("valueDecimal").GetDouble());
        }
    }

    private const string ConditionalWorksheet = """
        ---
        title: W
        fields:
          - id: pain
            type: scale
            label: Smärta
            min: 0
            max: 10
          - id: mood
            type: choice
            label: Humör
            options: [{value: low, label: Lågt}, {value: fine, label: Bra}]
          - id: flag
            type: boolean
            label: Flagga
        ---
        Always shown.

        ::: if {when="w.pain >= 7"}
        High pain.
        :::

        ::: if {when="w.pain >= 7 and (w.flag or w.mood == 'low')"}
        Mixed.
        :::

        ::: if {when="not (w.pain >= 3)"}
        Not three.
        :::

        ::: if {when="completed(m) or w.mood == 'fine'"}
        Completed or fine.
        :::

        ::: if {when="not chosen(m)"}
        Not chosen.
        :::

        ::: if {when="answered(other)"}
        Other answered.
        :::

        ::: if {when="week >= 1 and week < 3"}
        In the first weeks.
        :::
        """;

    [Fact]
    public async Task EnablementOfAnAnsweredFormIsTheRuntimes()
    {
        using var program = new TestPaths.TempFolder();
        program.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [sv]\nphases:\n  - id: main\n    title: Huvud\n    weeks: 2\n");
        program.File("worksheets/w.md", ConditionalWorksheet);
        program.File("worksheets/other.md", "---\ntitle: O\nfields:\n  - id: x\n    type: text\n    label: X\n---\n");
        program.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\n---\n::: worksheet {ref=w}\n:::\n\n::: worksheet {ref=other}\n:::\n");
        var graph = Compile(program.Path);
        var w = graph.FindWorksheet("w")!;
        var blocks = w.Content[graph.DefaultLocale].Blocks;
        var conditional = blocks.Directives().Where(d => d.Name == "if").Select(d => (Text: d.Children.OfType<MarkdownBlock>().Single().Markdown.Trim(), d.Condition!)).ToList();

        using var served = new Served(graph);
        var (page, errors) = await OpenAsync(served.Site);

        object?[][] patients =
        [
            [null, null, null], [8, "low", null], [8, "fine", false], [8, null, true], [2, "fine", null], [5, "low", true], [7, null, false],
        ];
        var mismatches = new List<string>();
        foreach (var p in patients)
        {
            var items = new List<object>();
            var fields = new Dictionary<string, object>();
            if (p[0] is int pain) { items.Add(new { linkId = "pain", answer = new[] { new { valueInteger = pain } } }); fields["pain"] = pain; }
            if (p[1] is string mood)
            {
                items.Add(new { linkId = "mood", answer = new[] { new { valueCoding = new { system = FhirExport.QuestionnaireUrl(graph, "w") + ":mood", code = mood } } } });
                fields["mood"] = mood;
            }
            if (p[2] is bool flag) { items.Add(new { linkId = "flag", answer = new[] { new { valueBoolean = flag } } }); fields["flag"] = flag; }
            errors.Clear();
            await RenderAsync(page, "w", graph.DefaultLocale, new { resourceType = "QuestionnaireResponse", status = "in-progress", item = items });
            mismatches.AddRange(errors);
            var text = await page.InnerTextAsync("#form");
            var state = PatientState.FromJson(JsonDocument.Parse(JsonSerializer.Serialize(new { week = 1, answers = new Dictionary<string, object> { ["w"] = fields } })).RootElement);
            foreach (var (shown, condition) in conditional)
            {
                var expected = Evaluator.IsTrue(condition.Tree, state);
                if (text.Contains(shown, StringComparison.Ordinal) != expected)
                    mismatches.Add($"{JsonSerializer.Serialize(p)}: '{condition.Source}' is {(expected ? "true" : "false")} in the runtime, but LHC-Forms {(expected ? "hides" : "shows")} '{shown}'");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
