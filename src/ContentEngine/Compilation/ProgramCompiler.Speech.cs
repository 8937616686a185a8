using System.Collections.Immutable;
using ContentEngine.Diagnostics;
using ContentEngine.Speech;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>program.yaml's <c>speech</c>: the audio bundle's pace and speech engine (see <see cref="SpeechSettings"/>).</summary>
public sealed partial class ProgramCompiler
{
    private SpeechSettings BindSpeech(MappingReader program)
    {
        if (program.Mapping("speech") is not { } map) return SpeechSettings.Default;
        var r = new MappingReader(map, "speech", _context, "rate", "exercise_rate", "word_gap", "engine");
        var rates = PerLocale<int>(r, "rate", Rate);
        var exerciseRates = PerLocale<int>(r, "exercise_rate", Rate);
        var gap = r.Integer("word_gap", null, 0, SpeechSettings.MaxWordGapMilliseconds) ?? 0;
        var commands = ImmutableSortedDictionary<string, SpeechCommand>.Empty;
        if (r.Mapping("engine") is { } engine)
        {
            var er = new MappingReader(engine, "speech.engine", _context, "command");
            commands = PerLocale<SpeechCommand>(er, "command", Command);
        }
        // Exercises are to be slower: the same rate or a faster one for them is almost certainly a slip.
        var faster = exerciseRates.Select(e => (Locale: e.Key, Exercise: e.Value, Rate: rates.GetValueOrDefault(e.Key, SpeechSettings.DefaultRate)))
            .FirstOrDefault(e => e.Exercise > e.Rate);
        if (faster.Locale is not null)
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.Node("exercise_rate")!.Location, "exercise_rate",
                $"is {faster.Exercise} words per minute for {faster.Locale}, faster than the rate of its other text ({faster.Rate}); exercises are followed while doing them, so give them the same rate or a slower one");
        return new SpeechSettings { Rates = rates, ExerciseRates = exerciseRates, WordGapMilliseconds = gap, Commands = commands };
    }

    private bool Rate(YNode node, string key, out int rate)
    {
        rate = 0;
        if (node is YScalar s && s.TryGetNumber(out var n) && n == Math.Floor(n))
        {
            if (n is >= SpeechSettings.MinRate and <= SpeechSettings.MaxRate)
            {
                rate = (int)n;
                return true;
            }
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key,
                $"must be from {SpeechSettings.MinRate} to {SpeechSettings.MaxRate} words per minute, not {s.Value}; reading aloud is about 150");
            return false;
        }
        _diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, key, "words per minute, such as 150, or a map from locale to words per minute like {sv: 145, en: 150}", node.Describe());
        return false;
    }

    private bool Command(YNode node, string key, out SpeechCommand command)
    {
        command = null!;
        if (node is not YScalar { IsNull: false } s)
        {
            _diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, key, "a command line, or a map from locale to command line like {sv: …, en: …}", node.Describe());
            return false;
        }
        if (SpeechCommand.Parse(s.Value, out var error) is { } parsed)
        {
            command = parsed;
            return true;
        }
        _diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key, error!);
        return false;
    }

    private delegate bool Reader<T>(YNode node, string key, out T value);

    /// <summary>One value for every locale, or a map from locale to value; a locale left out of a map gets the default.</summary>
    private ImmutableSortedDictionary<string, T> PerLocale<T>(MappingReader r, string key, Reader<T> read)
    {
        var values = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        switch (r.Node(key))
        {
            case null:
                break;
            case YMapping m:
                foreach (var (k, v) in m.Entries)
                {
                    if (!_context.Locales.Contains(k.Value))
                        _diagnostics.Report(DiagnosticDescriptors.InvalidValue, k.Location, key,
                            $"has a value for '{k.Value}', which is not one of the program's locales ({string.Join(", ", _context.Locales)}){Suggestions.DidYouMean(k.Value, _context.Locales)}");
                    else if (read(v, $"{key}.{k.Value}", out var value)) values[k.Value] = value;
                }
                break;
            case var node:
                if (read(node, key, out var all))
                    foreach (var locale in _context.Locales) values[locale] = all;
                break;
        }
        return values.ToImmutable();
    }
}
