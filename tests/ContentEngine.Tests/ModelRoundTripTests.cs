using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering.Package;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Text;

namespace ContentEngine.Tests;

/// <summary>
/// One program model: what the compiler makes is what graph.json and a package hold, and what the runtime
/// reads back. For the sample, every golden program that compiles, and two generated programs of the
/// benchmarks' shape: compile, write graph.json, read it into the model, compare member by member with the
/// compiled program, and write it again byte for byte; the same through a package.
/// </summary>
public sealed class ModelRoundTripTests(ModelRoundTripTests.GeneratedPrograms generated) : IClassFixture<ModelRoundTripTests.GeneratedPrograms>
{
    /// <summary>The sample, every golden program that compiles, and the generated programs.</summary>
    public static TheoryData<string> Programs() => new(ProgramNames.Value);

    private static readonly Lazy<string[]> ProgramNames = new(() =>
    [
        "sample",
        .. Directory.EnumerateDirectories(TestPaths.Repo("tests", "programs")).Order(StringComparer.Ordinal)
            .Where(dir => ProgramCompiler.Compile(dir).Graph is not null)
            .Select(Path.GetFileName)!,
        "generated-400",
        "generated-explore",
    ]);

    private string Folder(string name) => name.StartsWith("generated-", StringComparison.Ordinal)
        ? Path.Combine(generated.Root, name) : PackageTestData.Folder(name);

    /// <summary>The generated programs, written once for the class into a temporary folder deleted afterwards.</summary>
    public sealed class GeneratedPrograms : IDisposable
    {
        private readonly TestPaths.TempFolder _folder = new();
        private readonly Lazy<string> _root;

        public GeneratedPrograms() => _root = new(() =>
        {
            var root = _folder.Path;
            WriteModules(Path.Combine(root, "generated-400"), 400, 40);
            var explore = Path.Combine(root, "generated-explore");
            using var process = Process.Start(new ProcessStartInfo("bash", [TestPaths.Repo("bench", "make-explore-program.sh"), explore])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
            return root;
        });

        public string Root => _root.Value;

        public void Dispose() => _folder.Dispose();
    }

