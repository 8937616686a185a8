using System.Collections.Immutable;
using System.CommandLine;
using ContentEngine.Compilation;
using ContentEngine.Output;
using ContentEngine.Rendering.Print;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>contentengine build &lt;program&gt;</c>: compiles the program as check does and, without errors, writes
/// graph.json and the bundles asked for (none named: all) into a fresh folder swapped in at the end (OutputFolder).
/// </summary>
internal static class BuildCommand
{
    /// <summary>The parts a build can write, each a flag of its own, in the order help lists them.</summary>
    private static readonly (string Name, string Writes)[] Parts =
    [
        ("graph", "graph.json, the whole program as the compiler understood it"),
        ("web", "the web bundle, web/<locale>/…"),
        ("print", "the print bundle, print/<locale>/workbook.pdf and worksheets.pdf (needs Chromium)"),
        ("audio", "the audio bundle, audio/<locale>/… (needs ffmpeg and espeak-ng)"),
        ("package", "the package, <id>-<version>.cepkg, holding the bundles built with it"),
    ];

    private sealed record Options(string? Output, PaperSize Paper, string? BaseUrl, string? Cache, Runtime.Packaging.PackageSigner? Signer = null, bool LargePrint = false)
    {
        /// <summary>--speech-command: the speech engine's command for every locale, over program.yaml's.</summary>
        public Speech.SpeechCommand? SpeechCommand { get; init; }

        /// <summary>--allow-speech-command: program.yaml's speech command may run.</summary>
        public bool AllowSpeechCommand { get; init; }

        /// <summary>program.yaml's <c>speech</c>, with --speech-command.</summary>
        public Speech.SpeechSettings Voice { get; init; } = Speech.SpeechSettings.Default;
    }

