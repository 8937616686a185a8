using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>program.yaml's provider (name, url, email, phone) and privacy: their checks, and the warnings when they are left out (CE0605, CE0606).</summary>
public sealed class ProviderTests
{
    private const string Head = """
        id: provider-test
        version: 1.0.0
        title: Living well with pain
        locales: [en]
        guidance: self
        release: weekly
        phases:
          - id: treatment
            title: During rehabilitation
            weeks: 2

        """;

    private const string Module = "---\nid: welcome\ntitle: Welcome\nphase: treatment\nweek: 1\nminutes: 1\n---\n\nWelcome to the program.\n";

    private const string Privacy = "privacy: Your answers are saved only in this browser.\n";

    private static CompilationResult Compile(string extra)
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Head + extra);
        t.File("modules/welcome.md", Module);
        return ProgramCompiler.Compile(t.Path);
    }

    [Fact]
    public void AWholeProviderAndPrivacyCompileCleanIntoTheGraph()
    {
        var result = Compile("provider:\n  name: The Pain Clinic\n  url: https://example.org/pain\n  email: pain@example.org\n  phone: \"+46 8 123 456 00\"\n" + Privacy);
        Assert.Empty(result.Diagnostics);
        var provider = result.Graph!.Provider!;
        Assert.Equal(("The Pain Clinic", "https://example.org/pain", "pain@example.org", "+46 8 123 456 00"),
            (provider.Name.Get("en", "en"), provider.Url, provider.Email, provider.Phone));
        Assert.Equal("Your answers are saved only in this browser.", result.Graph.Privacy!.Get("en", "en"));
    }

    [Theory]
    [InlineData("example.org/pain")]
    [InlineData("ftp://example.org/pain")]
    [InlineData("/pain")]
    public void AUrlThatIsNotAWholeWebAddressIsAnErrorAtIt(string url)
    {
        var result = Compile($"provider:\n  name: The Pain Clinic\n  url: {url}\n" + Privacy);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticDescriptors.InvalidValue.Id, "program.yaml", 12), (d.Id, d.Location.Path, d.Location.Line));
        Assert.Contains("https://", d.Message);
        Assert.Contains($"'{url}'", d.Message);
    }

    [Theory]
    [InlineData("pain.example.org")]
    [InlineData("pain@example")]
    [InlineData("\"pain @example.org\"")]
    public void AnEmailThatIsNotAnAddressIsAnErrorAtIt(string email)
    {
        var result = Compile($"provider:\n  name: The Pain Clinic\n  email: {email}\n" + Privacy);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticDescriptors.InvalidValue.Id, "program.yaml", 12), (d.Id, d.Location.Path, d.Location.Line));
        Assert.Contains("e-mail address such as pain@example.org", d.Message);
    }

    [Fact]
    public void AProviderWithoutANameIsAMissingKeyAndNothingMore()
    {
        var result = Compile("provider:\n  email: pain@example.org\n" + Privacy);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticDescriptors.MissingKey.Id, "program.yaml"), (d.Id, d.Location.Path));
        Assert.Contains("name", d.Message);
    }

    [Fact]
    public void NoProviderIsAWarningThatSaysWhatToAdd()
    {
        var result = Compile(Privacy);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticDescriptors.NoProvider.Id, DiagnosticSeverity.Warning, "program.yaml"), (d.Id, d.Severity, d.Location.Path));
        Assert.Contains("'provider:' with the clinic's 'name'", d.Message);
        Assert.NotNull(result.Graph);
    }

    [Fact]
    public void AProviderWithNoWayToReachThemIsAWarningAtProvider()
    {
        var result = Compile("provider:\n  name: The Pain Clinic\n" + Privacy);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticDescriptors.NoProvider.Id, "program.yaml", 10), (d.Id, d.Location.Path, d.Location.Line));
        Assert.Contains("no way to reach", d.Message);
        Assert.Equal("The Pain Clinic", result.Graph!.Provider!.Name.Get("en", "en"));
    }

    [Fact]
    public void NoPrivacyIsAWarning()
    {
        var result = Compile("provider: {name: The Pain Clinic, phone: \"+46 8 123 456 00\"}\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticDescriptors.NoPrivacy.Id, DiagnosticSeverity.Warning, "program.yaml"), (d.Id, d.Severity, d.Location.Path));
        Assert.Contains("add 'privacy:'", d.Message);
    }

    [Fact]
    public void AMisspeltProviderOrPrivacyIsOneErrorAndNoWarning()
    {
        var result = Compile("provder: {name: The Pain Clinic, phone: \"+46 8 123 456 00\"}\nprivcy: Saved in this browser.\n");
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(2, result.Diagnostics.Length);
    }
}
