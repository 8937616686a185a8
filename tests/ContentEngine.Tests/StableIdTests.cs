using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Output;

namespace ContentEngine.Tests;

/// <summary>
/// The stable ids of blocks, bands and table rows (docs/package-format.md, "Stable ids"): the same on every build, kept by
/// a block that an edit elsewhere does not touch, new for a block that changes, unique in a body, and written in graph.json.
/// </summary>
public sealed class StableIdTests : IDisposable
{
    private readonly TestPaths.TempFolder _program = new();

    private const string Worksheet = "---\nid: mood\ntitle: Mood check\nkind: questionnaire\nfields:\n" +
        "  - {id: score, type: scale, label: How is your mood?, min: 0, max: 10}\n" +
        "  - {id: week, type: table, label: Your week, columns: [{id: hours, type: number, label: Hours}], rows: [Monday, Tuesday, Monday]}\n" +
        "scoring:\n  scores: {total: {sum: [score]}}\n  bands: {total: [{max: 4, label: Low}, {max: 7, label: Middle}, {label: High}]}\n---\n\nRate your mood.\n";

    private static readonly string[] Original =
    [
        "Welcome to the module.",
        "::: if {when=\"mood.score >= 5\"}\nGlad you feel well.\n:::",
        "A paragraph in the middle.",
        "::: tip\nTry it twice.\n:::",
        "::: if {when=\"mood.score < 5\"}\nSorry to hear it.\n\n- a list\n- of two\n:::",
        "A paragraph in the middle.",
        "::: worksheet {ref=mood}\nFill this in.\n:::",
    ];

    public StableIdTests() => _program.File("worksheets/mood.md", Worksheet);

    public void Dispose() => _program.Dispose();

    private ProgramGraph Build(IEnumerable<string> blocks)
    {
        _program.File("program.yaml", "id: ids\nversion: 1.0.0\ntitle: Ids\nlocales: [en]\nguidance: self\nrelease: weekly\nphases: [{id: treatment, title: Treatment, weeks: 2}]\n");
        _program.File("modules/m.md", "---\nid: m\ntitle: Module\nphase: treatment\nweek: 1\n---\n\n" + string.Join("\n\n", blocks) + "\n");
        var result = ProgramCompiler.Compile(_program.Path);
        Assert.False(result.HasErrors, DiagnosticFormatter.Plain(result.Diagnostics));
        return result.Graph!;
    }

    /// <summary>Each block of the module's body as (its text or directive, its id), in document order.</summary>
    private static List<(string Block, string Id)> Ids(ProgramGraph graph)
    {
        var blocks = graph.Modules.Single(m => m.Id == "m").Content["en"].Blocks;
        var ids = StableIds.Blocks("m", blocks);
        var list = new List<(string, string)>();
        void Walk(IEnumerable<ContentBlock> items)
        {
            foreach (var b in items)
            {
                list.Add((b switch
                {
                    MarkdownBlock md => md.Markdown,
                    MarkdownWithDirectivesBlock m => m.Markdown,
                    DirectiveBlock x => x.Name + " " + string.Join(",", x.Attributes.Values),
                    _ => "?",
                }, ids[b]));
                if (b is DirectiveBlock d) Walk(d.Children);
            }
        }
        Walk(blocks);
        return list;
    }

