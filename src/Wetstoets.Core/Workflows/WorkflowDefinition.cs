namespace Wetstoets.Workflows;

/// <summary>A workflow definition as data: what the interpreter walks. Never hard-coded in C#.</summary>
public sealed record WorkflowDefinition(
    string Id,
    int Version,
    string Title,
    string Kind,
    string QuestionnaireId,
    IReadOnlyList<StepDefinition> Steps)
{
    public StepDefinition First => Steps[0];

    public StepDefinition Step(string id) =>
        Steps.FirstOrDefault(s => s.Id == id) ?? throw new InvalidOperationException($"workflow {Id} v{Version} has no step '{id}'");

    public T? FirstSettings<T>() where T : class => Steps.Select(s => s.Settings).OfType<T>().FirstOrDefault();
}

/// <summary>One step: its type, typed settings, and where it goes next (<c>next</c>, or <c>on</c> per outcome).</summary>
public sealed record StepDefinition(
    string Id,
    string Type,
    object Settings,
    string? Next,
    IReadOnlyDictionary<string, string> On,
    int Line,
    int Column)
{
    public IEnumerable<string> Targets => On.Values.Append(Next).OfType<string>();
}
