namespace ContentEngine.Tests.Mutation;

public sealed partial class MutationTests
{
    [Fact]
    public void IncludeOfASnippetThatDoesNotExist() => Check("include-missing-snippet", Mutations.IncludeOfMissingSnippet());
}