    public static Command Create(CommonOptions common)
    {
        var program = CheckCommand.ProgramArgument();
        var output = CommonOptions.Text("--output", "dir", "a folder", "where build writes (default: out/<program id>)", "-o");
        var paper = CommonOptions.Valued<PaperSize?>("--paper", "a4|letter", "a4 or letter", "the page size of the print bundle (default: a4)",
            text => text.ToLowerInvariant() switch { "a4" => PaperSize.A4, "letter" => PaperSize.Letter, _ => null }, "--paper takes a4 or letter");
        var largePrint = CommonOptions.Flag("--large-print",
            "also write a large-print workbook and worksheets (16 pt text, more room to write) beside the normal ones: print/<locale>/workbook-large-print.pdf and worksheets-large-print.pdf");
        var baseUrl = CommonOptions.Valued<string?>("--base-url", "url", "an address", "where the audio bundle will be served: needed for its podcast feed, whose links are absolute under it",
            text => Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? text.TrimEnd('/') : null,
            "--base-url takes an absolute http or https address, such as https://example.org/programs/pain/audio");
        var cache = CommonOptions.Text("--cache", "dir", "a folder",
            "where finished audio tracks are kept between builds (default: $XDG_CACHE_HOME/contentengine, else ~/.cache/contentengine)");
        var sign = CommonOptions.Text("--sign", "key file", "a private key file",
            "sign the package with this private key (ECDSA P-256 in PEM, made by contentengine key new); needs --signer");
        var signer = CommonOptions.Text("--signer", "name", "a name", "the name the package is signed with, such as the clinic's");
        var speechCommand = CommonOptions.Text("--speech-command", "command", "a command line",
            "the audio bundle's speech engine for every locale, over program.yaml's speech.engine.command, such as \"piper --model voice.onnx --output_file {output}\" (placeholders {output}, {text}, {locale}, {rate}, {length_scale})");
        var allowSpeechCommand = CommonOptions.Flag("--allow-speech-command",
            "let the audio build run the speech command that program.yaml names (speech.engine.command); without it such a build stops, since a program folder from elsewhere could run any command on this computer");
        var parts = Parts.Select(p => (p.Name, Flag: CommonOptions.Flag("--" + p.Name, $"write {p.Writes}"))).ToList();

        var command = new ContentEngineCommand("build", "compile the program and write graph.json, the bundles and the package; none named: all of them",
            "build takes one program folder: contentengine build <program>") { program, output };
        foreach (var (_, flag) in parts) command.Add(flag);
        foreach (var option in new Option[] { paper, largePrint, baseUrl, cache, sign, signer, speechCommand, allowSpeechCommand, common.Format, common.WarnAsError, common.Today }) command.Add(option);
        command.SetAction((result, stdout, stderr) =>
        {
            var wanted = parts.Where(p => result.GetValue(p.Flag)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            if (Signer(result.GetValue(sign), result.GetValue(signer), wanted, out var packageSigner) is { } refused) return CommandLine.Fail(stderr, refused);
            Speech.SpeechCommand? command = null;
            if (result.GetValue(speechCommand) is { } template && (command = Speech.SpeechCommand.Parse(template, out var why)) is null)
                return CommandLine.Fail(stderr, $"--speech-command {why}");
            using (packageSigner)
            {
                var options = new Options(result.GetValue(output), result.GetValue(paper) ?? PaperSize.A4, result.GetValue(baseUrl), result.GetValue(cache), packageSigner,
                    result.GetValue(largePrint)) { SpeechCommand = command, AllowSpeechCommand = result.GetValue(allowSpeechCommand) };
                return Run(CheckCommand.RequestOf(result, program, common), wanted.Count == 0 ? null : wanted, options, stdout, stderr);
            }
        });
        return command;
    }

    /// <summary>The signer --sign and --signer ask for (null when not signing), or why they cannot be used.</summary>
    private static string? Signer(string? keyFile, string? name, IReadOnlySet<string> wanted, out Runtime.Packaging.PackageSigner? signer)
    {
        signer = null;
        if (keyFile is null) return name is null ? null : "--signer names who signs; give the key with --sign <key file> too";
        if (wanted.Count > 0 && !wanted.Contains("package")) return "--sign signs the package: add --package, or name no part to build everything";
        if (name is null) return "--sign needs the name to sign with: --signer \"<name>\", such as the clinic's";
        string pem;
        try
        {
            pem = File.ReadAllText(keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the key file '{keyFile}' cannot be read ({e.Message})";
        }
        try
        {
            signer = Runtime.Packaging.PackageSigner.FromPem(pem, name);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"'{keyFile}' cannot sign: {e.Message.Split(" (Parameter", 2)[0]}; make a key with contentengine key new <file>";
        }
    }

    private static int Run(CheckCommand.Request request, IReadOnlySet<string>? bundles, Options o, TextWriter stdout, TextWriter stderr)
    {
        if (CheckCommand.Compile(request, stdout, stderr, out var exit, out CompilationResult? compiled) is not var (graph, warnings, epoch)) return exit;
        var speech = compiled!.Speech;
        if (speech.Commands.Count > 0 && o.SpeechCommand is null && !o.AllowSpeechCommand && (bundles is null || bundles.Contains("audio")))
            return CommandLine.Fail(stderr, $"program.yaml's speech.engine.command would run '{speech.Commands.Values.First().Arguments[0]}' on this computer to speak the audio bundle; "
                + "build with --allow-speech-command if you trust this program folder, or with --speech-command to give the command yourself");
        if (o.SpeechCommand is { } command) speech = speech with { Commands = graph.Locales.ToImmutableSortedDictionary(l => l, _ => command, StringComparer.Ordinal) };
        var folder = request.Folder;
        var output = o.Output ?? Path.Combine("out", graph.Id);
        Rendering.Web.Theme theme;
        try
        {
            theme = Rendering.Web.Theme.Load(folder, graph.Theme);
        }
        catch (Rendering.Web.ThemeException e)
        {
            stderr.WriteLine($"contentengine: {e.Message}");
            return CommandLine.UsageError;
        }
        using (var rendering = Progress.Start(stderr, "Rendering"))
        {
            try
            {
                Render(output, folder, graph, theme, bundles, epoch, o with { Voice = speech }, rendering);
            }
            catch (Exception e) when (e is OutputFolderException or Rendering.Web.ThemeException or PrintException
                // Audio: a tool missing, failing, or a locale without a voice: the machine, not the content.
                or Rendering.Audio.AudioException)
            {
                stderr.WriteLine($"contentengine: {e.Message}");
                return CommandLine.UsageError;
            }
        }
        // Not a warning: a build without a feed is complete for every other use; the line says how to get one.
        if ((bundles is null || bundles.Contains("audio")) && o.BaseUrl is null) stderr.WriteLine($"contentengine: {Rendering.Audio.PodcastFeed.NoBaseUrlNote}");
        if (request.Format == "human") stderr.WriteLine($"{request.Display}: wrote {output}; {warnings}");
        // Asked for the web bundle alone: its module pages have no player, and say nothing of it themselves.
        if (request.Format == "human" && bundles is not null && bundles.Contains("web") && !bundles.Contains("audio"))
            stderr.WriteLine("The web bundle has no audio players: build with --audio too (needs ffmpeg and espeak-ng) to put each module's track in it.");
        return CommandLine.Success;
    }

    /// <summary>The folder kept between builds for finished audio tracks.</summary>
    private static string CacheFolder(Options o)
    {
        if (o.Cache is not null) return o.Cache;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "contentengine");
    }

    /// <summary>Writes graph.json and the bundles asked for (null: all) into a fresh folder swapped in at the end (OutputFolder).</summary>
    private static void Render(string output, string program, Model.ProgramGraph graph, Rendering.Web.Theme theme, IReadOnlySet<string>? bundles, long? epoch, Options o, Progress? progress)
    {
        bool Wanted(string name) => bundles is null || bundles.Contains(name);
        OutputFolder.Replace(output, program, graph.Id, bundles, temp =>
        {
            if (Wanted("graph")) File.WriteAllText(Path.Combine(temp, "graph.json"), GraphJson.Write(graph));
            var built = new Dictionary<string, Rendering.Bundle>(StringComparer.Ordinal);
            // Audio before web: the web bundle carries the audio bundle's tracks for its module pages' players.
            if (Wanted("audio"))
            {
                var audio = Rendering.Audio.AudioRenderer.Render(graph, new Rendering.Audio.AudioOptions
                {
                    CacheFolder = CacheFolder(o),
                    BaseUrl = o.BaseUrl,
                    SourceDateEpoch = epoch,
                    Strings = theme.Strings,
                    Voice = o.Voice,
                    Speech = Rendering.Audio.SpeechEngines.For(o.Voice, program, o.SpeechCommand is null ? "speech.engine.command in program.yaml" : "--speech-command"),
                    Progress = (done, total, name) => progress?.Update($"Audio: {done} of {Plural.Count(total, "track", "tracks")} ({name})"),
                });
                audio.WriteTo(Path.Combine(temp, "audio"));
                built["audio"] = audio;
            }
            if (Wanted("web"))
            {
                // Built with the audio bundle, the web bundle carries the tracks (web/<locale>/audio/) and their transcripts'
                // pages, so each module page plays its track wherever web/ alone is hosted; built without it, no player.
                var web = Rendering.Web.WebRenderer.Render(graph, new Rendering.Web.WebOptions
                {
                    Theme = theme,
                    Audio = built.TryGetValue("audio", out var audio) ? Rendering.Audio.AudioRenderer.Describe(audio) : null,
                });
                web.WriteTo(Path.Combine(temp, "web"));
                built["web"] = web;
            }
            if (Wanted("print"))
            {
                var print = PrintRenderer.RenderAsync(graph, new PrintOptions
                {
                    Theme = theme,
                    Paper = o.Paper,
                    LargePrint = o.LargePrint,
                    SourceDateEpoch = epoch,
                    Progress = path => progress?.Update($"Print: {path}"),
                }).GetAwaiter().GetResult();
                print.WriteTo(Path.Combine(temp, "print"));
                built["print"] = print;
            }
            if (Wanted("package"))
            {
                var package = Rendering.Package.PackageWriter.Write(graph, new Rendering.Package.PackageOptions { Theme = theme, Bundles = built, SourceDateEpoch = epoch, Signer = o.Signer });
                File.WriteAllBytes(Path.Combine(temp, Rendering.Package.PackageWriter.FileName(graph)), package);
            }
        });
    }
}
