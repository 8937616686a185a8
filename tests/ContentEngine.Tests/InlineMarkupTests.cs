using ContentEngine.Translation;

namespace ContentEngine.Tests;

/// <summary>Markdown inline text as XLIFF inline parts: the markup becomes tags, the words stay text, and back exactly.</summary>
public sealed class InlineMarkupTests
{
    [Theory]
    [InlineData("Plain words, nothing else.")]
    [InlineData("In ACT we ask: **What do you want your life to be about?** We call it *values*.")]
    [InlineData("Read [the module on pacing](module:pacing) and *then* [**try**](worksheet:activity-plan#week \"title\").")]
    [InlineData("Type `npm install` and press Enter.")]
    [InlineData("First line  \nsecond line\\\nthird line\nfourth, soft.")]
    [InlineData("A star * alone, an escaped \\*star\\*, &amp; an entity, and <https://example.org>.")]
    [InlineData("***Both*** and _under_ and __strong__.")]
    [InlineData("1. Not a list here")]
    [InlineData("")]
    public void PartsPutBackTogetherGiveTheTextExactly(string markdown)
    {
        var parts = InlineMarkup.Parse(markdown);
        Assert.Equal(markdown, InlineMarkup.ToMarkdown(parts));
    }

    [Fact]
    public void EmphasisStrongAndLinksArePairsCodeIsAPlaceholder()
    {
        var parts = InlineMarkup.Parse("Ask **what matters** and read [the *next* module](module:pacing), or run `ls`.");
        Assert.Equal(
            "'Ask ' pc1 fmt/xlf:b ** ** ('what matters') ' and read ' pc2 link [ ](module:pacing) ('the ' pc3 fmt/xlf:i * * ('next') ' module') ', or run ' ph4 other `ls` ('ls') '.'",
            Describe(parts));
        Assert.Equal("Ask what matters and read the next module, or run ls.", InlineMarkup.PlainText(parts));
    }

    [Fact]
    public void AHardLineBreakIsAPlaceholderWithItsSpaces()
    {
        Assert.Equal("'one' ph1 fmt/xlf:lb '  \n' 'two'", Describe(InlineMarkup.Parse("one  \ntwo")));
        Assert.Equal("'one' ph1 fmt/xlf:lb '\\\n' 'two'", Describe(InlineMarkup.Parse("one\\\ntwo")));
    }

    private static string Describe(IEnumerable<InlinePart> parts) => string.Join(" ", parts.Select(p => p switch
    {
        InlineText t => $"'{t.Text}'",
        InlinePair pc => $"pc{pc.Id} {pc.Type}{(pc.SubType is null ? "" : "/" + pc.SubType)} {pc.Start} {pc.End} ({Describe(pc.Content)})",
        InlinePlaceholder ph => $"ph{ph.Id} {ph.Type}{(ph.SubType is null ? "" : "/" + ph.SubType)} {(ph.Display is null ? $"'{ph.Data}'" : $"{ph.Data} ('{ph.Display}')")}",
        _ => "?",
    }));
}
