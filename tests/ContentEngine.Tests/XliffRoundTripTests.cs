using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using ContentEngine.Cli;
using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Tests;

/// <summary>
/// The translator's round trip through XLIFF 2.1 (<c>translate export</c> and <c>translate import</c>) on a
/// copy of the sample: unchanged, it changes no byte; a changed Swedish paragraph is the one stale unit,
/// translated by a script as a CAT tool would and imported, after which <c>check</c> is clean; bad files
/// are refused whole. The exported file is read by an independent reader (npm's <c>xliff</c>, with Node).
/// </summary>
public sealed class XliffRoundTripTests
{
    private static readonly XNamespace X = Xliff.Namespace;

    private static string Sample => TestPaths.Repo("content", "iact-chronic-pain");

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string CopySample(TestPaths.TempFolder temp)
    {
        var target = Path.Combine(temp.Path, "iact-chronic-pain");
        foreach (var file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    /// <summary>Every file of the folder with the SHA-256 of its bytes.</summary>
    private static SortedDictionary<string, string> Hashes(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);

    private static void SameFiles(SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        var changed = before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).ToList();
        Assert.True(changed.Count == 0, "files changed: " + string.Join(", ", changed));
    }

    private static IReadOnlyList<TranslationUnit> Units(string program)
    {
        var bag = new DiagnosticBag();
        var units = TranslationCatalog.Load(program, "en", bag);
        Assert.True(units is not null && !bag.HasErrors, DiagnosticFormatter.Plain(bag.Items));
        return units!;
    }

    [Fact]
    public void EveryUnitOfTheSampleComesBackExactlyThroughXliff()
    {
        var bag = new DiagnosticBag();
        var sources = TranslationSources.Read(Sample, bag)!;
        var units = sources.Units("en", TranslationRecord.Read(Sample, sources.DefaultLocale, "en", bag));
        Assert.NotEmpty(units);
        foreach (var u in units.Where(XliffExchange.IsMarkdown))
        {
            Assert.Equal(u.Source, InlineMarkup.ToMarkdown(InlineMarkup.Parse(u.Source)));
            if (u.Target is { } t) Assert.Equal(t, InlineMarkup.ToMarkdown(InlineMarkup.Parse(t)));
        }
        var read = Xliff.Read(Xliff.Write(XliffExchange.Export(sources, units, "en", ExportSelection.All)));
        Assert.Equal(("iact-chronic-pain", "sv", "en"), (read.ProgramId, read.SourceLocale, read.TargetLocale));
        Assert.Equal(units.Count, read.Units.Count);
        foreach (var (u, x) in units.Zip(read.Units))
        {
            Assert.Equal(Xliff.UnitId(u.Id), x.XliffId);
            Assert.Equal(u.Source, x.SourceMarkdown);
            Assert.Equal(u.Target, x.TargetMarkdown);
        }
        // The sample's formatting is there as tags: bold words, links.
        Assert.Contains(read.Units, x => x.Source.Any(p => p is InlinePair { SubType: "xlf:b" }));
        Assert.Contains(read.Units, x => x.Source.Any(p => p is InlinePair { Type: "link" }));
    }

    [Fact]
    public async Task ExportedAndImportedUnchangedTheProgramKeepsEveryByte()
    {
        using var temp = new TestPaths.TempFolder();
        var program = CopySample(temp);
        var before = Hashes(program);
        var xlf = Path.Combine(temp.Path, "en.xlf");
        var (code, _, err) = await Run("translate", "export", program, "--locale", "en", "-o", xlf);
        Assert.True(code == 0, err);
        var units = Units(program);
        Assert.Contains($"{units.Count} units", err);

        (code, var output, err) = await Run("translate", "import", program, xlf);
        Assert.True(code == 0, output + err);
        SameFiles(before, Hashes(program));

        // An independent reader takes the file: the same units, the same targets.
        var parsed = ReadWithNode(xlf);
        Assert.Equal("sv", parsed.GetProperty("sourceLanguage").GetString());
        Assert.Equal("en", parsed.GetProperty("targetLanguage").GetString());
        var read = parsed.GetProperty("units");
        Assert.Equal(units.Count, read.EnumerateObject().Count());
        var title = units.Single(u => u.Id == "program:iact-chronic-pain.title");
        Assert.Equal(title.Target, read.GetProperty(Xliff.UnitId(title.Id)).GetProperty("target").GetString());
        Assert.Equal(title.Source, read.GetProperty(Xliff.UnitId(title.Id)).GetProperty("source").GetString());
        // A unit with a bold word: the reader sees the <pc> as an inline element, with the words inside it.
        var bold = units.First(u => XliffExchange.IsMarkdown(u) && u.Target is not null && u.Target.Contains("**", StringComparison.Ordinal));
        var boldTarget = read.GetProperty(Xliff.UnitId(bold.Id)).GetProperty("target");
        Assert.Equal(JsonValueKind.Array, boldTarget.ValueKind);
        Assert.Contains(boldTarget.EnumerateArray(), e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("Span", out _));
    }

    [Fact]
    public async Task AChangedParagraphIsTheOneStaleUnitAndItsTranslationGoesBackInPlace()
    {
        using var temp = new TestPaths.TempFolder();
        var program = CopySample(temp);
        var swedish = Path.Combine(program, "modules", "values.md");
        const string Old = "En värdering är en riktning";
        Assert.Contains(Old, File.ReadAllText(swedish));
        File.WriteAllText(swedish, File.ReadAllText(swedish).Replace(Old, "En värdering är en **tydlig** riktning", StringComparison.Ordinal));
        var stale = Units(program).Where(u => u.State == UnitState.Stale).ToList();
        var unit = Assert.Single(stale);
        var (code, output, err) = await Run("check", program);
        Assert.True(code == 0, output + err);
        Assert.Single(output.Split('\n'), l => l.Contains("warning CE0505", StringComparison.Ordinal) && l.Contains("values.en.md", StringComparison.Ordinal));

        var xlf = Path.Combine(temp.Path, "stale.xlf");
        (code, _, err) = await Run("translate", "export", program, "--locale", "en", "-o", xlf, "--only", "stale");
        Assert.True(code == 0, err);
        var doc = XDocument.Load(xlf, LoadOptions.PreserveWhitespace);
        var xunit = Assert.Single(doc.Descendants(X + "unit"));
        Assert.Equal(Xliff.UnitId(unit.Id), (string?)xunit.Attribute("id"));
        var segment = xunit.Element(X + "segment")!;
        Assert.Equal(("initial", XliffExchange.StaleSubState), ((string?)segment.Attribute("state"), (string?)segment.Attribute("subState")));
        Assert.Contains(xunit.Descendants(X + "note"), n => (string?)n.Attribute("category") == "needs-review" && n.Value.Contains(Old, StringComparison.Ordinal));

        // The translator's tool: the new target, with the source's bold tag copied around the right word.
        var pc = segment.Element(X + "source")!.Element(X + "pc")!;
        var target = segment.Element(X + "target")!;
        target.ReplaceNodes("A value is a ", new XElement(pc) { Value = "clear" }, " direction, like the points of a compass.");
        segment.SetAttributeValue("state", "translated");
        segment.SetAttributeValue("subState", null);
        doc.Save(xlf);

        var english = Path.Combine(program, "modules", "values.en.md");
        var oldEnglish = File.ReadAllText(english);
        var others = Hashes(program);
        (code, output, err) = await Run("translate", "import", program, xlf);
        Assert.True(code == 0, output + err);
        var newEnglish = File.ReadAllText(english);
        var range = unit.TargetRange!;
        Assert.Equal(oldEnglish[..range.Start] + "A value is a **clear** direction, like the points of a compass." + oldEnglish[range.End..], newEnglish);
        var after = Hashes(program);
        var changed = others.Keys.Where(k => others[k] != after.GetValueOrDefault(k)).ToList();
        Assert.Equal(["modules/values.en.md", "translations/en.json"], changed.Order(StringComparer.Ordinal));

        (code, output, err) = await Run("check", program, "--warnaserror");
        Assert.True(code == 0, output + err);
        Assert.Equal(string.Empty, output);
        Assert.DoesNotContain(Units(program), u => u.State is UnitState.Stale);
        Assert.Equal(UnitState.Translated, Units(program).Single(u => u.Id == unit.Id).State);
    }

    [Fact]
    public async Task OnlyMissingExportsTheTextsWithoutATranslation()
    {
        using var temp = new TestPaths.TempFolder();
        var program = CopySample(temp);
        var before = Units(program);
        Assert.DoesNotContain(before, u => u.State == UnitState.Missing);
        // A front-matter translation removed: a module's summary in English, written as "en: …" in its {sv, en} map.
        var missing = before.First(u => u.Kind == "summary" && u.TargetRange is { Syntax: TextSyntax.YamlScalar } r && r.Path == u.SourceLocation.Path);
        var file = Path.Combine(program, missing.TargetRange!.Path);
        var text = File.ReadAllText(file);
        var lineStart = text.LastIndexOf('\n', missing.TargetRange.Start) + 1;
        var lineEnd = text.IndexOf('\n', missing.TargetRange.End) + 1;
        Assert.Matches(@"^\s+en: ", text[lineStart..lineEnd]);
        File.WriteAllText(file, text[..lineStart] + text[lineEnd..]);
        Assert.Equal([missing.Id], Units(program).Where(u => u.State == UnitState.Missing).Select(u => u.Id));

        var xlf = Path.Combine(temp.Path, "missing.xlf");
        var (code, _, err) = await Run("translate", "export", program, "--locale", "en", "-o", xlf, "--only", "missing");
        Assert.True(code == 0, err);
        var xunit = Assert.Single(XDocument.Load(xlf).Descendants(X + "unit"));
        Assert.Equal(Xliff.UnitId(missing.Id), (string?)xunit.Attribute("id"));
        Assert.Equal("initial", (string?)xunit.Element(X + "segment")!.Attribute("state"));
        Assert.Null(xunit.Element(X + "segment")!.Element(X + "target"));

        // Translated again (the same words, as a translator might) and imported: the entry is back in its map, as it was.
        var segment = xunit.Element(X + "segment")!;
        segment.Add(new XElement(X + "target", missing.Target));
        segment.SetAttributeValue("state", "reviewed");
        var doc = xunit.Document!;
        doc.Save(xlf);
        (code, var output, err) = await Run("translate", "import", program, xlf);
        Assert.True(code == 0, output + err);
        Assert.Equal(text, File.ReadAllText(file));
        Assert.Equal(UnitState.Reviewed, Units(program).Single(u => u.Id == missing.Id).State);
    }

    [Fact]
    public async Task AMissingTextOfAFlowMapGoesBeforeItsBrace()
    {
        using var temp = new TestPaths.TempFolder();
        var program = CopySample(temp);
        var file = Path.Combine(program, "worksheets", "pain-rating.md");
        var text = File.ReadAllText(file);
        const string Entry = "0: {sv: Ingen smärta, en: No pain}";
        Assert.Contains(Entry, text);
        File.WriteAllText(file, text.Replace(Entry, "0: {sv: Ingen smärta}", StringComparison.Ordinal));
        var missing = Assert.Single(Units(program), u => u.State == UnitState.Missing);

        var xlf = Path.Combine(temp.Path, "missing.xlf");
        var (code, _, err) = await Run("translate", "export", program, "--locale", "en", "-o", xlf, "--only", "missing");
        Assert.True(code == 0, err);
        var doc = XDocument.Load(xlf);
        var segment = Assert.Single(doc.Descendants(X + "segment"));
        segment.Add(new XElement(X + "target", "No pain: none at all"));
        segment.SetAttributeValue("state", "translated");
        doc.Save(xlf);
        (code, var output, err) = await Run("translate", "import", program, xlf);
        Assert.True(code == 0, output + err);
        Assert.Equal(text.Replace(Entry, "0: {sv: Ingen smärta, en: \"No pain: none at all\"}", StringComparison.Ordinal), File.ReadAllText(file));
        Assert.Equal(UnitState.Translated, Units(program).Single(u => u.Id == missing.Id).State);
    }

    public static TheoryData<string, string?> BadFiles() => new()
    {
        { "truncated", null },
        { "another-program", null },
        { "broken-tag", "module:acceptance.body.5" },
        { "renamed-tag", "module:acceptance.body.5" },
        { "extra-tag", "module:acceptance.body.5" },
        { "unknown-id", "module:acceptance.body.99" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ABadFileIsRefusedAndNothingIsWritten(string kind, string? unitNamed)
    {
        using var temp = new TestPaths.TempFolder();
        var program = CopySample(temp);
        var xlf = Path.Combine(temp.Path, "en.xlf");
        var (code, _, err) = await Run("translate", "export", program, "--locale", "en", "-o", xlf);
        Assert.True(code == 0, err);
        // A translated unit besides, so that a file would be written if the bad one were taken.
        var doc = XDocument.Load(xlf, LoadOptions.PreserveWhitespace);
        var title = doc.Descendants(X + "unit").First(u => (string?)u.Attribute("id") == "program:iact-chronic-pain.title");
        title.Descendants(X + "target").Single().Value = "Living with pain, again";
        var bold = doc.Descendants(X + "unit").Single(u => (string?)u.Attribute("id") == "module:acceptance.body.5");
        var boldTarget = bold.Descendants(X + "target").Single();
        switch (kind)
        {
            case "another-program":
                foreach (var f in doc.Descendants(X + "file"))
                    f.SetAttributeValue("original", "another-program/" + ((string)f.Attribute("original")!)[("iact-chronic-pain/".Length)..]);
                break;
            case "broken-tag":
                var pc = boldTarget.Element(X + "pc")!;
                pc.ReplaceWith(pc.Value);
                break;
            case "renamed-tag":
                boldTarget.Element(X + "pc")!.SetAttributeValue("id", "7");
                break;
            case "extra-tag":
                boldTarget.AddFirst(new XElement(X + "ph", new XAttribute("id", "2"), new XAttribute("dataRef", "d1")));
                break;
            case "unknown-id":
                bold.SetAttributeValue("id", "module:acceptance.body.99");
                bold.SetAttributeValue("name", "module:acceptance.body.99");
                break;
        }
        doc.Save(xlf);
        if (kind == "truncated")
        {
            var text = File.ReadAllText(xlf);
            File.WriteAllText(xlf, text[..(text.Length / 2)]);
        }

        var before = Hashes(program);
        (code, var output, err) = await Run("translate", "import", program, xlf);
        Assert.Equal(1, code);
        Assert.Contains(": error: ", output);
        Assert.Contains("nothing was written", err);
        if (unitNamed is not null) Assert.Contains($"the unit '{unitNamed}'", output);
        if (kind == "another-program") Assert.Contains("'another-program'", output);
        if (kind == "truncated") Assert.Matches(@"en\.xlf\(\d+,\d+\): error: the file is not complete", output);
        SameFiles(before, Hashes(program));
        Assert.DoesNotContain(Directory.EnumerateFiles(program, "*", SearchOption.AllDirectories), f => f.Contains(".import-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASourceRewrappedByATranslationToolIsStillTheSource()
    {
        using var temp = new TestPaths.TempFolder();
        var program = CopySample(temp);
        var xlf = Path.Combine(temp.Path, "en.xlf");
        var (code, _, err) = await Run("translate", "export", program, "--locale", "en", "-o", xlf);
        Assert.True(code == 0, err);
        var doc = XDocument.Load(xlf, LoadOptions.PreserveWhitespace);
        var unit = doc.Descendants(X + "unit").Single(u => (string?)u.Attribute("id") == "module:acceptance.body.5");
        foreach (var t in unit.Element(X + "segment")!.Element(X + "source")!.DescendantNodes().OfType<XText>()) t.Value = t.Value.Replace("\n", " ", StringComparison.Ordinal);
        doc.Save(xlf);
        var before = Hashes(program);
        (code, var output, err) = await Run("translate", "import", program, xlf);
        Assert.True(code == 0, output + err);
        SameFiles(before, Hashes(program));
    }

    [Fact]
    public void ATagMovedOutOfTheTagThatHoldsItIsRefused()
    {
        const string Xlf = """
            <?xml version="1.0" encoding="utf-8"?>
            <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="sv" trgLang="en">
              <file id="f" original="p/modules/a.md">
                <unit id="module:a.body.0">
                  <originalData><data id="d1">**</data><data id="d2">[</data><data id="d3">](module:b)</data></originalData>
                  <segment state="translated">
                    <source>Läs <pc id="1" dataRefStart="d2" dataRefEnd="d3">den <pc id="2" dataRefStart="d1" dataRefEnd="d1">nya</pc> modulen</pc></source>
                    <target>Read <pc id="2" dataRefStart="d1" dataRefEnd="d1">new</pc> <pc id="1" dataRefStart="d2" dataRefEnd="d3">the module</pc></target>
                  </segment>
                </unit>
              </file>
            </xliff>
            """;
        var e = Assert.Throws<XliffException>(() => Xliff.Read(Xlf));
        Assert.Equal("module:a.body.0", e.Unit);
        Assert.Contains("tag 2 outside any tag in its target, but inside tag 1 in its source", e.Message);
        Assert.Equal(8, e.Line);

        // Moved inside, in another order of words, it is taken, and gives the Markdown back.
        var good = Xliff.Read(Xlf.Replace("""<target>Read <pc id="2" dataRefStart="d1" dataRefEnd="d1">new</pc> <pc id="1" dataRefStart="d2" dataRefEnd="d3">the module</pc></target>""",
            """<target>Read <pc id="1" dataRefStart="d2" dataRefEnd="d3">the <pc id="2" dataRefStart="d1" dataRefEnd="d1">new</pc> module</pc></target>""", StringComparison.Ordinal));
        Assert.Equal("Read [the **new** module](module:b)", good.Units[0].TargetMarkdown);
        Assert.Equal("Läs [den **nya** modulen](module:b)", good.Units[0].SourceMarkdown);
    }

    // ---- the independent reader ----

    /// <summary>Where <c>./build.sh test</c> installs npm's xliff package.</summary>
    private static string InstalledReader => TestPaths.Repo("out", "xliff", "node_modules", "xliff");

    private const string Install =
        "install it with `./build.sh test` (or `npm install --prefix out/xliff --ignore-scripts xliff@6.4.0` in the repository), or set CONTENTENGINE_XLIFF_READER to the xliff package's folder";

    /// <summary>Parses the file with npm's xliff (xliff2js) under Node: languages and each unit's source and target, by unit id.</summary>
    private static JsonElement ReadWithNode(string xlf)
    {
        var package = Environment.GetEnvironmentVariable("CONTENTENGINE_XLIFF_READER") is { Length: > 0 } p ? p : InstalledReader;
        var module = Path.Combine(package, "cjs", "xliff2js.js");
        Assert.True(File.Exists(module), $"The XLIFF reader is missing ({module}): {Install}.");
        var script = Path.Combine(Path.GetDirectoryName(xlf)!, "read-xliff.cjs");
        File.WriteAllText(script, """
            const fs = require('fs');
            const xliff2js = require(process.argv[2]);
            xliff2js(fs.readFileSync(process.argv[3], 'utf8'), (err, res) => {
              if (err) { console.error(err.message || String(err)); process.exit(1); }
              const units = {};
              for (const file of Object.values(res.resources))
                for (const [id, u] of Object.entries(file)) units[id] = { source: u.source, target: u.target };
              process.stdout.write(JSON.stringify({ sourceLanguage: res.sourceLanguage, targetLanguage: res.targetLanguage, units }));
            });
            """);
        return JsonDocument.Parse(NodeScript.Run("the XLIFF reader", 2, script, module, xlf)).RootElement.Clone();
    }
}
