using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Tests;

/// <summary>The translatable units of a program: ids that survive edits, exact ranges, pairing, the record.</summary>
public sealed class TranslationUnitTests
{
    private static string Sample => TestPaths.Repo("content", "iact-chronic-pain");

    private static IReadOnlyList<TranslationUnit> Units(string program, string locale = "en")
    {
        var bag = new DiagnosticBag();
        var units = TranslationCatalog.Load(program, locale, bag);
        Assert.Empty(bag.Items);
        return units!;
    }

    /// <summary>A copy of the sample in a temporary folder.</summary>
    internal static TestPaths.TempFolder CopyOfSample()
    {
        var temp = new TestPaths.TempFolder();
        foreach (var file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(temp.Path, Path.GetRelativePath(Sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return temp;
    }

    [Fact]
    public void EveryTargetRangeCutFromItsFileIsTheTargetText()
    {
        var units = Units(Sample);
        Assert.True(units.Count > 300, $"only {units.Count} units");
        var files = new Dictionary<string, string>();
        foreach (var unit in units.Where(u => u.Target is not null))
        {
            var range = unit.TargetRange!;
            if (!files.TryGetValue(range.Path, out var text))
                files[range.Path] = text = File.ReadAllText(Path.Combine(Sample, range.Path));
            var cut = text.Substring(range.Start, range.Length);
            if (range.Syntax == TextSyntax.Markdown) Assert.Equal(unit.Target, cut);
            Assert.Equal(unit.Target, TranslationText.Decode(range.Syntax, cut));
        }
        // Markdown targets are in the translation files; the texts of locale maps in the originals.
        Assert.Contains(units, u => u.TargetRange!.Path == "modules/values.en.md" && u.Kind == "paragraph");
        Assert.Contains(units, u => u.TargetRange!.Path == "worksheets/pain-rating.md" && u.Id == "worksheet:pain-rating.fields.intensity.label");
    }

    [Fact]
    public void TheSampleIsCompletelyTranslatedAndPairsBlockForBlock()
    {
        var units = Units(Sample);
        Assert.DoesNotContain(units, u => u.State == UnitState.Missing);
        Assert.DoesNotContain(units, u => u.Kind == "passage");
        Assert.Equal(units.Count, units.Select(u => u.Id).Distinct().Count());
        Assert.All(units, u => Assert.Matches(@"^(module|worksheet|program):[A-Za-z0-9_.:-]+$", u.Id));
    }

    [Fact]
    public void UnitsHaveKindsAndContext()
    {
        var units = Units(Sample).ToDictionary(u => u.Id);
        var title = units["module:values.body.4.title"];
        Assert.Equal(("attribute", "Åttioårsdagen", "Your eightieth birthday"), (title.Kind, title.Source, title.Target));
        var inIf = units["module:values.body.9.0"];
        Assert.Equal("flexibility.avoidance >= 16", inIf.Condition);
        Assert.Contains("shown when flexibility.avoidance >= 16", inIf.Context);
        Assert.Equal("heading", units["module:values.body.0"].Kind);
        Assert.Equal("Values as a compass", units["module:values.body.0"].Target);
        Assert.Equal("alt", units["module:values.body.6"].Kind);
        Assert.StartsWith("A target with four rings", units["module:values.body.6"].Target);
        Assert.Equal("Rate your pain", units["worksheet:pain-rating.title"].Target);
        Assert.Equal(TextSyntax.YamlScalar, units["worksheet:pain-rating.title"].TargetRange!.Syntax);
        Assert.Equal("worksheets/pain-rating.en.md", units["worksheet:pain-rating.title"].TargetRange!.Path);
        Assert.Equal("Worst pain imaginable", units["worksheet:pain-rating.fields.intensity.labels.10"].Target);
        Assert.Equal("Low", units["worksheet:flexibility.scoring.bands.acceptance.0.label"].Target);
        Assert.Equal("band", units["worksheet:flexibility.scoring.bands.acceptance.0.label"].Kind);
        Assert.Equal("Living with pain", units["program:iact-chronic-pain.title"].Target);
        Assert.Equal("Aftercare", units["program:iact-chronic-pain.phases.aftercare.title"].Target);
        Assert.Contains(units.Values, u => u.Id.StartsWith("program:iact-chronic-pain.theme.cover_5F_alt", StringComparison.Ordinal));
        Assert.Contains(units.Values, u => u.Kind == "table-cell" && u.Target == "Carry on at the same level");
        Assert.Contains(units.Values, u => u.Id.Contains(".footnote.who.", StringComparison.Ordinal));
        Assert.Contains(units.Values, u => u.Kind == "list-item");
        Assert.Contains(units.Values, u => u.IsSafety && u.Context.Contains("a safety message", StringComparison.Ordinal));
        Assert.Contains(units.Values, u => u.Kind == "offer-reason" && u.Condition is not null);
    }

    [Fact]
    public void IdsDoNotChangeWhenTextElsewhereChanges()
    {
        var before = Units(Sample).Select(u => (u.Id, u.Kind)).ToList();
        using var copy = CopyOfSample();
        var sv = Path.Combine(copy.Path, "modules", "values.md");
        File.WriteAllText(sv, File.ReadAllText(sv).Replace("Måltavlan har fyra områden.", "Måltavlan har fyra områden, ett för varje del av livet.\nDen är ett sätt att se var du står.", StringComparison.Ordinal));
        var en = Path.Combine(copy.Path, "modules", "values.en.md");
        File.WriteAllText(en, File.ReadAllText(en).Replace("# Values as a compass", "# Values: a compass for your life", StringComparison.Ordinal));
        var pain = Path.Combine(copy.Path, "worksheets", "pain-rating.md");
        File.WriteAllText(pain, File.ReadAllText(pain).Replace("Ingen smärta", "Helt utan smärta", StringComparison.Ordinal));
        Assert.Equal(before, Units(copy.Path).Select(u => (u.Id, u.Kind)).ToList());
    }

    [Fact]
    public void TheRecordMakesAChangedSourceStaleAndOnlyThat()
    {
        using var copy = CopyOfSample();
        var bag = new DiagnosticBag();
        var units = Units(copy.Path);
        TranslationRecord.Of(units, "sv", "en").Write(copy.Path);
        Assert.All(Units(copy.Path), u => Assert.Equal(UnitState.Translated, u.State));

        // Re-wrapping a paragraph is not a change.
        var sv = Path.Combine(copy.Path, "modules", "values.md");
        var text = File.ReadAllText(sv);
        File.WriteAllText(sv, text.Replace("När smärtan får styra blir frågan ofta", "När smärtan får styra\nblir frågan ofta", StringComparison.Ordinal));
        Assert.All(Units(copy.Path), u => Assert.Equal(UnitState.Translated, u.State));

        File.WriteAllText(sv, text.Replace("desto större är avståndet.", "desto större blir avståndet.", StringComparison.Ordinal));
        var stale = Assert.Single(Units(copy.Path), u => u.State == UnitState.Stale);
        Assert.Equal("module:values.body.7", stale.Id);
        Assert.Contains("desto större är avståndet.", stale.RecordedSource);
        Assert.Contains("desto större blir avståndet.", stale.Source);
        Assert.StartsWith("The Bull's-eye has four areas.", stale.Target);
    }

    [Fact]
    public void TheRecordIsDeterministicAndReadsBack()
    {
        var units = Units(Sample);
        var record = TranslationRecord.Of(units, "sv", "en");
        using var temp = new TestPaths.TempFolder();
        record.Write(temp.Path);
        var json = File.ReadAllText(Path.Combine(temp.Path, "translations", "en.json"));
        Assert.Equal(record.ToJson(), json);
        Assert.DoesNotContain("\r", json);
        Assert.Contains("\"Åttioårsdagen\"", json);
        var bag = new DiagnosticBag();
        var back = TranslationRecord.Read(temp.Path, "sv", "en", bag);
        Assert.Empty(bag.Items);
        Assert.Equal(json, back!.ToJson());
        Assert.Equal(back.Units.Keys.Order(StringComparer.Ordinal), back.Units.Keys);
    }

    [Fact]
    public void ABrokenRecordIsADiagnosticNotAnException()
    {
        using var temp = new TestPaths.TempFolder();
        temp.File("translations/en.json", "{\"format\": \"contentengine-translations\", \"version\": 1, \"units\": ");
        var bag = new DiagnosticBag();
        Assert.Null(TranslationRecord.Read(temp.Path, "sv", "en", bag));
        var d = Assert.Single(bag.Items);
        Assert.Equal("CE0506", d.Id);
        Assert.Equal("translations/en.json", d.Location.Path);
    }

    [Fact]
    public void TextsAreHashedNormalisedAndEncodedForTheirPlace()
    {
        Assert.Equal(TranslationText.Hash("a  b\n  c"), TranslationText.Hash(" a b c "));
        Assert.NotEqual(TranslationText.Hash("a b c"), TranslationText.Hash("a b d"));
        Assert.Matches("^sha256:[0-9a-f]{16}$", TranslationText.Hash("x"));
        Assert.Equal(4, TranslationText.CountWords("**Read** [the part](module:pacing) now."));
        foreach (var text in new[] { "Plain text", "Other, such as retired", "Note: this", "yes", "10 minutes", "\"quoted\" and \\ back", "#hash" })
            Assert.Equal(text, TranslationText.Decode(TextSyntax.YamlScalar, TranslationText.Encode(TextSyntax.YamlScalar, text)));
        Assert.Equal("Say \"hi\"", TranslationText.Decode(TextSyntax.DirectiveAttribute, TranslationText.Encode(TextSyntax.DirectiveAttribute, "Say \"hi\"")));
    }
}
