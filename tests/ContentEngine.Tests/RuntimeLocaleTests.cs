using System.Collections.Immutable;
using ContentEngine.Model;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>
/// Texts and lock reasons in the patient's locale. The sample's locales are <c>[sv, en]</c>: its default locale, sv, is not
/// the alphabetically first, so a fallback to "any" locale would show English.
/// </summary>
public sealed class RuntimeLocaleTests
{
    private static ProgramGraph Program => RuntimeMutationTests.Program;

    private static DateTimeOffset Now => RuntimeMutationTests.Now;

    private static PatientRecord Patient => RuntimeMutationTests.Patient;

    [Fact]
    public void TheDefaultLocaleIsTheFirstOfProgramYamlsLocalesNotTheAlphabeticallyFirst()
    {
        Assert.Equal(["sv", "en"], Program.Locales.AsEnumerable());
        Assert.Equal("sv", Program.DefaultLocale);
    }

    [Fact]
    public void TextFallsBackToTheDefaultLocale()
    {
        Assert.Equal("Att leva med smärta", Program.Text(Program.Title, "de"));
        Assert.Equal("Att leva med smärta", Program.Text(Program.Title));
        Assert.Equal("Living with pain", Program.Text(Program.Title, "en"));
        Assert.Equal("Att leva med smärta", Program.Title.Get("de", Program.Locales));
        Assert.Equal("Att leva med smärta", Program.Title.Get("de", Program.DefaultLocale));
        // Every title of the sample, asked in a locale the program does not have, is its Swedish one.
        foreach (var m in Program.Modules)
            Assert.Equal(m.Title.Values["sv"], Program.Text(m.Title, "fr"));
        // A text missing the default locale falls back in the order of the program's locales.
        var text = new LocalizedText(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("de", "Deutsch"), KeyValuePair.Create("en", "English"), KeyValuePair.Create("nb", "Norsk")]));
        Assert.Equal("Norsk", text.Get("fi", ["sv", "nb", "en"]));
        // The option labels of the FHIR form of the answers are the default locale's too.
        var record = Patient.RecordAnswer(Program, "aftercare-wishes", "areas", Answer.List(Answer.Text("sleep")));
        var response = Runtime.Fhir.QuestionnaireResponses.ToResponses(record, Program).Single();
        var sleep = Program.FindWorksheet("aftercare-wishes")!.Fields.Single(f => f.Id == "areas").Options.Single(o => o.ValueText == "sleep");
        Assert.Contains($"\"display\": \"{sleep.Label.Values["sv"]}\"", response.Json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "en", "opens in week 2 (2026-09-14)", "needs 'welcome' completed first")]
    [InlineData("sv", "sv", "öppnas vecka 2 (2026-09-14)", "kräver att 'welcome' är klar först")]
    [InlineData(null, "sv", "öppnas vecka 2 (2026-09-14)", "kräver att 'welcome' är klar först")]
    [InlineData("de", "sv", "öppnas vecka 2 (2026-09-14)", "kräver att 'welcome' är klar först")]
    public void LockReasonsComeInThePatientsLocale(string? asked, string given, string notYet, string requires)
    {
        var status = Program.Evaluate(Patient, Now, asked);
        var reasons = status["physical-exercise"].Reasons;
        Assert.Equal([LockKind.NotYetReleased, LockKind.RequiresModules], reasons.Select(r => r.Kind));
        Assert.Equal([notYet, requires], reasons.Select(r => r.Message));
        Assert.All(reasons, r => Assert.Equal(given, r.Locale));

        var notStarted = Program.Evaluate(Patient with { StartDate = new DateOnly(2026, 10, 1) }, Now, asked)["welcome"].Reasons.Single();
        Assert.Equal(given == "sv" ? "programmet börjar 2026-10-01" : "the program starts on 2026-10-01", notStarted.Message);
    }

    [Fact]
    public void AFullChoiceIsSaidInBothLocales()
    {
        var optional = Program.Modules.Where(m => m.Optional).Select(m => m.Id).ToList();
        var max = Program.FindPhase("aftercare")!.Choose!.Max!.Value;
        var record = RuntimeMutationTests.InAftercare with { Chosen = [.. optional.Take(max)] };
        Assert.Equal($"{max} of at most {max} modules of aftercare are already chosen", Program.Evaluate(record, Now, "en")[optional[max]].Reasons.Single().Message);
        Assert.Equal($"{max} av högst {max} moduler i aftercare är redan valda", Program.Evaluate(record, Now, "sv")[optional[max]].Reasons.Single().Message);
        // The refusal of a change says the reasons in the locale asked for.
        var e = Assert.Throws<PatientChangeException>(() => record.ChooseModule(Program, optional[max], Now, "sv"));
        Assert.Contains("är redan valda", e.Message, StringComparison.Ordinal);
    }
}