    [Fact]
    public void TwoBuildsGiveTheSameIds()
    {
        // The ids one build computes are the ids another build writes into graph.json, block for block.
        var computed = Ids(Build(Original)).Select(i => i.Id).ToList();
        using var graph = JsonDocument.Parse(GraphJson.Write(Build(Original)));
        var module = graph.RootElement.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "m");
        var written = new List<string>();
        void Walk(JsonElement blocks)
        {
            foreach (var b in blocks.EnumerateArray())
            {
                written.Add(b.GetProperty("id").GetString()!);
                if (b.TryGetProperty("blocks", out var children)) Walk(children);
            }
        }
        Walk(module.GetProperty("content").GetProperty("en").GetProperty("blocks"));
        Assert.Equal(computed, written);
        Assert.True(computed.Count >= 5, $"only {computed.Count} blocks");
    }

    [Fact]
    public void IdsAreUniqueInABodyAndSayTheirKind()
    {
        var ids = Ids(Build(Original));
        Assert.Equal(ids.Count, ids.Select(i => i.Id).Distinct().Count());
        Assert.All(ids, i => Assert.Matches(@"^[a-z]+-[0-9a-f]{8}(-[0-9]+)?$", i.Id));
        Assert.Contains(ids, i => i.Block.StartsWith("if ", StringComparison.Ordinal) && i.Id.StartsWith("if-", StringComparison.Ordinal));
        // The repeated paragraph: the second is told apart by occurrence.
        var repeated = ids.Where(i => i.Block == "A paragraph in the middle.").Select(i => i.Id).ToList();
        Assert.Equal(2, repeated.Count);
        Assert.Equal(repeated[0] + "-2", repeated[1]);
    }

    [Fact]
    public void AParagraphAddedAboveRenumbersNothing()
    {
        // A text piece is the run of Markdown between two directives: the new paragraph joins the first one, which
        // changes; every block after it keeps its id.
        var before = Ids(Build(Original));
        var after = Ids(Build(["A new first paragraph.", .. Original]));
        Assert.Equal(before.Count, after.Count);
        Assert.NotEqual(before[0].Id, after[0].Id);
        Assert.Equal(before.Skip(1), after.Skip(1));
        // A new directive above adds its own ids and changes none.
        var withNote = Ids(Build(["::: note\nA new note.\n:::", .. Original]));
        Assert.Equal(before, withNote.Skip(2));
    }

    [Fact]
    public void ChangingOneBlockChangesOnlyItsId()
    {
        var before = Ids(Build(Original));
        var edited = Original.ToArray();
        edited[1] = "::: if {when=\"mood.score >= 6\"}\nGlad you feel well.\n:::";
        edited[3] = "::: tip\nTry it three times.\n:::";
        var after = Ids(Build(edited));
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var changed = before[i].Block != after[i].Block || before[i].Block.StartsWith("tip", StringComparison.Ordinal);
            if (changed) Assert.NotEqual(before[i].Id, after[i].Id);
            else Assert.Equal(before[i].Id, after[i].Id);
        }
        // The if whose condition changed, and the tip whose text changed, have new ids; their neighbours do not.
        Assert.NotEqual(before.Single(b => b.Block == "if mood.score >= 5").Id, after.Single(b => b.Block == "if mood.score >= 6").Id);
        Assert.Equal(before.Single(b => b.Block == "Glad you feel well.").Id, after.Single(b => b.Block == "Glad you feel well.").Id);
    }

    [Fact]
    public void GraphJsonHoldsTheIdsOfBlocksBandsAndRows()
    {
        var graph = Build(Original);
        using var json = JsonDocument.Parse(GraphJson.Write(graph));
        var blocks = json.RootElement.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "m")
            .GetProperty("content").GetProperty("en").GetProperty("blocks");
        var body = graph.Modules.Single(m => m.Id == "m").Content["en"].Blocks;
        var ids = StableIds.Blocks("m", body);
        Assert.Equal(body.Select(b => ids[b]), blocks.EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.Equal(ids[((DirectiveBlock)body[1]).Children[0]], blocks[1].GetProperty("blocks")[0].GetProperty("id").GetString());

        var worksheet = json.RootElement.GetProperty("worksheets")[0];
        var bands = worksheet.GetProperty("scoring").GetProperty("scores")[0].GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("id").GetString()!).ToList();
        Assert.Equal<string>(StableIds.Bands("total", graph.Worksheets[0].Scoring!.Bands["total"], "en"), bands);
        Assert.Equal(3, bands.Distinct().Count());
        var rows = worksheet.GetProperty("fields")[1].GetProperty("rowIds").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows[0] + "-2", rows[2]);
        Assert.StartsWith("row-", rows[1], StringComparison.Ordinal);
        // worksheets/<id>.json in a package holds the same object.
        Assert.True(JsonElement.DeepEquals(worksheet, JsonDocument.Parse(GraphJson.WriteWorksheet(graph.Worksheets[0], graph.DefaultLocale)).RootElement));
    }

    [Fact]
    public void ABandKeepsItsIdWhenItsLimitMoves()
    {
        var bands = Build(Original).Worksheets[0].Scoring!.Bands["total"];
        var moved = bands.Select((b, i) => i == 0 ? b with { Max = 3 } : b);
        Assert.Equal<string>(StableIds.Bands("total", bands, "en"), StableIds.Bands("total", moved, "en"));
        var renamed = bands.Select((b, i) => i == 0 ? b with { Label = new LocalizedText(System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(new Dictionary<string, string> { ["en"] = "Lowest" })) } : b);
        Assert.NotEqual(StableIds.Bands("total", bands, "en")[0], StableIds.Bands("total", renamed, "en")[0]);
    }
}
