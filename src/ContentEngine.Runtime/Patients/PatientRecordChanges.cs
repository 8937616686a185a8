using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Patients;

/// <summary>
/// Changes to a patient's state, each checked against the program: the state given is never changed, a new one is
/// returned. A change the program's rules refuse throws <see cref="PatientChangeException"/> with every reason
/// (<see cref="PatientChangeException.Problems"/>), and nothing is changed; a state of another program throws
/// <see cref="PatientStateException"/> (<see cref="PatientStateError.OtherProgram"/>). Both derive from
/// <see cref="ContentEngineException"/>.
/// </summary>
/// <example>
/// <code>
/// record = record.RecordAnswer(program, "pain-rating", "intensity", Answer.Number(6))
///                .AddDiaryEntry(program, "sleep-diary", new DateOnly(2026, 9, 8), new Dictionary&lt;string, Answer&gt;
///                {
///                    ["bedtime"] = Answer.Time(new TimeOnly(23, 30)),
///                    ["wake-time"] = Answer.Time(new TimeOnly(6, 45)),
///                    ["hours"] = Answer.Number(6.5),
///                })
///                .CompleteModule(program, "physical-exercise", DateTimeOffset.UtcNow);
/// </code>
/// </example>
public static class PatientRecordChanges
{
    /// <summary>Answers <paramref name="field"/> of a form or questionnaire; <see cref="Answer.Null"/> clears it (as <see cref="ClearAnswer"/>).</summary>
    public static PatientRecord RecordAnswer(this PatientRecord record, ProgramGraph program, string worksheet, string field, Answer value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (sheet, f) = FormField(record, program, worksheet, field);
        var problems = new List<PatientChangeProblem>();
        AnswerRules.Check(f, value, $"{worksheet}.{field}", problems);
        Refuse(problems);
        var entry = record.Answers.TryGetValue(sheet.Id, out var stored) ? stored.Entries[0] : new AnswerEntry(null, []);
        return WithWorksheet(record, sheet.Id, RecordedWorksheet.Of(entry.With(field, value).Json));
    }

    /// <summary>Takes back the answer to <paramref name="field"/> of a form or questionnaire (nothing changes when it is not answered).</summary>
    public static PatientRecord ClearAnswer(this PatientRecord record, ProgramGraph program, string worksheet, string field)
    {
        var (sheet, _) = FormField(record, program, worksheet, field);
        if (!record.Answers.TryGetValue(sheet.Id, out var stored) || stored.Entries[0][field] is null) return record;
        var entry = stored.Entries[0].With(field, Answer.Null);
        return entry.Values.Count == 0 && !StoredJson.Properties(entry.Json).Any()
            ? WithWorksheet(record, sheet.Id, null)
            : WithWorksheet(record, sheet.Id, RecordedWorksheet.Of(entry.Json));
    }

    /// <summary>Adds an entry for <paramref name="date"/> (the patient's local date) to a diary, after the ones it has.</summary>
    public static PatientRecord AddDiaryEntry(this PatientRecord record, ProgramGraph program, string worksheet, DateOnly date, IEnumerable<KeyValuePair<string, Answer>> values)
    {
        var entry = DiaryEntry(record, program, worksheet, date, values);
        var entries = record.Answers.TryGetValue(worksheet, out var stored) ? stored.Entries : [];
        return WithWorksheet(record, worksheet, RecordedWorksheet.Diary([.. entries, entry]));
    }

    /// <summary>Replaces the diary's entry at <paramref name="index"/> (0 the oldest) with one for <paramref name="date"/>.</summary>
    public static PatientRecord ReplaceDiaryEntry(this PatientRecord record, ProgramGraph program, string worksheet, int index, DateOnly date, IEnumerable<KeyValuePair<string, Answer>> values)
    {
        var entry = DiaryEntry(record, program, worksheet, date, values);
        var entries = Entries(record, worksheet, index);
        return WithWorksheet(record, worksheet, RecordedWorksheet.Diary(entries.Select((e, i) => i == index ? entry : e)));
    }

    /// <summary>Removes the diary's entry at <paramref name="index"/> (0 the oldest).</summary>
    public static PatientRecord RemoveDiaryEntry(this PatientRecord record, ProgramGraph program, string worksheet, int index)
    {
        Worksheet(record, program, worksheet, diary: true);
        var entries = Entries(record, worksheet, index);
        return WithWorksheet(record, worksheet, entries.Count == 1 ? null : RecordedWorksheet.Diary(entries.Where((_, i) => i != index)));
    }

