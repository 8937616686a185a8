using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace ContentEngine.Tests;

/// <summary>
/// Every resource of a program's FHIR export through Firely's profile validator (Firely.Fhir.Validation.R4), against the
/// core FHIR R4 definitions (Hl7.Fhir.Specification.Data.R4) and the StructureDefinitions of ContentEngine's own
/// extensions that the export writes beside them: no errors, and every extension resolved.
/// </summary>
public sealed class FhirValidatorTests
{
    private static readonly Lazy<CachedResolver> Core = new(() => new CachedResolver(ZipSource.CreateValidationSource()));

    /// <summary>
    /// The SDC extensions the export uses, as the SDC implementation guide defines them (URL, the element they are on, the
    /// value's type): the core definitions do not hold them, and no package registry the build reaches ships the SDC package.
    /// </summary>
    private static readonly ExtensionDefinition[] Sdc =
    [
        SdcItem("sdc-questionnaire-calculatedExpression", "CalculatedExpression", "Calculated value", "Expression"),
        SdcItem("sdc-questionnaire-enableWhenExpression", "EnableWhenExpression", "Expression that returns a boolean for whether to enable the item", "Expression"),
        SdcItem("sdc-questionnaire-minQuantity", "MinQuantity", "Must be at least this much", "Quantity"),
        SdcItem("sdc-questionnaire-maxQuantity", "MaxQuantity", "Must be at most this much", "Quantity"),
    ];

    private static ExtensionDefinition SdcItem(string id, string name, string title, string type) =>
        new($"http://hl7.org/fhir/uv/sdc/StructureDefinition/{id}", id, "Sdc" + name, title, title + ".", ["Questionnaire.item"], type);

    public static TheoryData<string> ProgramNames() => ["content/iact-chronic-pain", "tests/vectors/program", Conditional];

    /// <summary>A worksheet whose instructions have enableWhen and SDC enableWhenExpression (neither program above has them).</summary>
    private const string Conditional = "a worksheet with conditional instructions";

    private static ProgramGraph Graph(string program)
    {
        if (program != Conditional) return FhirPathProgramTests.Programs[program].Value;
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en, sv]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("worksheets/w.md", FhirExportTests.ConditionalWorksheet);
        t.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\n---\n:::: if {when=\"week >= 2\"}\n::: worksheet {ref=w}\n:::\n::::\n");
        var result = ProgramCompiler.Compile(t.Path);
        return result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
    }

    [Theory]
    [MemberData(nameof(ProgramNames))]
    public void TheExportValidatesWithNoErrorsAndNoUnresolvedExtensions(string program)
    {
        var graph = Graph(program);
        var (issues, unresolved) = Validate(graph);
        Assert.True(issues.Count == 0 && unresolved.Count == 0,
            $"{issues.Count} errors, {unresolved.Count} unresolved extensions:\n{string.Join("\n", issues.Concat(unresolved.Select(u => "unresolved extension " + u)))}");
    }

    [Fact]
    public void EveryContentEngineExtensionTheExportWritesHasItsDefinition()
    {
        var graph = FhirPathProgramTests.Programs["content/iact-chronic-pain"].Value;
        var files = FhirExport.Export(graph);
        var defined = files.Where(f => f.Path.StartsWith("fhir/StructureDefinition-", StringComparison.Ordinal))
            .Select(f => new FhirJsonDeserializer().Deserialize<StructureDefinition>(Encoding.UTF8.GetString(f.Content)).Url!).ToHashSet();
        var used = files.SelectMany(f => System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(f.Content), "\"url\": \"(urn:contentengine:[a-z-]+)\"").Select(m => m.Groups[1].Value)).ToHashSet();
        used.Add(FhirExport.EntryDateUrl); // in a patient's responses, not in the export
        Assert.Empty(used.Except(defined).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheValidatorSeesAnErrorAndAnUnknownExtension()
    {
        var resources = Parse(FhirExport.Export(FhirPathProgramTests.Programs["tests/vectors/program"].Value));
        var plan = resources.Select(r => r.Resource).OfType<PlanDefinition>().Single();
        plan.Extension.Add(new Extension("urn:contentengine:unknown", new FhirString("x")));
        plan.Action[0].RelatedAction.Add(new PlanDefinition.RelatedActionComponent()); // actionId and relationship are required
        var (errors, unresolved) = Validate(resources);
        Assert.Equal(["urn:contentengine:unknown"], unresolved);
        Assert.Contains(errors, e => e.Contains("PlanDefinition.action[0].relatedAction", StringComparison.Ordinal));
    }

    private static List<(string Path, Resource Resource)> Parse(IEnumerable<(string Path, byte[] Content)> files) =>
        [.. files.Select(f => (f.Path, new FhirJsonDeserializer().DeserializeResource(Encoding.UTF8.GetString(f.Content))))];

    /// <summary>The validator's errors and fatal errors (location and message), and the extensions it could not resolve.</summary>
    internal static (List<string> Errors, List<string> Unresolved) Validate(ProgramGraph graph) => Validate(Parse(FhirExport.Export(graph)));

    private static (List<string> Errors, List<string> Unresolved) Validate(List<(string Path, Resource Resource)> resources)
    {
        // Copies: the snapshot source writes a snapshot into the definitions it resolves, and the export's own are validated as written.
        var own = new InMemoryResourceResolver(resources.Select(r => r.Resource).OfType<StructureDefinition>().Select(d => (StructureDefinition)d.DeepCopy())
            .Concat(Sdc.Select(FhirExport.ToStructureDefinition)));
        var resolver = new CachedResolver(new SnapshotSource(new MultiResolver(own, Core.Value)));
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        var settings = new ValidationSettings
        {
            FollowExtensionUrl = (_, url) =>
            {
                if (url is not null && !resolver.TryResolveByCanonicalUriAsync(url.ToString()).GetAwaiter().GetResult().Success) unresolved.Add(url.ToString());
                return ExtensionUrlHandling.WarnIfMissing;
            },
        };
        var validator = new Validator(resolver, new LocalTerminologyService(resolver), null, settings);
        var errors = new List<string>();
        foreach (var (path, resource) in resources)
        {
            var outcome = validator.Validate(resource);
            foreach (var issue in outcome.Issue)
            {
                var unresolvedWarning = issue.Details?.Text?.Contains("resolve", StringComparison.OrdinalIgnoreCase) == true
                    && issue.Details.Text.Contains("extension", StringComparison.OrdinalIgnoreCase);
                if (issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal || unresolvedWarning)
                    errors.Add($"{path} {string.Join(", ", issue.Expression)}: {issue.Severity} {issue.Code}: {issue.Details?.Text}");
            }
        }
        return (errors, [.. unresolved]);
    }
}
