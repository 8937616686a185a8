using System.Globalization;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Cli;

/// <summary><c>contentengine inspect &lt;package&gt;</c>: opens a package with the runtime library, which verifies it, and prints what it holds.</summary>
public static class Inspect
{
    public static int Run(IReadOnlyList<string> positionals, TextWriter stdout, TextWriter stderr) => Run(positionals, [], stdout, stderr);

    /// <param name="trusted">public key files or fingerprints (--trust): when given, the package must be signed by one of them.</param>
    public static int Run(IReadOnlyList<string> positionals, IReadOnlyList<string> trusted, TextWriter stdout, TextWriter stderr)
    {
        if (positionals.Count != 1)
        {
            stderr.WriteLine("contentengine: inspect takes one package: contentengine inspect <id>-<version>.cepkg");
            return CommandLine.UsageError;
        }
        var keys = new List<PublisherKey>();
        foreach (var key in trusted)
        {
            try
            {
                keys.Add(File.Exists(key) ? PublisherKey.FromPemFile(key) : PublisherKey.FromFingerprint(key));
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                return CommandLine.Fail(stderr, $"--trust takes a public key file (PEM) or a key fingerprint of 64 hexadecimal digits; '{key}' is neither ({e.Message.Split(" (Parameter", 2)[0]})");
            }
        }
        if (Open(positionals[0], stderr, out var exit, new PackageOpenOptions { TrustedPublishers = keys }) is not { } package) return exit;
        stdout.Write(Summary(package));
        return CommandLine.Success;
    }

    /// <summary>
    /// Opens a package with the runtime library, which verifies it; null (and the exit code in <paramref name="exit"/>)
    /// after saying on <paramref name="stderr"/> why it was refused or could not be read. Shared by inspect and diff.
    /// </summary>
    internal static ProgramPackage? Open(string path, TextWriter stderr, out int exit, PackageOpenOptions? options = null)
    {
        exit = CommandLine.Success;
        if (!File.Exists(path))
        {
            stderr.WriteLine($"contentengine: there is no file '{path}'");
            exit = CommandLine.UsageError;
            return null;
        }
        try
        {
            // Every file hashed: inspect and diff vouch for the whole package.
            var package = ProgramPackage.Open(path, options ?? new PackageOpenOptions());
            package.Verify();
            return package;
        }
        catch (PackageException e)
        {
            stderr.WriteLine($"{path}: refused: {e.Message}");
            exit = CommandLine.ContentErrors;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"contentengine: '{path}' cannot be read ({e.Message})");
            exit = CommandLine.UsageError;
        }
        return null;
    }

    /// <summary>The summary and the path through phases and weeks, in the program's default locale.</summary>
    public static string Summary(ProgramPackage package)
    {
        var m = package.Manifest;
        var p = package.Program;
        var locale = p.DefaultLocale;
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        w.WriteLine($"{p.Id} {p.Version}: {p.Title.Get(locale)}");
        w.WriteLine($"  package format {m.PackageFormat}, graph format {m.GraphFormat}, made by {m.Generator}" + (m.Created is { } c ? $" at {c}" : ", no creation time"));
        w.WriteLine($"  verified: {Plural.Count(m.Files.Length, "file", "files")}, every SHA-256 matches, nothing missing or added");
        w.WriteLine(package.Signature is { } s
            ? $"  signed by {s.Signer}, key {s.Fingerprint}" + (s.Trusted ? " (trusted)" : " (not checked against a trusted key: give it with --trust)")
            : "  not signed");
        w.WriteLine($"  locales: {string.Join(", ", p.Locales.Select((l, i) => i == 0 ? l + " (default)" : l))}");
        w.WriteLine($"  bundles: {(m.Bundles.IsEmpty ? "none" : string.Join(", ", m.Bundles))}");
        w.WriteLine($"  {Plural.Count(p.Modules.Length, "module", "modules")} ({p.Modules.Count(x => x.Optional)} optional), {Plural.Count(p.Worksheets.Length, "worksheet", "worksheets")}, {Plural.Count(p.TotalWeeks, "week", "weeks")}, release {p.Release.ToString().ToLowerInvariant()}");
        w.WriteLine();
        w.WriteLine("Path:");
        foreach (var phase in p.Phases)
        {
            if (phase.PauseBefore > 0)
                w.WriteLine($"  pause: week{(phase.PauseBefore == 1 ? $" {phase.FirstWeek - 1}" : $"s {phase.FirstWeek - phase.PauseBefore}-{phase.FirstWeek - 1}")}, no new modules");
            var choose = phase.Choose is { } rule
                ? rule.Max is { } max
                    ? $"; the patient chooses {(rule.Min == max ? $"{max}" : $"{rule.Min} to {max}")} optional {Plural.Form(max, "module", "modules")}"
                    : $"; the patient chooses at least {rule.Min} optional {Plural.Form(rule.Min, "module", "modules")}"
                : string.Empty;
            w.WriteLine($"  {phase.Id} \"{phase.Title.Get(locale)}\": weeks {phase.FirstWeek}-{phase.LastWeek}{choose}");
            foreach (var week in p.Modules.Where(x => x.Phase == phase.Id).GroupBy(x => x.ProgramWeek).OrderBy(g => g.Key))
            {
                w.WriteLine($"    week {week.Key}:");
                foreach (var module in week)
                {
                    var notes = new List<string>();
                    if (module.Optional) notes.Add("optional");
                    if (!module.Requires.IsEmpty) notes.Add("requires " + string.Join(", ", module.Requires));
                    if (module.OfferWhen is { } offer) notes.Add("recommended when " + offer.Source);
                    var minutes = module.Minutes ?? (int)Math.Round(module.EstimatedMinutes);
                    w.WriteLine($"      {module.Id} \"{module.Title.Get(locale)}\", {minutes} min" + (notes.Count > 0 ? $" ({string.Join("; ", notes)})" : string.Empty));
                }
            }
        }
        Approval.Write(w, p);
        return w.ToString();
    }
}
