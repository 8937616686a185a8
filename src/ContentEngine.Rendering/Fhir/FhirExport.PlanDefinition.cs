using ContentEngine.Model;
using F = Hl7.Fhir.Model;
using Action = Hl7.Fhir.Model.PlanDefinition.ActionComponent;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// The program's schedule as a PlanDefinition (type workflow-definition).
/// </summary>
/// <remarks>
/// <para>R4 actions have no id element of their own; relatedAction.actionId names an action's element id, so phases get
/// <c>phase.{id}</c> (an author's id has no dot, so it cannot collide with a module), modules their own id, a phase's choice
/// group <c>phase.{id}.choice</c> and a placed worksheet <c>{module}.{worksheet}</c>.</para>
/// <list type="bullet">
/// <item>One top-level action per phase (groupingBehavior visual-group), in order. Its timingTiming has boundsDuration = the
/// phase's weeks and, with weekly release, frequency 1 per 1 wk (a module opens each week). It follows the previous phase
/// (relatedAction after-end, offsetDuration = the pause before it, in weeks). Its first program week is in
/// <see cref="FhirExport.ProgramWeekUrl"/>, which also covers a pause before the first phase.</item>
/// <item>Module actions, in schedule order, inside their phase: requiredBehavior must (mandatory) or could (optional); with
/// weekly release, relatedAction after-start of the phase with offsetDuration = (week − 1) wk; a relatedAction after-end for
/// each module in <c>requires</c> (the module opens after the required one is completed; before-start on the requiring module
/// would say the opposite); offer_when as an applicability condition in FHIRPath (<see cref="FhirPathCompiler"/>), with the
/// offer reason as the action's reason. The module's program week is in <see cref="FhirExport.ProgramWeekUrl"/>.</item>
/// <item>A phase's optional modules sit in a nested group (groupingBehavior logical-group) at the place of the first of them,
/// because selectionBehavior governs every child of an action and the mandatory modules must not count towards the choice.
/// Its selectionBehavior comes from <c>choose</c> (none means min 0, no max): min ≥ the number offered → all; 0 and no max → any;
/// 0..1 → at-most-one; 1..1 → exactly-one; 1 and no max → one-or-more (a max at or above the number offered counts as none);
/// anything else → any plus <see cref="FhirExport.ChooseUrl"/> with the min and max.</item>
/// <item>Each worksheet a module places is a nested action with definitionCanonical to its Questionnaire (url|version) and, when
/// the placement is inside <c>::: if</c> blocks, their conditions as applicability conditions.</item>
/// <item>After them, each <c>::: if</c> block of the module's body as a nested action with its stable id and its condition
/// (FhirExport.Conditional.cs).</item>
/// </list>
/// <para>Not mapped: a module's minutes and estimated minutes, tags, review dates, reading speed, and the text a module writes
/// around a placed worksheet.</para>
/// </remarks>
public static partial class FhirExport
{
    public static F.PlanDefinition ToPlanDefinition(ProgramGraph g)
    {
        var plan = new F.PlanDefinition
        {
            Id = g.Id,
            Language = g.DefaultLocale,
            Url = PlanDefinitionUrl(g),
            Version = g.Version,
            Name = ComputableName(g.Id, "Program"),
            Title = Text(g, g.Title),
            Type = new F.CodeableConcept { Coding = [new F.Coding("http://terminology.hl7.org/CodeSystem/plan-definition-type", "workflow-definition", "Workflow Definition")] },
            Status = F.PublicationStatus.Active,
        };
        plan.Extension.Add(new F.Extension(ReleaseUrl, new F.Code(g.Release.ToString().ToLowerInvariant())));
        plan.Extension.Add(new F.Extension(GuidanceUrl, new F.Code(g.Guidance.ToString().ToLowerInvariant())));
        Translate(g, plan.TitleElement, g.Title);
        if (g.Summary is { } summary)
        {
            plan.Description = Text(g, summary);
            Translate(g, plan.DescriptionElement, summary);
        }

        Phase? previous = null;
        foreach (var phase in g.Phases)
        {
            plan.Action.Add(PhaseAction(g, phase, previous));
            previous = phase;
        }
        return plan;
    }

    private static string PhaseActionId(string phase) => $"phase.{phase}";

    private static Action PhaseAction(ProgramGraph g, Phase phase, Phase? previous)
    {
        var action = new Action
        {
            ElementId = PhaseActionId(phase.Id),
            Title = Text(g, phase.Title),
            GroupingBehavior = F.ActionGroupingBehavior.VisualGroup,
        };
        Translate(g, action.TitleElement, phase.Title);
        action.Extension.Add(new F.Extension(ProgramWeekUrl, new F.Integer(phase.FirstWeek)));
        if (previous is not null)
            action.RelatedAction.Add(new F.PlanDefinition.RelatedActionComponent
            {
                ActionId = PhaseActionId(previous.Id),
                Relationship = F.ActionRelationshipType.AfterEnd,
                Offset = Weeks(phase.PauseBefore),
            });
        var repeat = new F.Timing.RepeatComponent { Bounds = Weeks(phase.Weeks) };
        if (g.Release == ReleaseMode.Weekly)
        {
            repeat.Frequency = 1;
            repeat.Period = 1;
            repeat.PeriodUnit = F.Timing.UnitsOfTime.Wk;
        }
        action.Timing = new F.Timing { Repeat = repeat };

        var modules = g.Schedule.Where(m => m.Phase == phase.Id).ToList();
        var optional = modules.Where(m => m.Optional).ToList();
        Action? choice = null;
        foreach (var module in modules)
        {
            if (!module.Optional)
            {
                action.Action.Add(ModuleAction(g, phase, module));
                continue;
            }
            if (choice is null)
            {
                choice = ChoiceGroup(phase, optional.Count);
                action.Action.Add(choice);
            }
            choice.Action.Add(ModuleAction(g, phase, module));
        }
        return action;
    }

