using System.Collections.Immutable;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Model;

public enum WorksheetKind { Form, Diary, Questionnaire }

public enum DiaryRepeat { Daily, Weekly, Entry }

public sealed record Worksheet(
    string Id,
    string SourcePath,
    LocalizedText Title,
    LocalizedText? Summary,
    WorksheetKind Kind,
    DiaryRepeat? Repeat,
    int? Days,
    bool Feedback,
    ImmutableArray<Field> Fields,
    Scoring? Scoring,
    ImmutableSortedDictionary<string, Content> Content);

public enum FieldType { Text, LongText, Number, Integer, Scale, Choice, Boolean, Date, Time, Duration, Table, Target }

public sealed record Field(
    string Id,
    FieldType Type,
    LocalizedText Label,
    LocalizedText? Help,
    bool Required,
    double? Min,
    double? Max,
    double? Step,
    LocalizedText? Unit,
    ImmutableArray<ScaleLabel> Labels,
    ImmutableArray<ChoiceOption> Options,
    bool Multiple,
    ImmutableArray<Field> Columns,
    ImmutableArray<LocalizedText> RowLabels,
    int? RowCount,
    ImmutableArray<TargetArea> Areas,
    int? Rings,
    ScaleDisplay? Display = null)
{
    public bool HasNumericOptions => Options.Length > 0 && Options.All(o => o.Number is not null);
}

/// <summary>How a scale is shown on the web: a row of numbered buttons or a slider.
/// Left out, a scale of at most 11 steps is buttons and a longer one a slider.</summary>
public enum ScaleDisplay { Buttons, Slider }

public sealed record ScaleLabel(double Value, LocalizedText Text);

/// <summary>A choice option's value is a number or a text.</summary>
public sealed record ChoiceOption(string? Text, double? Number, LocalizedText Label)
{
    public string ValueText => Text ?? Number!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record TargetArea(string Id, LocalizedText Label);

public sealed record Scoring(ImmutableArray<Score> Scores, ImmutableSortedDictionary<string, ImmutableArray<Band>> Bands, ImmutableSortedDictionary<string, double> Mcid);

public sealed record Score(string Id, ScoreMethod Method, ImmutableArray<ScoreItem> Items);

public sealed record Band(double? Max, LocalizedText Label);
