using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Directives;

/// <summary>
/// <c>::: audio {src=… transcript=…}</c> and <c>::: video {src=… captions=…}</c>: a recording from the program's
/// media, never without its words. The two share their checks, so they share this folder.
/// </summary>
public sealed class MediaDirective(string name)
    : DirectiveKind(name, ["src", CompanionOf(name), "title"], ["src", CompanionOf(name)], "src", ", the path of the file under media/")
{
    private bool IsAudio => Name == "audio";
    private string Companion => CompanionOf(Name);

    /// <summary>The attribute that gives a recording its words: an audio's transcript, a video's captions.</summary>
    private static string CompanionOf(string name) => name == "audio" ? "transcript" : "captions";

    public override bool ReportMissing(DirectiveBinding binding, string attribute)
    {
        if (attribute != Companion) return false;
        binding.Diagnostics.Report(IsAudio ? DiagnosticDescriptors.AudioWithoutTranscript : DiagnosticDescriptors.VideoWithoutCaptions,
            binding.NameLocation, binding.Attributes.GetValueOrDefault("src", "?"));
        return true;
    }

    public override bool Bind(DirectiveBinding binding)
    {
        var ok = true;
        var kind = IsAudio ? AssetKind.Audio : AssetKind.Video;
        if (binding.Attributes.TryGetValue("src", out var src))
        {
            if (binding.ResolveAsset(src, binding.ValueAt("src"), kind) is { } path && !WrongFormat(binding, "src", path, kind))
            {
                binding.Attributes["src"] = path;
                if (kind == AssetKind.Audio && binding.Assets.Describe(path, kind).DurationSeconds is { } seconds)
                    binding.Totals.RecordedSeconds += seconds;
            }
            else ok = false;
        }
        if (binding.Attributes.TryGetValue(Companion, out var text))
        {
            var textKind = IsAudio ? AssetKind.Transcript : AssetKind.Captions;
            if (binding.ResolveAsset(text, binding.ValueAt(Companion), textKind) is { } path && !WrongFormat(binding, Companion, path, textKind))
                binding.Attributes[Companion] = path;
            else ok = false;
        }
        return ok;
    }

    /// <summary>Reports a file that is not what its use needs (CE0421) at the attribute's value.</summary>
    private static bool WrongFormat(DirectiveBinding binding, string attribute, string path, AssetKind kind)
    {
        if (binding.Assets.FormatOf(path, kind) is not { } problem) return false;
        binding.Diagnostics.Report(DiagnosticDescriptors.MediaFormat, binding.ValueAt(attribute), path, problem.Found, problem.Fix);
        return true;
    }
}
