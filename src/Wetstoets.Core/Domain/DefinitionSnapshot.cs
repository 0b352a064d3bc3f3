namespace Wetstoets.Domain;

/// <summary>
/// The text of a workflow definition version and its questionnaire, saved when the first review starts on
/// it. A running review reads its definition from here, so editing or replacing the file on disk never
/// changes a review in progress.
/// </summary>
public sealed class DefinitionSnapshot
{
    public required string WorkflowId { get; set; }
    public int Version { get; set; }
    public required string WorkflowPath { get; set; }
    public required string WorkflowYaml { get; set; }
    public required string QuestionnairePath { get; set; }
    public required string QuestionnaireYaml { get; set; }
    public DateTimeOffset SavedAt { get; set; }
}
