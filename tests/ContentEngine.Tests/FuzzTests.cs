using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Tests.Mutation;

namespace ContentEngine.Tests;

/// <summary>
/// The reliability probe as a test: a few hundred mutants of the sample program, made with a fixed seed, each one file
/// of the sample changed in a hostile or careless way (Markdown nested past the parser's limit, control characters,
/// empty option lists, odd Unicode and bytes that are not UTF-8, truncation at a random byte, deleted and duplicated
/// lines, swapped YAML values, huge numbers, very long lines, unclosed directives, random directive attributes).
/// Every mutant must compile to a result: no exception (the command line's exit 3), no hang, bounded memory. The
/// kinds whose mistake is always an error must also give that error. The counts are written as xUnit diagnostic
/// messages, which <c>./build.sh test</c> shows (<c>-- xUnit.DiagnosticMessages=true</c>).
/// The compiler works on several threads, so its allocation is measured for the whole process: the test runs alone,
/// after the tests that run in parallel (<see cref="FuzzCollection"/>).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(Mutation.MutationTests.Reporter reporter) : IClassFixture<Mutation.MutationTests.Reporter>
{
    private const int Seed = 24;
    private const int MutantsPerKind = 20;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);
    private const long AllocationLimit = 1L << 30;

    /// <summary>Codes about a file's own text: reported for any other file than the mutant's, a compilation saw stale text.</summary>
    private static readonly HashSet<string> FileLocalCodes = ["CE0003", "CE0012", "CE0013"];

    [Fact]
    public void NoMutantOfTheSampleCrashesHangsOrRunsAwayWithMemory()
    {
        var mutants = FuzzMutants.Make(Seed, MutantsPerKind);
        Assert.Equal(FuzzMutants.Kinds.Count * MutantsPerKind, mutants.Count);

        using var folder = new TestPaths.TempFolder();
        var sample = SampleSource.Instance.Value;
        sample.WriteTo(folder.Path);
        // One copy of the sample, one file changed at a time and restored after. A cache told which files changed (as
        // the preview's watcher tells it) keeps the other files' parses, so each compilation reads only the mutant anew.
        var options = MutantRunner.Options with { Cache = new CompilationCache() };
        Assert.False(ProgramCompiler.Compile(folder.Path, options).HasErrors);
        var outcomes = new List<FuzzOutcome>();
        string? restored = null;
        var clock = Stopwatch.StartNew();
        foreach (var mutant in mutants)
        {
            var path = Path.Combine(folder.Path, mutant.File);
            File.WriteAllBytes(path, mutant.Bytes);
            options.Cache!.OnlyChanged(restored is null ? [mutant.File] : [mutant.File, restored]);
            try
            {
                outcomes.Add(Compile(mutant, folder.Path, options));
            }
            finally
            {
                File.WriteAllBytes(path, sample.Bytes(mutant.File));
                restored = mutant.File;
            }
        }
        clock.Stop();

        reporter.Report(Summary(outcomes, clock.Elapsed));
        var failures = outcomes.Where(o => o.Problem is not null).Select(o => o.Describe()).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {outcomes.Count} mutants failed:\n\n" + string.Join("\n", failures));
    }

    private static FuzzOutcome Compile(FuzzMutant mutant, string folder, CompilerOptions options)
    {
        var before = GC.GetTotalAllocatedBytes(precise: false);
        var watch = Stopwatch.StartNew();
        var compilation = Task.Run(() => ProgramCompiler.Compile(folder, options));
        try
        {
            if (!compilation.Wait(TimeLimit))
                return new FuzzOutcome(mutant, [], watch.Elapsed, 0, $"the compilation did not finish within {TimeLimit.TotalSeconds:0} s");
        }
        catch (AggregateException e)
        {
            var inner = e.InnerExceptions[0];
            return new FuzzOutcome(mutant, [], watch.Elapsed, 0, $"the compiler threw {inner.GetType().Name}: {inner.Message}\n{inner.StackTrace}");
        }
        var elapsed = watch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        var errors = compilation.Result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        string? problem = null;
        if (allocated > AllocationLimit)
            problem = $"the compilation allocated {allocated / (1 << 20)} MiB, more than {AllocationLimit / (1 << 20)} MiB";
        else if (errors.FirstOrDefault(e => FileLocalCodes.Contains(e.Id) && e.Location.Path != mutant.File) is { } elsewhere)
            problem = $"an error about the text of a file that was not changed: {elsewhere}";
        else if (mutant.ExpectedCode is { } code && !errors.Any(e => e.Id == code && e.Location.Path == mutant.File))
            problem = $"expected {code} in {mutant.File}, got " + (errors.Count == 0 ? "no errors" : string.Join("; ", errors.Take(3).Select(e => e.ToString())));
        return new FuzzOutcome(mutant, errors, elapsed, allocated, problem);
    }

    private static string Summary(List<FuzzOutcome> outcomes, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"fuzz: {outcomes.Count} mutants (seed {Seed}), {outcomes.Count(o => o.Errors.Count > 0)} with errors, {outcomes.Count(o => o.Errors.Count == 0)} clean, " +
            $"{outcomes.Count(o => o.Problem is not null)} failed; {elapsed.TotalSeconds:0.0} s, slowest {outcomes.Max(o => o.Elapsed.TotalSeconds):0.00} s, " +
            $"most allocated {outcomes.Max(o => o.Allocated) / (1 << 20)} MiB\n");
        foreach (var kind in outcomes.GroupBy(o => o.Mutant.Kind))
        {
            var codes = kind.SelectMany(o => o.Errors.Select(e => e.Id).Distinct()).GroupBy(c => c).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}");
            sb.Append(CultureInfo.InvariantCulture,
                $"  {kind.Key}: {kind.Count()} mutants, {kind.Count(o => o.Errors.Count > 0)} with errors, {kind.Count(o => o.Errors.Count == 0)} clean, {kind.Count(o => o.Problem is not null)} failed ({string.Join(", ", codes)})\n");
        }
        return sb.ToString();
    }
}

