using ContentEngine.Model;
using F = Hl7.Fhir.Model;
using Action = Hl7.Fhir.Model.PlanDefinition.ActionComponent;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// The <c>::: if</c> blocks of a module's body (in the default locale) as nested actions of the module's action, so that a
/// FHIR engine knows which of the module's content applies to a patient.
/// </summary>
/// <remarks>
/// Each is an action whose element id is <c>{module}.{block id}</c> (the block's stable id, <see cref="StableIds"/>, as in
/// graph.json), with its condition as one applicability condition in FHIRPath (the author's text beside it, as on every
/// condition) and the text it guards, as plain text, in <c>textEquivalent</c>. An <c>if</c> inside another is an action inside
/// the outer one's action: it applies when both conditions hold. The text inside a nested <c>if</c> belongs to that one only.
/// </remarks>
public static partial class FhirExport
{
    private static List<Action> ConditionalActions(ProgramGraph g, Module m, Content content) =>
        ConditionalActions(g, m.Id, content.Blocks, StableIds.Blocks(m.Id, content.Blocks));

    private static List<Action> ConditionalActions(ProgramGraph g, string module, IEnumerable<ContentBlock> blocks, IReadOnlyDictionary<ContentBlock, string> ids)
    {
        var result = new List<Action>();
        foreach (var d in blocks.Directives())
        {
            var inner = ConditionalActions(g, module, d.Children, ids);
            if (d.Name != "if" || d.Condition is not { } condition)
            {
                result.AddRange(inner);
                continue;
            }
            var action = new Action { ElementId = $"{module}.{ids[d]}" };
            var text = GuardedText(d.Children);
            if (text.Length > 0) action.TextEquivalent = text;
            action.Condition.Add(new F.PlanDefinition.ConditionComponent { Kind = F.ActionConditionKind.Applicability, Expression = ConditionExpression(g, [condition]) });
            action.Action.AddRange(inner);
            result.Add(action);
        }
        return result;
    }

    /// <summary>The text an <c>if</c> guards, as plain text: its Markdown and that of the directives in it, but not of the <c>if</c>s in it.</summary>
    private static string GuardedText(IEnumerable<ContentBlock> blocks)
    {
        var parts = new List<string>();
        void Walk(IEnumerable<ContentBlock> items)
        {
            foreach (var block in items)
                switch (block)
                {
                    case MarkdownBlock md: parts.Add(PlainText.From(md.Markdown)); break;
                    case MarkdownWithDirectivesBlock nested: parts.Add(PlainText.From(nested.Markdown)); break;
                    case DirectiveBlock { Name: not "if" } d: Walk(d.Children); break;
                }
        }
        Walk(blocks);
        return string.Join("\n\n", parts.Where(p => p.Length > 0));
    }
}
