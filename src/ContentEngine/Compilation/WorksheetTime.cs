using ContentEngine.Model;

namespace ContentEngine.Compilation;

/// <summary>
/// How long a patient takes to fill in a worksheet placed in a module, for the module's estimated
/// time: a fixed time per field kind (docs/authoring.md, section 12), and for a diary every entry
/// the week asks for.
/// </summary>
public static class WorksheetTime
{
    /// <summary>Seconds to answer one field of each kind.</summary>
    public static double FieldSeconds(Field f) => f.Type switch
    {
        FieldType.Boolean => 5,
        FieldType.Scale or FieldType.Choice => f.Multiple ? 15 : 10,
        FieldType.Number or FieldType.Integer or FieldType.Date or FieldType.Time or FieldType.Duration => 15,
        FieldType.Text => 30,
        FieldType.LongText => 120,
        FieldType.Table => (f.RowLabels.Length > 0 ? f.RowLabels.Length : f.RowCount ?? 3) * f.Columns.Sum(FieldSeconds),
        FieldType.Target => 30 * Math.Max(1, f.Areas.Length),
        _ => 15,
    };

    /// <summary>Entries in a week: a daily diary one a day (its days, else 7), a weekly one one, an entry diary three.</summary>
    public static int EntriesPerWeek(Worksheet w) => w.Kind != WorksheetKind.Diary ? 1 : w.Repeat switch
    {
        DiaryRepeat.Daily => Math.Min(7, w.Days ?? 7),
        DiaryRepeat.Weekly => 1,
        _ => 3,
    };

    /// <summary>Minutes the patient spends on the worksheet in the week it is placed.</summary>
    public static double Minutes(Worksheet w) => w.Fields.Sum(FieldSeconds) * EntriesPerWeek(w) / 60;
}