    /// <summary>
    /// Marks a module completed. It must be open for the patient at <paramref name="now"/> (or an optional module offered
    /// now, which completing makes theirs); a locked module is refused with its lock reasons in <paramref name="locale"/>,
    /// and so is a module whose required homework (<see cref="Homework"/>) is not answered.
    /// </summary>
    public static PatientRecord CompleteModule(this PatientRecord record, ProgramGraph program, string module, DateTimeOffset now, string? locale = null)
    {
        var status = Status(record, program, module, now, locale);
        if (status.State == ModuleState.Completed)
            throw new PatientChangeException(PatientChangeError.AlreadyCompleted, $"'{module}' is already completed: nothing to do");
        if (status.State == ModuleState.Locked)
            throw new PatientChangeException(PatientChangeError.ModuleLocked,
                $"'{module}' is locked ({string.Join("; ", status.Reasons.Select(r => r.Message))}): it can be completed once it is open");
        var progress = record.ToProgress(now);
        var state = new PatientState(1, progress.Completed, progress.Chosen, progress.Answers);
        var missing = Homework.Of(program, status.Module).Where(h => h.IsRequired && !h.IsDone(state)).ToList();
        if (missing.Count > 0)
            throw new PatientChangeException(PatientChangeError.HomeworkMissing,
                $"'{module}' has homework not done yet: answer the required questions of {string.Join(", ", missing.Select(h => $"'{h.Worksheet.Id}'"))} first, then complete it");
        return record with { Completed = [.. record.Completed, module] };
    }

    /// <summary>Takes back a module's completion (for a mistake); the module is open or offered again.</summary>
    public static PatientRecord UncompleteModule(this PatientRecord record, ProgramGraph program, string module)
    {
        Module(record, program, module);
        if (!record.Completed.Contains(module, StringComparer.Ordinal))
            throw new PatientChangeException(PatientChangeError.NotCompleted, $"'{module}' is not completed: nothing to take back");
        return record with { Completed = [.. record.Completed.Where(id => id != module)] };
    }

    /// <summary>
    /// Chooses an optional module. It must be offered at <paramref name="now"/>: released, its requirements completed, and
    /// its phase's <c>choose.max</c> not reached; otherwise it is refused with the reasons in <paramref name="locale"/>.
    /// </summary>
    public static PatientRecord ChooseModule(this PatientRecord record, ProgramGraph program, string module, DateTimeOffset now, string? locale = null)
    {
        var status = Status(record, program, module, now, locale);
        if (!status.Module.Optional)
            throw new PatientChangeException(PatientChangeError.NotOptional, $"'{module}' is not optional: every patient has it, so it is not chosen");
        if (status.Chosen || status.State == ModuleState.Completed)
            throw new PatientChangeException(PatientChangeError.AlreadyChosen, $"'{module}' is already chosen: nothing to do");
        if (status.State != ModuleState.Offered)
            throw new PatientChangeException(PatientChangeError.NotOffered,
                $"'{module}' is not offered now ({string.Join("; ", status.Reasons.Select(r => r.Message))}): choose it once it is offered" +
                (status.Reasons.Any(r => r.Kind == LockKind.ChoiceLimitReached) ? ", or withdraw another choice of its phase first" : ""));
        return record with { Chosen = [.. record.Chosen, module] };
    }

    /// <summary>Withdraws the choice of an optional module the patient has not completed.</summary>
    public static PatientRecord WithdrawChoice(this PatientRecord record, ProgramGraph program, string module)
    {
        Module(record, program, module);
        if (record.Completed.Contains(module, StringComparer.Ordinal))
            throw new PatientChangeException(PatientChangeError.NotChosen, $"'{module}' is completed, and a completed module stays the patient's choice: take back its completion first (UncompleteModule)");
        if (!record.Chosen.Contains(module, StringComparer.Ordinal))
            throw new PatientChangeException(PatientChangeError.NotChosen, $"'{module}' is not chosen: nothing to withdraw");
        return record with { Chosen = [.. record.Chosen.Where(id => id != module)] };
    }

