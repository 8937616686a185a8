namespace ContentEngine.Tests.Mutation;

public sealed partial class MutationTests
{
    [Fact]
    public void ProviderOrPrivacyLeftOutOfProgramYaml() => Check("provider-privacy", Mutations.ProviderAndPrivacyLeftOut());
}
