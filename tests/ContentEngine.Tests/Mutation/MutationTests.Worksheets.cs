namespace ContentEngine.Tests.Mutation;

/// <summary>Mistakes in worksheets, fields, scoring, and the phases' choose and modules' offers.</summary>
public sealed partial class MutationTests
{
    [Fact]
    public void EmptyOptionsOrFields() => Check("empty-list", Mutations.EmptyList());

    [Fact]
    public void FieldRangeThatCannotWork() => Check("field-range", Mutations.FieldRangeMistakes());

    [Fact]
    public void OptionValuesOfMixedKinds() => Check("mixed-option-values", Mutations.MixedOptionValues());

    [Fact]
    public void BandsThatCannotWork() => Check("band", Mutations.BandMistakes());

    [Fact]
    public void DiaryLongerThanItsPhase() => Check("diary-too-long", Mutations.DiaryTooLong());

    [Fact]
    public void ChooseAndOfferMistakes() => Check("offer", Mutations.OfferMistakes());
}
