using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Runtime.Conditions;
using Hl7.Fhir.Model;

namespace ContentEngine.Tests;

/// <summary>
/// The <c>::: if</c> blocks of module bodies in the PlanDefinition: each is a nested action of its module with its stable id,
/// the author's condition, a FHIRPath that agrees with the runtime's evaluator, and the text it guards.
/// </summary>
public sealed class FhirConditionalActionTests
{
    private static readonly Lazy<ProgramGraph> Sample = new(() =>
    {
        var result = ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain"));
        return result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
    });

    /// <summary>Every <c>::: if</c> of every module's body in the default locale, with its module and stable id.</summary>
    private static List<(Module Module, DirectiveBlock If, string Id)> Ifs(ProgramGraph graph) =>
        [.. graph.Modules.SelectMany(m =>
        {
            var blocks = m.Content[graph.DefaultLocale].Blocks;
            var ids = StableIds.Blocks(m.Id, blocks);
            return blocks.AllDirectives().Where(x => x.Directive.Name == "if").Select(x => (m, x.Directive, ids[x.Directive]));
        })];

    private static Dictionary<string, PlanDefinition.ActionComponent> ActionsById(PlanDefinition plan)
    {
        static IEnumerable<PlanDefinition.ActionComponent> All(IEnumerable<PlanDefinition.ActionComponent> actions) =>
            actions.SelectMany(a => All(a.Action).Prepend(a));
        return All(plan.Action).ToDictionary(a => a.ElementId!, StringComparer.Ordinal);
    }

    [Fact]
    public void EveryIfOfTheSampleIsAnActionWithItsCondition()
    {
        var graph = Sample.Value;
        var ifs = Ifs(graph);
        Assert.Equal(15, ifs.Count);
        var actions = ActionsById(FhirExport.ToPlanDefinition(graph));
        foreach (var (module, block, id) in ifs)
        {
            Assert.True(actions.TryGetValue($"{module.Id}.{id}", out var action), $"the if '{block.Condition!.Source}' of {module.Id} ({id}) is not in the PlanDefinition");
            var condition = Assert.Single(action.Condition);
            Assert.Equal(ActionConditionKind.Applicability, condition.Kind);
            Assert.Equal(block.Condition!.Source, condition.Expression.GetExtensionValue<FhirString>(FhirExport.ConditionSourceUrl)?.Value);
            Assert.False(string.IsNullOrWhiteSpace(action.TextEquivalent), $"{action.ElementId} has no text");
            // The action sits in its module's action (directly, or inside an enclosing if's).
            Assert.StartsWith(module.Id + ".", action.ElementId, StringComparison.Ordinal);
            Assert.Contains(ActionsById(new PlanDefinition { Action = [actions[module.Id]] }).Keys, k => k == action.ElementId);
        }
    }

    [Fact]
    public void TheFhirPathOfEachIfAgreesWithTheRuntime()
    {
        var graph = Sample.Value;
        var actions = ActionsById(FhirExport.ToPlanDefinition(graph));
        var ifs = Ifs(graph);
        var random = new Random(2027);
        var seen = new HashSet<(string, bool)>();
        for (var n = 0; n < 40; n++)
        {
            var state = FhirPathProgramTests.RandomPatient(graph, random);
            var environment = FhirPathVectorTests.Environment(graph, state, onePerEntry: n % 2 == 0);
            var patient = new Patient { Id = "patient" }.ToPocoNode(ModelInfo.ModelInspector);
            foreach (var (module, block, id) in ifs)
            {
                var expected = Evaluator.IsTrue(block.Condition!.Tree, state);
                var fhirPath = actions[$"{module.Id}.{id}"].Condition[0].Expression!.Expression_!;
                Assert.True(expected == FhirPathProgramTests.Run(fhirPath, patient, environment),
                    $"patient {n}: '{block.Condition.Source}' as {fhirPath} is not {expected}");
                seen.Add((id, expected));
            }
        }
        Assert.Contains(seen, s => s.Item2);
        Assert.Contains(seen, s => !s.Item2);
    }

    [Fact]
    public void EachIfStandsInItsFragmentWithTheSameId()
    {
        var graph = Sample.Value;
        var theme = Rendering.Web.Theme.Load(TestPaths.Repo("content", "iact-chronic-pain"), graph.Theme);
        var package = Rendering.Package.PackageWriter.Write(graph, new Rendering.Package.PackageOptions { Theme = theme, Bundles = new Dictionary<string, Rendering.Bundle>() });
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(package));
        string Fragment(string module)
        {
            using var reader = new StreamReader(zip.GetEntry($"content/{graph.DefaultLocale}/modules/{module}.html")!.Open());
            return reader.ReadToEnd();
        }
        foreach (var (module, _, id) in Ifs(graph))
            Assert.Contains($"<div class=\"ce-if\" data-ce-id=\"{id}\"", Fragment(module.Id), StringComparison.Ordinal);
    }

    [Fact]
    public void ANestedIfIsAnActionInsideTheOuterOne()
    {
        using var program = new TestPaths.TempFolder();
        NestedDirectiveTests.WriteProgram(program, "Rate your mood.");
        program.File("modules/m.md", "---\nid: m\ntitle: Module\nphase: treatment\nweek: 1\n---\n\nIntro.\n\n" +
            "::: worksheet {ref=mood}\n:::\n\n:::: if {when=\"mood.score >= 5\"}\nGlad you feel well.\n\n::: if {when=\"mood.score >= 9\"}\nVery well indeed.\n:::\n::::\n");
        var result = ProgramCompiler.Compile(program.Path);
        var graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        var module = FhirExport.ToPlanDefinition(graph).Action[0].Action.Single(a => a.ElementId == "m");
        var outer = Assert.Single(module.Action, a => a.ElementId!.StartsWith("m.if-", StringComparison.Ordinal));
        Assert.Equal("Glad you feel well.", outer.TextEquivalent);
        var inner = Assert.Single(outer.Action);
        Assert.Equal("Very well indeed.", inner.TextEquivalent);
        Assert.Equal("mood.score >= 9", inner.Condition[0].Expression.GetExtensionValue<FhirString>(FhirExport.ConditionSourceUrl)?.Value);
        Assert.Matches(@"^m\.if-[0-9a-f]{8}$", inner.ElementId);
    }
}
