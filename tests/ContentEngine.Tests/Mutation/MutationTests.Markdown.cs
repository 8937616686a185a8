namespace ContentEngine.Tests.Mutation;

public sealed partial class MutationTests
{
    [Fact]
    public void HeadingWithoutSpace() => Check("heading-without-space", Mutations.HeadingWithoutSpace());

    [Fact]
    public void ListIndentedIntoCode() => Check("indented-list", Mutations.IndentedList());

    [Fact]
    public void FootnoteWithoutDefinition() => Check("undefined-footnote", Mutations.UndefinedFootnote());

    [Fact]
    public void LinkToAnIdNoHeadingHas() => Check("broken-anchor", Mutations.BrokenAnchor());

    [Fact]
    public void ImageNameInOtherCase() => Check("image-name-case", Mutations.ImageNameCase());

    [Fact]
    public void SafetyMessageInAListItemOrQuoteWithoutItsFence() => Check("nested-safety-without-fence", Mutations.NestedSafetyWithoutFence());
}