    /// <summary>Every way <paramref name="value"/> does not fit <paramref name="field"/> of <paramref name="worksheet"/> (empty when it fits), without changing anything.</summary>
    public static IReadOnlyList<PatientChangeProblem> CheckAnswer(ProgramGraph program, string worksheet, string field, Answer value)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(value);
        var problems = new List<PatientChangeProblem>();
        try
        {
            var sheet = Worksheet(program, worksheet);
            AnswerRules.Check(Field(sheet, field), value, $"{worksheet}.{field}", problems);
        }
        catch (PatientChangeException e)
        {
            problems.AddRange(e.Problems);
        }
        return problems;
    }

    private static void Refuse(List<PatientChangeProblem> problems)
    {
        if (problems.Count > 0) throw new PatientChangeException(problems);
    }

    private static void SameProgram(PatientRecord record, ProgramGraph program)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(program);
        if (record.ProgramId != program.Id)
            throw new PatientStateException(PatientStateError.OtherProgram,
                $"the patient state is for the program '{record.ProgramId}', not '{program.Id}': change it with the program it belongs to");
    }

    private static Worksheet Worksheet(ProgramGraph program, string id) =>
        program.FindWorksheet(id) ?? throw new PatientChangeException(PatientChangeError.UnknownWorksheet,
            $"the program has no worksheet '{id}': its worksheets are {string.Join(", ", program.Worksheets.Select(w => w.Id))}");

    private static Worksheet Worksheet(PatientRecord record, ProgramGraph program, string id, bool diary)
    {
        SameProgram(record, program);
        var sheet = Worksheet(program, id);
        if ((sheet.Kind == WorksheetKind.Diary) != diary)
            throw new PatientChangeException(PatientChangeError.WrongWorksheetKind, diary
                ? $"'{id}' is a {sheet.Kind.ToString().ToLowerInvariant()}, not a diary: record its answers one by one (RecordAnswer)"
                : $"'{id}' is a diary: add its answers as an entry with its date (AddDiaryEntry)");
        if (record.Answers.TryGetValue(id, out var stored) && stored.IsDiary != diary)
            throw new PatientChangeException(PatientChangeError.WrongWorksheetKind,
                $"the state holds answers to '{id}' of another shape than the program's {sheet.Kind.ToString().ToLowerInvariant()}: migrate the state to this version of the program first");
        return sheet;
    }

    private static Field Field(Worksheet sheet, string id) =>
        sheet.Fields.FirstOrDefault(f => f.Id == id) ?? throw new PatientChangeException(PatientChangeError.UnknownField,
            $"the worksheet '{sheet.Id}' has no field '{id}': its fields are {string.Join(", ", sheet.Fields.Select(f => f.Id))}");

    private static (Worksheet, Field) FormField(PatientRecord record, ProgramGraph program, string worksheet, string field)
    {
        var sheet = Worksheet(record, program, worksheet, diary: false);
        return (sheet, Field(sheet, field));
    }

    private static AnswerEntry DiaryEntry(PatientRecord record, ProgramGraph program, string worksheet, DateOnly date, IEnumerable<KeyValuePair<string, Answer>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sheet = Worksheet(record, program, worksheet, diary: true);
        var list = values.ToList();
        var problems = new List<PatientChangeProblem>();
        foreach (var (id, value) in list)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (sheet.Fields.FirstOrDefault(f => f.Id == id) is { } f) AnswerRules.Check(f, value, $"{worksheet}.{id}", problems);
            else problems.Add(new(PatientChangeError.UnknownField, $"the diary '{worksheet}' has no field '{id}': its fields are {string.Join(", ", sheet.Fields.Select(x => x.Id))}"));
        }
        Refuse(problems);
        return new AnswerEntry(date, list);
    }

    private static IReadOnlyList<AnswerEntry> Entries(PatientRecord record, string worksheet, int index)
    {
        var entries = record.Answers.TryGetValue(worksheet, out var stored) ? stored.Entries : [];
        if (index < 0 || index >= entries.Count)
            throw new PatientChangeException(PatientChangeError.UnknownEntry, entries.Count == 0
                ? $"the diary '{worksheet}' has no entries"
                : $"the diary '{worksheet}' has no entry {index}: its entries are 0 (the oldest) to {entries.Count - 1}");
        return entries;
    }

    private static Module Module(PatientRecord record, ProgramGraph program, string id)
    {
        SameProgram(record, program);
        return program.FindModule(id) ?? throw new PatientChangeException(PatientChangeError.UnknownModule,
            $"the program has no module '{id}': give the id of one of its modules (ProgramGraph.Modules)");
    }

    private static ModuleStatus Status(PatientRecord record, ProgramGraph program, string module, DateTimeOffset now, string? locale)
    {
        Module(record, program, module);
        return program.Evaluate(record, now, locale)[module];
    }

    private static PatientRecord WithWorksheet(PatientRecord record, string worksheet, RecordedWorksheet? value)
    {
        var answers = new OrderedDictionary<string, RecordedWorksheet>(StringComparer.Ordinal);
        foreach (var (id, v) in record.Answers)
            if (id != worksheet) answers[id] = v;
            else if (value is not null) answers[id] = value;
        if (value is not null && !answers.ContainsKey(worksheet)) answers[worksheet] = value;
        return record with { Answers = answers };
    }
}
