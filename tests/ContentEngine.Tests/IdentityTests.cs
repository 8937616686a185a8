using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Output;

namespace ContentEngine.Tests;

/// <summary>A program's theme.yaml: colours checked for contrast with WCAG's own formula, images with their alt text.</summary>
public sealed class IdentityTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ce-identity-" + Guid.NewGuid().ToString("N"));

    public IdentityTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "modules"));
        Directory.CreateDirectory(Path.Combine(_folder, "media"));
        File.WriteAllText(Path.Combine(_folder, "program.yaml"),
            "id: case\nversion: 1.0.0\ntitle: {sv: Fall, en: Case}\nlocales: [sv, en]\nprovider: {name: {sv: Kliniken, en: The Clinic}, email: pain@example.org}\nprivacy: {sv: Svaren sparas i webbläsaren., en: Answers stay in this browser.}\nphases:\n  - id: treatment\n    title: {sv: Behandling, en: Treatment}\n    weeks: 2\n");
        File.WriteAllText(Path.Combine(_folder, "modules", "welcome.md"), "---\nid: welcome\ntitle: {sv: Välkommen, en: Welcome}\nphase: treatment\nweek: 1\n---\n\nText.\n");
        File.WriteAllText(Path.Combine(_folder, "modules", "welcome.en.md"), "---\ntitle: Welcome\n---\n\nText.\n");
        File.WriteAllText(Path.Combine(_folder, "media", "logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CompilationResult Compile(string themeYaml)
    {
        File.WriteAllText(Path.Combine(_folder, "theme.yaml"), themeYaml);
        return ProgramCompiler.Compile(_folder);
    }

    // Reference values from WCAG's definition of relative luminance and contrast ratio.
    [Theory]
    [InlineData("#000000", "#ffffff", 21.0)]
    [InlineData("#ffffff", "#ffffff", 1.0)]
    [InlineData("#767676", "#ffffff", 4.54)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("#0000ff", "#ffffff", 8.59)]
    [InlineData("#ff0000", "#ffffff", 4.0)]
    public void ContrastIsWcags(string a, string b, double expected) =>
        Assert.Equal(expected, IdentityBinder.Contrast(IdentityBinder.ParseHex(a)!.Value, IdentityBinder.ParseHex(b)!.Value), 2);

    [Fact]
    public void ColoursLogoAndAltReachTheGraph()
    {
        var result = Compile("primary_color: \"#1D5B79\"\nprimary_color_dark: \"#8cc7e6\"\nlogo: media/logo.svg\nlogo_alt: {sv: Fallet, en: The case}\n");
        Assert.Empty(result.Diagnostics);
        var identity = result.Graph!.Identity!;
        Assert.Equal(("#1d5b79", "#8cc7e6", "media/logo.svg"), (identity.PrimaryColor, identity.PrimaryColorDark, identity.Logo));
        Assert.Equal("The case", identity.LogoAlt!.Get("en", "sv"));
        Assert.Contains(result.Graph.Assets, a => a.Path == "media/logo.svg");
        Assert.Contains("\"primaryColor\": \"#1d5b79\"", GraphJson.Write(result.Graph));
    }

    [Fact]
    public void NoThemeFileMeansNoIdentity()
    {
        var result = ProgramCompiler.Compile(_folder);
        Assert.Null(result.Graph!.Identity);
        Assert.Contains(result.Diagnostics, d => d.Descriptor == DiagnosticDescriptors.UnusedMedia);
    }

    [Theory]
    [InlineData("primary_color: \"#777777\"", "#777777 has a contrast of only 4.47:1 against the light page background #ffffff")]
    [InlineData("primary_color_dark: \"#1d5b79\"", "against the dark page background #16171b")]
    public void ALowContrastColourIsAnErrorWithAShadeThatPasses(string yaml, string expected)
    {
        var result = Compile(yaml + "\n");
        var d = Assert.Single(result.Diagnostics, d => d.Descriptor.Severity == DiagnosticSeverity.Error);
        Assert.Equal(("CE0412", 0, yaml.IndexOf('"')), (d.Descriptor.Id, d.Location.Line, d.Location.Column)); // zero-based: line 1, at the quote
        Assert.Contains(expected, d.Message);
        // The suggested shade passes the same check.
        var suggested = System.Text.RegularExpressions.Regex.Match(d.Message, "such as \"(#[0-9a-f]{6})\" passes").Groups[1].Value;
        var fixedYaml = yaml[..yaml.IndexOf('"')] + "\"" + suggested + "\"\n";
        Assert.DoesNotContain(Compile(fixedYaml).Diagnostics, x => x.Descriptor.Id == "CE0412");
    }

    [Fact]
    public void AColourWithoutQuotesIsExplained()
    {
        var d = Assert.Single(Compile("primary_color: #1d5b79\n").Diagnostics, d => d.Descriptor.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CE0104", d.Descriptor.Id);
        Assert.Contains("a # outside quotes starts a comment", d.Message);
    }

    [Theory]
    [InlineData("logo: media/logo.svg\n", "CE0102", "needs the key 'logo_alt'")]
    [InlineData("logo: media/logo.svg\nlogo_alt: \"\"\n", "CE0104", "'logo_alt' is empty")]
    [InlineData("logo: media/nothing.svg\nlogo_alt: Logo\n", "CE0404", "'media/nothing.svg' does not exist")]
    [InlineData("logo: https://example.org/logo.svg\nlogo_alt: Logo\n", "CE0409", "outside the program")]
    [InlineData("logo: ../logo.svg\nlogo_alt: Logo\n", "CE0405", "leaves the program folder")]
    [InlineData("cover_alt: A forest\n", "CE0104", "there is no 'cover_image'")]
    [InlineData("primary_colour: \"#1d5b79\"\n", "CE0101", "did you mean 'primary_color'")]
    [InlineData("primary_color: blue\n", "CE0104", "six hexadecimal digits")]
    public void ImageAndKeyMistakesAreReported(string yaml, string code, string text)
    {
        var errors = Compile(yaml).Diagnostics.Where(d => d.Descriptor.Severity == DiagnosticSeverity.Error).ToList();
        var d = Assert.Single(errors);
        Assert.Equal(code, d.Descriptor.Id);
        Assert.Contains(text, d.Message);
    }
}