/// <summary>One file of the sample changed: its kind, what was done, and the file's new bytes.</summary>
/// <param name="ExpectedCode">The error the change always makes, for kinds where it does; null when it may be harmless.</param>
internal sealed record FuzzMutant(string Kind, string File, string Description, byte[] Bytes, string? ExpectedCode = null);

/// <summary>Runs its tests alone, with no other test allocating beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz, alone";
}

internal sealed record FuzzOutcome(FuzzMutant Mutant, IReadOnlyList<Diagnostic> Errors, TimeSpan Elapsed, long Allocated, string? Problem)
{
    public string Describe() => $"[{Mutant.Kind}] {Mutant.File}: {Mutant.Description}\n    {Problem}";
}

/// <summary>Makes the mutants: the same ones for the same seed on every machine (<see cref="Random"/> with a seed is stable).</summary>
internal static class FuzzMutants
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static readonly IReadOnlyList<string> Kinds =
    [
        "deep-nesting", "control-character", "empty-list", "odd-unicode", "invalid-utf8", "truncation", "deleted-line",
        "duplicated-line", "swapped-yaml-values", "huge-number", "long-line", "unclosed-directive", "directive-attributes",
    ];

    private static SampleSource Sample => SampleSource.Instance.Value;

    public static List<FuzzMutant> Make(int seed, int perKind)
    {
        var random = new Random(seed);
        var texts = Sample.Texts.ToList();
        var result = new List<FuzzMutant>();
        for (var i = 0; i < perKind; i++)
            foreach (var kind in Kinds)
                result.Add(Make(kind, random, texts));
        return result;
    }

    private static FuzzMutant Make(string kind, Random random, List<SourceText> texts)
    {
        // A kind that needs a site the picked file lacks tries other files; every kind has sites in the sample.
        for (var attempt = 0; ; attempt++)
        {
            var file = texts[random.Next(texts.Count)];
            if (Mutate(kind, file, random) is { } mutant) return mutant;
            if (attempt > 1000) throw new InvalidOperationException($"no site of the sample fits the fuzz kind '{kind}'");
        }
    }

    private static FuzzMutant? Mutate(string kind, SourceText file, Random random)
    {
        var lines = file.Lines.ToList();
        var bodyStart = SourceScan.FrontMatterEnd(file) + 1;
        var yaml = SourceScan.Yaml(file);
        FuzzMutant Text(string description, List<string> changed, string? code = null) =>
            new(kind, file.Path, description, Utf8.GetBytes(string.Join("\n", changed)), code);
        int BodyLine() => bodyStart > 0 && bodyStart < lines.Count ? random.Next(bodyStart, lines.Count) : -1;

        switch (kind)
        {
            case "deep-nesting":
            {
                var at = BodyLine();
                if (at < 0) return null;
                var depth = random.Next(130, 400);
                var (variant, block) = random.Next(4) switch
                {
                    0 => ("quotations", new string('>', depth) + " deep"),
                    1 => ("lists", string.Concat(Enumerable.Range(0, depth / 2 + 2).Select(d => new string(' ', 2 * d) + "- item\n"))),
                    2 => ("quoted lists", string.Concat(Enumerable.Repeat("> - ", depth / 2 + 2)) + "deep"),
                    _ => ("numbered lists", string.Concat(Enumerable.Range(0, depth / 2 + 2).Select(d => new string(' ', 3 * d) + "1. item\n"))),
                };
                lines.Insert(at, "\n" + block.TrimEnd('\n') + "\n");
                return Text($"{variant} {depth} levels deep at line {at + 1}", lines, "CE0012");
            }
            case "control-character":
            {
                char c;
                do c = (char)random.Next(0, 0xA0); while (!ContentEngine.Text.ControlCharacters.IsRefused(c) || c == '\0');
                // Half of them in a YAML value (a title, a label), where the audio feed picks them up.
                var valued = yaml.Where(y => y.Key is not null && y.HasPlainValue).ToList();
                var line = valued.Count > 0 && random.Next(2) == 0 ? valued[random.Next(valued.Count)].Line : random.Next(lines.Count);
                var column = lines[line].Length == 0 ? 0 : random.Next(lines[line].Length + 1);
                lines[line] = lines[line].Insert(column, c.ToString());
                return Text($"U+{(int)c:X4} at line {line + 1}, column {column + 1}", lines, "CE0013");
            }
            case "empty-list":
            {
                var keys = new[] { "options", "columns", "areas", "rows", "fields", "phases", "locales", "requires", "tags", "scores", "items", "labels" };
                var sites = yaml.Where(y => y.Key is not null && keys.Contains(y.Key)).ToList();
                if (sites.Count == 0) return null;
                var site = sites[random.Next(sites.Count)];
                var end = site.Line + 1;
                while (end < lines.Count && IsInside(lines[end], site.KeyColumn)) end++;
                lines.RemoveRange(site.Line + 1, end - site.Line - 1);
                var empty = site.Key == "labels" ? "{}" : "[]";
                lines[site.Line] = lines[site.Line][..site.KeyColumn] + site.Key + ": " + empty;
                var code = site.Key == "options" && !file.IsTranslation ? "CE0104" : null;
                return Text($"'{site.Key}: {empty}' at line {site.Line + 1} ({end - site.Line - 1} lines of items removed)", lines, code);
            }
            case "odd-unicode":
            {
                string[] odd = ["\uFEFF", "\u200B", "\u202E", "\u0301\u0301\u0301", "\U0001F9D8", "\uFFFF", "\uFFFD", "\u00A0", "\u2028", "\u2029", "\uFDD0", "\U000E0001", "ﷺ", "\u0300"];
                var line = random.Next(lines.Count);
                var piece = odd[random.Next(odd.Length)];
                var column = random.Next(lines[line].Length + 1);
                lines[line] = lines[line].Insert(column, piece);
                return Text($"U+{char.ConvertToUtf32(piece, 0):X4} at line {line + 1}, column {column + 1}", lines);
            }
            case "invalid-utf8":
            {
                byte[][] bad = [[0xFF], [0xC0, 0x80], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFE, 0xFE]];
                var bytes = Sample.Bytes(file.Path);
                var at = random.Next(bytes.Length + 1);
                var piece = bad[random.Next(bad.Length)];
                var description = $"the bytes {Convert.ToHexString(piece)} (not UTF-8; {(piece.SequenceEqual(new byte[] { 0xED, 0xA0, 0x80 }) ? "a lone surrogate" : "malformed")}) at byte {at}";
                return new FuzzMutant(kind, file.Path, description, [.. bytes.AsSpan(0, at), .. piece, .. bytes.AsSpan(at)], "CE0003");
            }
            case "truncation":
            {
                var bytes = Sample.Bytes(file.Path);
                var at = random.Next(bytes.Length);
                return new FuzzMutant(kind, file.Path, $"cut at byte {at} of {bytes.Length}", bytes[..at]);
            }
            case "deleted-line":
            {
                var line = random.Next(lines.Count);
                lines.RemoveAt(line);
                return Text($"deleted line {line + 1}", lines);
            }
            case "duplicated-line":
            {
                var line = random.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return Text($"duplicated line {line + 1}", lines);
            }
            case "swapped-yaml-values":
            {
                var valued = yaml.Where(y => y.Key is not null && y.Value.Length > 0).ToList();
                if (valued.Count < 2) return null;
                var a = valued[random.Next(valued.Count)];
                var b = valued[random.Next(valued.Count)];
                if (a.Value == b.Value) return null;
                lines[a.Line] = lines[a.Line][..(lines[a.Line].Length - a.Value.Length)] + b.Value;
                lines[b.Line] = lines[b.Line][..(lines[b.Line].Length - b.Value.Length)] + a.Value;
                return Text($"swapped the values of '{a.Key}' (line {a.Line + 1}) and '{b.Key}' (line {b.Line + 1})", lines);
            }
            case "huge-number":
            {
                string[] huge = ["1e309", "-1e309", "99999999999999999999999999999", "2147483648", "-2147483649", "9223372036854775808", "1e-400", ".inf", "-.inf", ".nan", "0x7FFFFFFFFFFFFFFF", "1" + new string('0', 400)];
                var value = huge[random.Next(huge.Length)];
                var numbers = yaml.Where(y => y.Key is not null && y.HasPlainValue && double.TryParse(y.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToList();
                var conditions = SourceScan.Conditions(file).SelectMany(c => SourceScan.Numbers(c.Text).Select(n => (c, n))).ToList();
                if (conditions.Count > 0 && (numbers.Count == 0 || random.Next(2) == 0))
                {
                    var (c, n) = conditions[random.Next(conditions.Count)];
                    var start = c.Start + n.Start;
                    var inCondition = value.TrimStart('.', '-') is "inf" or "nan" ? "1" + new string('9', 40) : value;
                    lines[c.Line] = lines[c.Line][..start] + inCondition + lines[c.Line][(start + n.Number.Length)..];
                    return Text($"{inCondition} for {n.Number} in the condition at line {c.Line + 1}", lines);
                }
                if (numbers.Count == 0) return null;
                var y = numbers[random.Next(numbers.Count)];
                lines[y.Line] = lines[y.Line][..(lines[y.Line].Length - y.Value.Length)] + value;
                return Text($"'{y.Key}: {value}' at line {y.Line + 1}", lines);
            }
            case "long-line":
            {
                var length = random.Next(50_000, 400_000);
                var piece = random.Next(3) switch { 0 => "word ", 1 => "*", _ => "[" };
                var long_ = string.Concat(Enumerable.Repeat(piece, length / piece.Length));
                var valued = yaml.Where(y => y.Key is not null && y.HasPlainValue).ToList();
                if (valued.Count > 0 && random.Next(2) == 0)
                {
                    var y = valued[random.Next(valued.Count)];
                    lines[y.Line] += " " + long_.Replace("*", "x").Replace("[", "y");
                    return Text($"'{y.Key}' made {length} characters longer at line {y.Line + 1}", lines);
                }
                var at = BodyLine();
                if (at < 0) return null;
                lines.Insert(at, long_);
                return Text($"a line of {length} characters ('{piece}' repeated) at line {at + 1}", lines);
            }
            case "unclosed-directive":
            {
                var directives = SourceScan.Directives(file);
                if (directives is { Count: > 0 } && random.Next(2) == 0)
                {
                    var d = directives[random.Next(directives.Count)];
                    lines.RemoveAt(d.Close);
                    return Text($"deleted line {d.Close + 1}, the closing fence of '{d.Name}' (line {d.Open + 1})", lines, file.IsTranslation ? null : "CE0410");
                }
                var at = BodyLine();
                if (at < 0) return null;
                string[] openings = ["::: if {when=\"week >= 2\"}", "::: safety", "::: only {formats=\"web\"}", "::::: exercise", "::: audio {src=\"media/body-scan.mp3\" transcript=\"media/body-scan.txt\"}", "::: pause {seconds=5}"];
                var opening = openings[random.Next(openings.Length)];
                lines.Insert(at, opening);
                return Text($"'{opening}' opened at line {at + 1} and never closed", lines);
            }
            case "directive-attributes":
            {
                var directives = SourceScan.Directives(file);
                if (directives is not { Count: > 0 }) return null;
                var d = directives[random.Next(directives.Count)];
                string[] attributes =
                [
                    "{ref=}", "{ref=\"../../../etc/passwd\"}", "{when=\"(((\"}", "{when=\"\"}", "{formats=\"\"}", "{seconds=\"-1\"}",
                    "{seconds=99999999999999999999}", "{#id .class onclick=\"alert(1)\"}", "{src=\"https://example.org/x.mp3\"}",
                    "{title=\"" + new string('t', 5000) + "\"}", "{captions=\"media/cover.svg\"}", "{{{}}}", "{=\"\"}", "{key=value key=value}",
                ];
                const string alphabet = "abc{}=\"'#.-: \\[]()<>&*0123456789";
                var attribute = random.Next(3) == 0
                    ? new string([.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])])
                    : attributes[random.Next(attributes.Length)];
                var open = lines[d.Open];
                var brace = open.IndexOf('{', StringComparison.Ordinal);
                lines[d.Open] = (brace < 0 ? open.TrimEnd() + " " : open[..brace]) + attribute;
                return Text($"'{d.Name}' at line {d.Open + 1} given the attributes {(attribute.Length > 60 ? attribute[..60] + "…" : attribute)}", lines);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such fuzz kind");
        }
    }

    /// <summary>The line belongs to the block value of a key at <paramref name="keyColumn"/>: blank, or indented further, or a list item at its column.</summary>
    private static bool IsInside(string line, int keyColumn)
    {
        if (line.Trim().Length == 0 || line.Trim() == "---") return line.Trim().Length == 0;
        var indent = line.Length - line.TrimStart(' ').Length;
        return indent > keyColumn || (indent == keyColumn && line.TrimStart().StartsWith("- ", StringComparison.Ordinal));
    }
}
