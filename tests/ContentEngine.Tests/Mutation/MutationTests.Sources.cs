namespace ContentEngine.Tests.Mutation;

public sealed partial class MutationTests
{
    [Fact]
    public void ModuleFileTheCompilerWouldNotRead() => Check("misnamed-source", Mutations.MisnamedSource());

    [Fact]
    public void WorksheetSavedInModules() => Check("worksheet-in-modules", Mutations.WorksheetInModules());

    [Fact]
    public void DateTheCalendarDoesNotHave() => Check("impossible-date", Mutations.ImpossibleDate());

    [Fact]
    public void StrayClosingFence() => Check("stray-fence", Mutations.StrayFence());

    [Fact]
    public void ConditionWithoutQuotes() => Check("unquoted-condition", Mutations.UnquotedCondition());

    [Fact]
    public void CommaInAOneLineLocaleMap() => Check("comma-in-locale-map", Mutations.CommaInLocaleMap());
}
