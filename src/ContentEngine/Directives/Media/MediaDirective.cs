using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Directives;

/// <summary>
/// <c>::: audio {src=… transcript=…}</c> and <c>::: video {src=… captions=…}</c>: a recording from the program's
/// media, never without its words. The two share their checks, so they share this folder. An audio's <c>lang</c> is the
/// language spoken in the recording (default: the program's default locale); a text in another locale that uses it
/// without a transcript in its own language (<see cref="MediaLanguage"/>) is warned about (CE0422).
/// </summary>
public sealed partial class MediaDirective(string name)
    : DirectiveKind(name, name == "audio" ? ["src", "transcript", "title", "lang"] : ["src", "captions", "title"], ["src", CompanionOf(name)], "src", ", the path of the file under media/")
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
        return ok & (!IsAudio || CheckLanguage(binding));
    }

    /// <summary>
    /// A language code in <c>lang</c> (as the program's locales are written), and the recording's language against the
    /// text's locale: a mismatch is a warning (CE0422) at <c>lang</c>, or at the directive when the default applies.
    /// </summary>
    private bool CheckLanguage(DirectiveBinding binding)
    {
        var written = binding.Attributes.TryGetValue("lang", out var lang);
        if (written && !LanguageCode().IsMatch(lang!))
        {
            binding.Diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, binding.ValueAt("lang"), Name,
                $"has lang=\"{lang}\", which is not a language code; write the language spoken in the recording as the program's locales are written, such as lang=\"en\" or lang=\"sv\"");
            return false;
        }
        var spoken = written ? lang! : binding.ProgramLocale;
        if (spoken is null || binding.Locale is not { } locale || MediaLanguage.Same(spoken, locale)) return true;
        var transcript = binding.Attributes.GetValueOrDefault("transcript");
        if (transcript is not null && MediaLanguage.TranscriptIn(transcript, locale)) return true;
        binding.Diagnostics.Report(DiagnosticDescriptors.RecordingLanguage, written ? binding.ValueAt("lang") : binding.NameLocation,
            binding.Attributes.GetValueOrDefault("src", "?"), spoken, written ? string.Empty : " (it names no lang, so it is taken to speak the program's default locale)",
            locale, MediaLanguage.TranscriptName(transcript ?? "media/recording.txt", locale));
        return true;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial System.Text.RegularExpressions.Regex LanguageCode();

    /// <summary>Reports a file that is not what its use needs (CE0421) at the attribute's value.</summary>
    private static bool WrongFormat(DirectiveBinding binding, string attribute, string path, AssetKind kind)
    {
        if (binding.Assets.FormatOf(path, kind) is not { } problem) return false;
        binding.Diagnostics.Report(DiagnosticDescriptors.MediaFormat, binding.ValueAt(attribute), path, problem.Found, problem.Fix);
        return true;
    }
}
