using System.Collections.Immutable;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Runtime.Programs;

/// <summary>
/// A worksheet a module gives as homework: one its body places (<c>::: worksheet {ref=…}</c>, in the program's
/// default locale) outside any <c>::: if</c>, so every patient of the module meets it. It is <see cref="IsRequired"/>
/// when it is a form or questionnaire with required fields: the module cannot be marked done until
/// <c>answered(worksheet)</c> holds (every required field answered). The web bundle's done button and
/// <see cref="Patients.PatientRecordChanges.CompleteModule"/> both read it from here.
/// </summary>
public sealed record Homework(Worksheet Worksheet, ImmutableArray<string> RequiredFields)
{
    /// <summary>Whether the module waits for it: a form or questionnaire with at least one required field (a diary runs on after the module).</summary>
    public bool IsRequired => Worksheet.Kind != WorksheetKind.Diary && RequiredFields.Length > 0;

    /// <summary>The worksheets <paramref name="module"/> places for every patient, in the order of its body.</summary>
    public static ImmutableArray<Homework> Of(ProgramGraph program, Module module)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(module);
        var content = module.Content.TryGetValue(program.DefaultLocale, out var c) ? c : module.Content.Values.FirstOrDefault();
        if (content is null) return [];
        return [.. content.Blocks.AllDirectives()
            .Where(d => d.Enclosing.IsEmpty && d.Directive.Name == "worksheet")
            .Select(d => d.Directive.Attributes.TryGetValue("ref", out var id) ? program.FindWorksheet(id) : null)
            .OfType<Worksheet>()
            .Distinct()
            .Select(w => new Homework(w, [.. w.Fields.Where(f => f.Required).Select(f => f.Id)]))];
    }

    /// <summary>Whether the patient has done it as <c>answered(worksheet)</c> reads it.</summary>
    public bool IsDone(PatientState state) =>
        Evaluator.IsTrue(new StateCall(StateFunction.Answered, Worksheet.Id, RequiredFields, Worksheet.Kind == WorksheetKind.Diary, 0, 0), state);
}
