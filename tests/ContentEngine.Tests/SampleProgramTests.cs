using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Tests;

/// <summary>The sample program compiles clean and has the shape of the IACT program it models.</summary>
public sealed class SampleProgramTests
{
    private static readonly Lazy<CompilationResult> Result = new(() => ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain")));

    private static ProgramGraph Graph => Result.Value.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(Result.Value.Diagnostics));

    [Fact]
    public void CompilesWithoutDiagnostics() => Assert.Empty(Result.Value.Diagnostics);

    [Fact]
    public void HasTheTreatmentAndAftercarePhases()
    {
        Assert.Equal(["sv", "en"], Graph.Locales.ToArray());
        var treatment = Graph.FindPhase("treatment")!;
        var aftercare = Graph.FindPhase("aftercare")!;
        Assert.Equal((6, 1), (treatment.Weeks, treatment.FirstWeek));
        Assert.Equal((11, 4, 11), (aftercare.Weeks, aftercare.PauseBefore, aftercare.FirstWeek));
        Assert.NotNull(aftercare.Choose);
        Assert.True(Graph.Modules.Length >= 12);
        var offered = Graph.Modules.Where(m => m.Optional && m.Phase == "aftercare" && m.OfferWhen is not null).ToList();
        Assert.True(offered.Count >= 4);
        Assert.All(offered, m => Assert.NotNull(m.OfferReason));
        Assert.Equal(Graph.Modules.OrderBy(m => m.ProgramWeek).Select(m => m.Id), Graph.Modules.Select(m => m.Id));
    }

    [Fact]
    public void EveryModuleAndWorksheetIsInBothLocales()
    {
        foreach (var m in Graph.Modules)
        {
            Assert.Equal(["en", "sv"], m.Content.Keys);
            Assert.Equal(2, m.Title.Values.Count);
        }
        foreach (var w in Graph.Worksheets) Assert.Equal(2, w.Title.Values.Count);
    }

    [Fact]
    public void HasTheWorksheetsTheTrialsUse()
    {
        var fieldTypes = Graph.Worksheets.SelectMany(w => w.Fields).SelectMany(f => f.Columns.Prepend(f)).Select(f => f.Type).ToHashSet();
        Assert.Equal(Enum.GetValues<FieldType>().ToHashSet(), fieldTypes);
        Assert.Contains(Graph.Worksheets, w => w.Fields.Any(f => f.Type == FieldType.Target && f.Areas.Length >= 4));
        Assert.Contains(Graph.Worksheets, w => w.Kind == WorksheetKind.Diary && w.Repeat == DiaryRepeat.Daily && w.Days == 7);
        Assert.Contains(Graph.Worksheets, w => w.Fields.Any(f => f.Type == FieldType.Scale && f.Min == 0 && f.Max == 10 && f.Labels.Length == 2));
        var questionnaire = Assert.Single(Graph.Worksheets, w => w.Kind == WorksheetKind.Questionnaire && w.Scoring!.Scores.Length >= 3);
        Assert.Contains(questionnaire.Scoring!.Scores, s => s.Items.Any(i => i.Reverse));
        Assert.NotEmpty(questionnaire.Scoring.Bands);
        Assert.NotEmpty(questionnaire.Scoring.Mcid);
    }

    [Fact]
    public void HasARecordedExerciseWithItsTranscriptAndSafetyMessages()
    {
        var audio = Assert.Single(Graph.Assets, a => a.Kind == AssetKind.Audio);
        Assert.InRange(audio.DurationSeconds!.Value, 30, 180);
        Assert.Contains(Graph.Assets, a => a.Kind == AssetKind.Transcript);
        static IEnumerable<DirectiveBlock> All(IEnumerable<ContentBlock> blocks) =>
            blocks.OfType<DirectiveBlock>().SelectMany(d => All(d.Children).Prepend(d));
        var directives = Graph.Modules.SelectMany(m => m.Content.Values).SelectMany(c => All(c.Blocks)).ToList();
        Assert.Contains(directives, d => d.Name == "safety");
        Assert.Contains(directives, d => d.Name == "audio" && d.Attributes["transcript"] == "media/body-scan.txt");
        Assert.Contains(directives, d => d.Name == "if" && d.Condition is not null);
        Assert.Contains(directives, d => d.Name == "narration");
    }
}