    /// <summary>A program of the benchmark's shape: <paramref name="count"/> modules of plain prose, released all at once.</summary>
    private static void WriteModules(string folder, int count, int perWeek)
    {
        Directory.CreateDirectory(Path.Combine(folder, "modules"));
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"---\nid: m{i:D4}\nphase: main\nweek: {i / perWeek + 1}\ntitle: Module {i}\n---\n\n");
            for (var p = 0; p < 3; p++)
                text.Append(CultureInfo.InvariantCulture, $"Paragraph {p} of module {i}: *some* words, a [link](m{(i + 1) % count:D4}.md) and a list.\n\n- one\n- two\n\n");
            File.WriteAllText(Path.Combine(folder, "modules", $"m{i:D4}.md"), text.ToString());
        }
        File.WriteAllText(Path.Combine(folder, "program.yaml"),
            $"id: bench\nversion: 1.0.0\ntitle: Benchmark corpus\nlocales: [en]\nguidance: self\nrelease: all\nphases:\n  - id: main\n    title: Main\n    weeks: {(count + perWeek - 1) / perWeek}\n");
    }

    private ProgramGraph Compile(string name)
    {
        var result = ProgramCompiler.Compile(Folder(name));
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        return result.Graph!;
    }

    [Fact]
    public void TheRoundTripCoversGoldenAndGeneratedPrograms()
    {
        Assert.True(ProgramNames.Value.Length >= 5, "the round trip covers the sample, golden programs and the generated ones");
        Assert.Equal(400, Compile("generated-400").Modules.Length);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void GraphJsonReadsBackIntoTheSameModel(string name)
    {
        var compiled = Compile(name);
        var written = GraphJson.Write(compiled);
        var read = ProgramGraph.FromGraphJson(Encoding.UTF8.GetBytes(written));
        AssertSameProgram(compiled, read);
        Assert.Equal(written, GraphJson.Write(read));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void APackageReadsBackIntoTheSameModel(string name)
    {
        var folder = Folder(name);
        var compiled = Compile(name);
        var package = ProgramPackage.Open(new MemoryStream(PackageWriter.Write(compiled, PackageTestData.Options(folder, compiled, 1700000000))));
        AssertSameProgram(compiled, package.Program);
        Assert.Equal(GraphJson.Write(compiled), GraphJson.Write(package.Program));
        Assert.Equal(package.ReadText(ProgramPackage.GraphPath), GraphJson.Write(package.Program));
    }

    [Fact]
    public void TheComparisonSeesADifference()
    {
        var compiled = Compile("sample");
        var read = ProgramGraph.FromGraphJson(Encoding.UTF8.GetBytes(GraphJson.Write(compiled)));
        var module = read.Modules[1];
        var changed = read with { Modules = read.Modules.SetItem(1, module with { Requires = [.. module.Requires, "welcome"] }) };
        Assert.NotEmpty(Differences(compiled, changed, "program"));
    }

    private static void AssertSameProgram(ProgramGraph expected, ProgramGraph actual)
    {
        var differences = Differences(expected, actual, "program").Take(20).ToList();
        Assert.True(differences.Count == 0, "the program read back differs from the compiled one:\n" + string.Join("\n", differences));
    }

    /// <summary>
    /// Members graph.json does not hold: source positions (the compiler's, for its findings), the asset store
    /// (where the compiler found the files), the weekly time limit (a check of the compiler), and a scale's
    /// display (read by the compiler's renderers from the compiled program).
    /// </summary>
    private static bool NotInGraphJson(PropertyInfo p) =>
        p.PropertyType == typeof(SourceLocation) || p.PropertyType == typeof(System.Collections.Immutable.ImmutableArray<SourceLocation>)
        || (p.DeclaringType == typeof(ProgramGraph) && p.Name is nameof(ProgramGraph.Store) or nameof(ProgramGraph.MaxMinutesPerWeek))
        || (p.DeclaringType == typeof(Field) && p.Name == nameof(Field.Display))
        || (typeof(Expr).IsAssignableFrom(p.DeclaringType) && p.Name is nameof(Expr.Start) or nameof(Expr.Length));

    /// <summary>Every place where two values differ, member by member, lists and dictionaries item by item.</summary>
    private static IEnumerable<string> Differences(object? a, object? b, string at)
    {
        if (a is null || b is null)
        {
            if (a is not null || b is not null) yield return $"{at}: {a ?? "null"} / {b ?? "null"}";
            yield break;
        }
        var type = a.GetType();
        if (a is not IEnumerable || a is string)
        {
            if (type != b.GetType())
            {
                yield return $"{at}: {type.Name} / {b.GetType().Name}";
                yield break;
            }
            if (type.IsPrimitive || type.IsEnum || a is string or DateOnly or decimal)
            {
                if (!a.Equals(b)) yield return $"{at}: {a} / {b}";
                yield break;
            }
        }
        if (a is IDictionary da && b is IDictionary db)
        {
            var keys = da.Keys.Cast<object>().ToList();
            if (!keys.SequenceEqual(db.Keys.Cast<object>())) yield return $"{at}: keys {string.Join(",", keys)} / {string.Join(",", db.Keys.Cast<object>())}";
            else
                foreach (var k in keys)
                    foreach (var d in Differences(da[k], db[k], $"{at}[{k}]")) yield return d;
            yield break;
        }
        if (a is IEnumerable ea && b is IEnumerable eb)
        {
            var (la, lb) = (ea.Cast<object?>().ToList(), eb.Cast<object?>().ToList());
            if (la.Count != lb.Count) yield return $"{at}: {la.Count} items / {lb.Count}";
            else
                for (var i = 0; i < la.Count; i++)
                    foreach (var d in Differences(la[i], lb[i], $"{at}[{i}]")) yield return d;
            yield break;
        }
        if (a is Asset { DurationSeconds: { } seconds } asset && b is Asset { DurationSeconds: { } read })
        {
            // graph.json holds a recording's length to the millisecond.
            if (Math.Round(seconds, 3) != read) yield return $"{at}.DurationSeconds: {seconds} / {read}";
            a = asset with { DurationSeconds = read };
        }
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || NotInGraphJson(p) || p.Name == "EqualityContract") continue;
            foreach (var d in Differences(p.GetValue(a), p.GetValue(b), $"{at}.{p.Name}")) yield return d;
        }
    }
}