    private static Action ChoiceGroup(Phase phase, int offered)
    {
        var group = new Action { ElementId = $"{PhaseActionId(phase.Id)}.choice", GroupingBehavior = F.ActionGroupingBehavior.LogicalGroup };
        var (behavior, exact) = Selection(phase.Choose, offered);
        group.SelectionBehavior = behavior;
        if (!exact && phase.Choose is { } rule)
        {
            var choose = new F.Extension { Url = ChooseUrl };
            choose.Extension.Add(new F.Extension("min", new F.Integer(rule.Min)));
            if (rule.Max is { } max) choose.Extension.Add(new F.Extension("max", new F.Integer(max)));
            group.Extension.Add(choose);
        }
        return group;
    }

    /// <summary>The selectionBehavior for a choose rule over <paramref name="offered"/> optional modules, and whether it says exactly that rule.</summary>
    internal static (F.ActionSelectionBehavior Behavior, bool Exact) Selection(ChooseRule? rule, int offered)
    {
        var min = rule?.Min ?? 0;
        var max = rule?.Max is { } m && m < offered ? m : (int?)null;
        if (offered > 0 && min >= offered) return (F.ActionSelectionBehavior.All, true);
        return (min, max) switch
        {
            (0, null) => (F.ActionSelectionBehavior.Any, true),
            (0, 1) => (F.ActionSelectionBehavior.AtMostOne, true),
            (1, 1) => (F.ActionSelectionBehavior.ExactlyOne, true),
            (1, null) => (F.ActionSelectionBehavior.OneOrMore, true),
            _ => (F.ActionSelectionBehavior.Any, false),
        };
    }

    private static Action ModuleAction(ProgramGraph g, Phase phase, Module m)
    {
        var action = new Action
        {
            ElementId = m.Id,
            Title = Text(g, m.Title),
            RequiredBehavior = m.Optional ? F.ActionRequiredBehavior.Could : F.ActionRequiredBehavior.Must,
        };
        Translate(g, action.TitleElement, m.Title);
        if (m.Summary is { } summary)
        {
            action.Description = Text(g, summary);
            Translate(g, action.DescriptionElement, summary);
        }
        action.Extension.Add(new F.Extension(ProgramWeekUrl, new F.Integer(m.ProgramWeek)));

        if (m.OfferReason is { } reason)
        {
            var concept = new F.CodeableConcept { Text = Text(g, reason) };
            Translate(g, concept.TextElement, reason);
            action.Reason.Add(concept);
        }
        if (m.OfferWhen is { } offer)
            action.Condition.Add(new F.PlanDefinition.ConditionComponent { Kind = F.ActionConditionKind.Applicability, Expression = ConditionExpression(g, [offer]) });

        if (g.Release == ReleaseMode.Weekly)
            action.RelatedAction.Add(new F.PlanDefinition.RelatedActionComponent
            {
                ActionId = PhaseActionId(phase.Id),
                Relationship = F.ActionRelationshipType.AfterStart,
                Offset = Weeks(m.Week - 1),
            });
        foreach (var required in m.Requires)
            action.RelatedAction.Add(new F.PlanDefinition.RelatedActionComponent { ActionId = required, Relationship = F.ActionRelationshipType.AfterEnd });

        var content = m.Content.TryGetValue(g.DefaultLocale, out var c) ? c : m.Content.Values.FirstOrDefault();
        if (content is null) return action;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (reference, conditions) in Placements(content.Blocks))
        {
            if (g.FindWorksheet(reference) is not { } worksheet) continue;
            var id = $"{m.Id}.{worksheet.Id}";
            for (var n = 2; !ids.Add(id); n++) id = $"{m.Id}.{worksheet.Id}.{n}";
            var place = new Action
            {
                ElementId = id,
                Title = Text(g, worksheet.Title),
                Definition = new F.Canonical($"{QuestionnaireUrl(g, worksheet.Id)}|{g.Version}"),
            };
            Translate(g, place.TitleElement, worksheet.Title);
            foreach (var condition in conditions)
                place.Condition.Add(new F.PlanDefinition.ConditionComponent { Kind = F.ActionConditionKind.Applicability, Expression = ConditionExpression(g, [condition]) });
            action.Action.Add(place);
        }
        action.Action.AddRange(ConditionalActions(g, m, content));
        return action;
    }
}
