using System.Text;

namespace Wetstoets.Workflows;

/// <summary>Draws a definition as a Mermaid flowchart (<c>workflows show --format mermaid</c>).</summary>
public static class MermaidDiagram
{
    public static string Render(WorkflowDefinition definition)
    {
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        foreach (var step in definition.Steps)
        {
            var label = $"{step.Id}<br/><i>{step.Type}</i>";
            text.Append(step.Type switch
            {
                StepTypes.Decision => $"    {Node(step.Id)}{{\"{label}\"}}\n",
                StepTypes.End => $"    {Node(step.Id)}([\"{label}\"])\n",
                StepTypes.Collect => $"    {Node(step.Id)}[/\"{label}\"/]\n",
                _ => $"    {Node(step.Id)}[\"{label}\"]\n",
            });
        }
        foreach (var step in definition.Steps)
        {
            if (step.Next is { } next)
            {
                text.Append($"    {Node(step.Id)} --> {Node(next)}\n");
            }
            foreach (var (outcome, target) in step.On)
            {
                text.Append($"    {Node(step.Id)} -- {outcome} --> {Node(target)}\n");
            }
        }
        return text.ToString();
    }

    // Mermaid node ids may not contain dashes in every renderer; the label keeps the real id.
    private static string Node(string id) => "s_" + id.Replace('-', '_');
}
