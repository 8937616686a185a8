namespace ContentEngine.Tests.Mutation;

public sealed partial class MutationTests
{
    [Fact]
    public void RecordingSaidToSpeakAnotherLanguage() => Check("recording-language", Mutations.RecordingInAnotherLanguage());
}
