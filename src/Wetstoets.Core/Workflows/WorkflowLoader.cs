using Wetstoets.Common;
using Wetstoets.Questionnaires;
using YamlDotNet.RepresentationModel;

namespace Wetstoets.Workflows;

/// <summary>Reads a workflow definition and checks it, reporting every problem with its position.</summary>
public static class WorkflowLoader
{
    public static (WorkflowDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics) Parse(
        string path, string text, Func<string, Questionnaire?> questionnaires)
    {
        var yaml = YamlFile.Parse(path, text);
        if (yaml.Root is not { } root)
        {
            return (null, yaml.Diagnostics);
        }
        yaml.AllowOnly(root, "id", "version", "title", "kind", "questionnaire", "steps");
        var id = yaml.String(root, "id", required: true) ?? "";
        var version = yaml.Int(root, "version", required: true) ?? 0;
        if (yaml.Child(root, "version") is not null && version < 1)
        {
            yaml.Error(yaml.Child(root, "version"), "'version' must be 1 or higher");
        }
        var questionnaireId = yaml.String(root, "questionnaire", required: true) ?? "";
        var questionnaire = questionnaireId.Length == 0 ? null : questionnaires(questionnaireId);
        if (questionnaireId.Length > 0 && questionnaire is null)
        {
            yaml.Error(yaml.Child(root, "questionnaire"), $"questionnaire '{questionnaireId}' not found in workflows/questionnaires/");
        }

        var steps = new List<StepDefinition>();
        foreach (var node in yaml.Mappings(root, "steps", required: true))
        {
            if (ReadStep(yaml, node) is { } step)
            {
                if (steps.Any(s => s.Id == step.Id))
                {
                    yaml.Error(node, $"step id '{step.Id}' appears twice");
                }
                steps.Add(step);
            }
        }
        if (steps.Count == 0 && yaml.Child(root, "steps") is not null)
        {
            yaml.Error(yaml.Child(root, "steps"), "'steps' must hold at least one step");
        }
        CheckGraph(yaml, steps);
        if (questionnaire is not null)
        {
            CheckRules(yaml, steps, questionnaire);
        }
        if (yaml.HasErrors)
        {
            return (null, yaml.Diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList());
        }
        var kind = yaml.String(root, "kind") ?? id;
        return (new WorkflowDefinition(id, version, yaml.String(root, "title") ?? id, kind, questionnaireId, steps), []);
    }

