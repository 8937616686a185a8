using System.Globalization;
using ContentEngine.Diagnostics;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Footnotes;
using Markdig.Syntax;

namespace ContentEngine.Directives;

/// <summary><c>::: pause {seconds=…}</c>: words to say, then a silence of whole seconds; it holds paragraphs only.</summary>
public sealed class PauseDirective() : DirectiveKind("pause", ["seconds"], ["seconds"], "seconds", ", the length of the silence in whole seconds, as in seconds=30")
{
    /// <summary>The shortest and the longest silence a pause may ask for, in seconds.</summary>
    public const int MinSeconds = 1, MaxSeconds = 600;


    public override bool Bind(DirectiveBinding binding)
    {
        var ok = true;
        if (binding.Attributes.TryGetValue("seconds", out var written))
        {
            if (int.TryParse(written, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= MinSeconds and <= MaxSeconds)
            {
                binding.Attributes["seconds"] = seconds.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                ok = false;
                binding.Diagnostics.Report(DiagnosticDescriptors.PauseLength, binding.ValueAt("seconds"), MinSeconds, MaxSeconds, written, Hint(written));
            }
        }
        foreach (var inner in binding.Node.Where(b => b is not (ParagraphBlock or LinkReferenceDefinitionGroup or FootnoteGroup)))
        {
            ok = false;
            binding.Diagnostics.Report(DiagnosticDescriptors.PauseContent, binding.BlockAt(inner), ContentKind(inner),
                inner is CustomContainer ? "; close the pause first and put it after" : "; put it before or after the pause");
        }
        return ok;
    }

    /// <summary>What a pause's seconds probably meant, when that can be told from how they were written.</summary>
    private static string Hint(string written)
    {
        var text = written.Trim();
        var digits = new string([.. text.TakeWhile(char.IsAsciiDigit)]);
        if (digits.Length > 0 && digits.Length < text.Length && text[digits.Length..].Trim().ToLowerInvariant() is "s" or "sec" or "secs" or "second" or "seconds" or "sek" or "sekunder")
            return $"; write the number alone, as in seconds={digits}";
        if (text.Split(':') is [var m, var sec] && int.TryParse(m, out var mm) && int.TryParse(sec, out var ss))
            return $"; write minutes as seconds, as in seconds={mm * 60 + ss}";
        if (double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (value > MaxSeconds)
                return $"; a silence of more than {MaxSeconds / 60} minutes is better left to the listener: say in the text to pause the recording, and give the exercise its minutes";
            if (value >= 1 && value != Math.Floor(value))
                return $"; a pause is whole seconds, such as seconds={(int)Math.Round(value, MidpointRounding.AwayFromZero)}";
            if (value < MinSeconds)
                return "; the gaps between sentences are already there, so a pause needs at least one second";
        }
        return string.Empty;
    }

    private static string ContentKind(Block block) => block switch
    {
        HeadingBlock => "a heading",
        ListBlock => "a list",
        QuoteBlock => "a quote",
        Markdig.Extensions.Tables.Table => "a table",
        ThematicBreakBlock => "a '---' line",
        CodeBlock => "a code block",
        CustomContainer c => $"'::: {c.Info}'",
        _ => "this block",
    };
}
