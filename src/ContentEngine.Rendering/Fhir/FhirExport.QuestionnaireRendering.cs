using System.Collections.Immutable;
using System.Text;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;
using F = Hl7.Fhir.Model;
using Item = Hl7.Fhir.Model.Questionnaire.ItemComponent;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// What a Questionnaire needs so that a form renderer shows it on its own: the variables its expressions read, declared
/// with values for a patient of whom nothing is known yet, and the words the export adds (a diary's entry, a score's text,
/// a scale's range), in every locale of the program.
/// </summary>
public static partial class FhirExport
{
    internal const string VariableUrl = "http://hl7.org/fhir/StructureDefinition/variable";
    internal const string EntryFormatUrl = "http://hl7.org/fhir/StructureDefinition/entryFormat";

    /// <summary>
    /// The variables a Questionnaire's expressions may read, in the order they are declared, each with the FHIRPath its SDC
    /// <c>variable</c> extension holds: the value for a patient who has nothing recorded (no responses, no module completed or
    /// chosen, the first program week). A renderer that evaluates the Questionnaire on its own uses these; a platform with the
    /// patient's state supplies the real values (see docs/package-format.md, section 7).
    /// </summary>
    internal static readonly IReadOnlyList<(string Name, string Standalone)> Variables =
    [
        (FhirPathCompiler.ResponsesVariable, "{}"),
        (FhirPathCompiler.ProgramWeekVariable, "1"),
        (FhirPathCompiler.CompletedVariable, "{}"),
        (FhirPathCompiler.ChosenVariable, "{}"),
    ];

    /// <summary>Declares, on the Questionnaire, every variable of <see cref="Variables"/> that one of its expressions reads.</summary>
    private static void DeclareVariables(F.Questionnaire q)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expression in Expressions(q.Item))
            foreach (var name in VariablesRead(expression))
                used.Add(name);
        foreach (var (name, standalone) in Variables)
            if (used.Contains(name))
                q.Extension.Add(new F.Extension(VariableUrl, new F.Expression { Name = name, Language = FhirPathCompiler.Language, Expression_ = standalone }));
    }

    private static IEnumerable<string> Expressions(IEnumerable<Item> items)
    {
        foreach (var item in items)
        {
            foreach (var extension in item.Extension)
                if (extension.Value is F.Expression { Expression_: { } text }) yield return text;
            foreach (var nested in Expressions(item.Item)) yield return nested;
        }
    }

    /// <summary>The names after <c>%</c> in a FHIRPath expression, outside its string literals (<c>%`name`</c> too).</summary>
    internal static IEnumerable<string> VariablesRead(string expression)
    {
        for (var i = 0; i < expression.Length; i++)
        {
            var ch = expression[i];
            if (ch == '\'')
            {
                for (i++; i < expression.Length && expression[i] != '\''; i++)
                    if (expression[i] == '\\') i++;
                continue;
            }
            if (ch != '%' || i + 1 >= expression.Length) continue;
            var name = new StringBuilder();
            if (expression[i + 1] == '`')
            {
                for (i += 2; i < expression.Length && expression[i] != '`'; i++) name.Append(expression[i]);
            }
            else
            {
                for (i++; i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] == '_'); i++) name.Append(expression[i]);
                i--;
            }
            yield return name.ToString();
        }
    }

    /// <summary>A word of the built-in theme (the web bundle's words) in every locale of the program.</summary>
    private static LocalizedText Words(ProgramGraph g, string key, Func<string, string, string>? shape = null) =>
        new(g.Locales.ToImmutableSortedDictionary(locale => locale,
            locale => shape is null ? Theme.BuiltIn.Strings.Get(locale, key) : shape(locale, Theme.BuiltIn.Strings.Get(locale, key)),
            StringComparer.Ordinal));

    /// <summary>A diary's entry group: "Entry", as the web bundle names one (without its number).</summary>
    private static LocalizedText EntryText(ProgramGraph g) =>
        Words(g, "ws.entry", (_, s) => s.Replace("{n}", "", StringComparison.Ordinal).Trim());

    /// <summary>A score's text, as the printed workbook names a score: "Your “total” score on “Flexibility with pain”".</summary>
    private static LocalizedText ScoreText(ProgramGraph g, Worksheet w, Score score) =>
        Words(g, "print-cond-score", (locale, s) =>
        {
            var text = s.Replace("{0}", score.Id, StringComparison.Ordinal).Replace("{1}", w.Title.Get(locale, g.DefaultLocale), StringComparison.Ordinal);
            return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
        });

    /// <summary>
    /// A scale's range in words for the entry format hint: <c>0 = No pain … 10 = Worst pain</c>, the labels at its ends
    /// (<c>0 … 10</c> without them). Renderers without a slider show it in the input box.
    /// </summary>
    private static LocalizedText ScaleRangeText(ProgramGraph g, Field f, double min, double max)
    {
        var lower = f.Labels.FirstOrDefault(l => l.Value == min);
        var upper = f.Labels.FirstOrDefault(l => l.Value == max);
        string End(string locale, double value, ScaleLabel? label) =>
            label is null ? Num(value) : $"{Num(value)} = {label.Text.Get(locale, g.DefaultLocale)}";
        return new LocalizedText(g.Locales.ToImmutableSortedDictionary(locale => locale,
            locale => $"{End(locale, min, lower)} … {End(locale, max, upper)}", StringComparer.Ordinal));
    }
}