    private static StepDefinition? ReadStep(YamlFile yaml, YamlMappingNode node)
    {
        var id = yaml.String(node, "id", required: true);
        var type = yaml.String(node, "type", required: true);
        if (id is null || type is null)
        {
            return null;
        }
        if (!StepTypes.Readers.TryGetValue(type, out var reader))
        {
            yaml.Error(yaml.Child(node, "type"), $"unknown step type '{type}' (expected one of: {string.Join(", ", StepTypes.Readers.Keys)})");
            return null;
        }
        var settings = reader(yaml, node);
        var on = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (outcome, (target, _)) in yaml.Pairs(node, "on"))
        {
            on[outcome] = target;
        }
        var next = yaml.String(node, "next");
        if (type == StepTypes.Decision)
        {
            foreach (var outcome in StepTypes.DecisionOutcomes.Where(o => !on.ContainsKey(o)))
            {
                yaml.Error(node, $"decision step '{id}' needs a target for outcome '{outcome}' under 'on'");
            }
            foreach (var outcome in on.Keys.Where(o => !StepTypes.DecisionOutcomes.Contains(o)))
            {
                yaml.Error(yaml.Child(node, "on"), $"unknown outcome '{outcome}' (expected: {string.Join(", ", StepTypes.DecisionOutcomes)})");
            }
        }
        else if (type == StepTypes.End)
        {
            if (next is not null || on.Count > 0)
            {
                yaml.Error(node, $"end step '{id}' cannot have 'next' or 'on'");
            }
        }
        else if (next is null)
        {
            yaml.Error(node, $"step '{id}' needs 'next'");
        }
        else if (on.Count > 0)
        {
            yaml.Error(yaml.Child(node, "on"), $"step type '{type}' has no outcomes; use 'next'");
        }
        return new StepDefinition(id, type, settings, next, on, (int)node.Start.Line, (int)node.Start.Column);
    }

    private static void CheckGraph(YamlFile yaml, List<StepDefinition> steps)
    {
        var ids = steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            foreach (var target in step.Targets.Where(t => !ids.Contains(t)))
            {
                yaml.ErrorAt(step.Line, step.Column, $"step '{step.Id}' goes to unknown step '{target}'");
            }
        }
        if (steps.Count == 0)
        {
            return;
        }
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([steps[0].Id]);
        while (queue.TryDequeue(out var id))
        {
            if (reached.Add(id) && steps.FirstOrDefault(s => s.Id == id) is { } step)
            {
                foreach (var target in step.Targets)
                {
                    queue.Enqueue(target);
                }
            }
        }
        foreach (var step in steps.Where(s => !reached.Contains(s.Id)))
        {
            yaml.ErrorAt(step.Line, step.Column, $"step '{step.Id}' cannot be reached from the first step");
        }
        if (!steps.Any(s => s.Type == StepTypes.End))
        {
            yaml.ErrorAt(steps[0].Line, steps[0].Column, "the workflow has no 'end' step, so it can never finish");
            return;
        }
        CheckCycles(yaml, steps, reached);
    }

    /// <summary>
    /// Cycles that cannot end: steps from which no 'end' step can be reached, and loops through steps that
    /// never wait (they would run round and round inside one transaction after another).
    /// </summary>
    private static void CheckCycles(YamlFile yaml, List<StepDefinition> steps, HashSet<string> reached)
    {
        var byId = steps.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var canEnd = steps.Where(s => s.Type == StepTypes.End).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var step in steps.Where(s => !canEnd.Contains(s.Id) && s.Targets.Any(canEnd.Contains)))
            {
                grew |= canEnd.Add(step.Id);
            }
        }
        foreach (var step in steps.Where(s => reached.Contains(s.Id) && !canEnd.Contains(s.Id)))
        {
            yaml.ErrorAt(step.Line, step.Column, $"step '{step.Id}' is in a cycle that can never reach an 'end' step");
        }
        // A loop needs a step that waits (for a deadline or a decision) to be a sequence of rounds.
        var waits = new HashSet<string>([StepTypes.Collect, StepTypes.Decision], StringComparer.Ordinal);
        var explored = new HashSet<string>(StringComparer.Ordinal);   // steps whose every path was followed without a loop
        foreach (var step in steps.Where(s => !waits.Contains(s.Type)))
        {
            if (FindLoop(step.Id, []) is { } loop)
            {
                var first = byId[loop[0]];
                yaml.ErrorAt(first.Line, first.Column, $"steps {string.Join(" → ", loop.Append(loop[0]))} loop without a step that waits (collect or decision)");
                return;
            }
        }

        List<string>? FindLoop(string id, List<string> path)
        {
            if (!byId.TryGetValue(id, out var step) || waits.Contains(step.Type) || explored.Contains(id))
            {
                return null;
            }
            if (path.Contains(id))
            {
                return path[path.IndexOf(id)..];
            }
            path.Add(id);
            foreach (var target in step.Targets)
            {
                if (FindLoop(target, path) is { } loop)
                {
                    return loop;
                }
            }
            path.RemoveAt(path.Count - 1);
            explored.Add(id);
            return null;
        }
    }

    private static void CheckRules(YamlFile yaml, List<StepDefinition> steps, Questionnaire questionnaire)
    {
        foreach (var step in steps)
        {
            if (step.Settings is not SynthesiseSettings synthesis)
            {
                continue;
            }
            var verdicts = questionnaire.Find("oordeel")?.Options.Select(o => o.Code).ToList() ?? [];
            foreach (var rule in synthesis.Rules)
            {
                var question = questionnaire.Find(rule.Question);
                if (question is null)
                {
                    yaml.ErrorAt(rule.Line, rule.Column, $"verdict rule of step '{step.Id}' uses unknown question '{rule.Question}'");
                    continue;
                }
                foreach (var answer in rule.Answers.Where(a => question.Options.All(o => o.Code != a)))
                {
                    yaml.ErrorAt(rule.Line, rule.Column, $"verdict rule of step '{step.Id}': '{answer}' is not an option of '{rule.Question}'");
                }
                if (verdicts.Count > 0 && !verdicts.Contains(rule.Verdict))
                {
                    yaml.ErrorAt(rule.Line, rule.Column, $"verdict rule of step '{step.Id}': '{rule.Verdict}' is not an option of 'oordeel'");
                }
            }
            if (synthesis.DefaultVerdict is { } fallback && verdicts.Count > 0 && !verdicts.Contains(fallback))
            {
                yaml.ErrorAt(step.Line, step.Column, $"default verdict '{fallback}' of step '{step.Id}' is not an option of 'oordeel'");
            }
        }
    }
}
