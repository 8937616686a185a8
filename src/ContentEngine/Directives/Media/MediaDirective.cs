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
            if (binding.ResolveAsset(src, binding.ValueAt("src"), kind) is { } path)
            {
                binding.Attributes["src"] = path;
                if (kind == AssetKind.Audio && binding.Assets.Describe(path, kind).DurationSeconds is { } seconds)
                    binding.Totals.RecordedSeconds += seconds;
            }
            else ok = false;
        }
        if (binding.Attributes.TryGetValue(Companion, out var text))
        {
            if (binding.ResolveAsset(text, binding.ValueAt(Companion), IsAudio ? AssetKind.Transcript : AssetKind.Captions) is { } path)
                binding.Attributes[Companion] = path;
            else ok = false;
        }
        return ok;
    }
}
