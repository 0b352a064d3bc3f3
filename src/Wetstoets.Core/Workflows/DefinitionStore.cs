using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Questionnaires;

namespace Wetstoets.Workflows;

public sealed record LoadedDefinition(WorkflowDefinition Workflow, Questionnaire Questionnaire);

/// <summary>
/// Definitions as data: the version a review started on is saved in the database and read back from there,
/// so a review never changes definition under its feet.
/// </summary>
public sealed class DefinitionStore
{
    // Keyed by database too: one process may open several workspaces (tools, tests).
    private static readonly ConcurrentDictionary<(string?, string, int), LoadedDefinition> Cache = new();

    /// <summary>Saves the snapshot of a definition on disk unless this id and version are saved already.</summary>
    public static async Task SaveAsync(WetstoetsDbContext db, WorkflowSource source, TimeProvider clock, CancellationToken ct)
    {
        var definition = source.Definition;
        if (await db.Definitions.AnyAsync(d => d.WorkflowId == definition.Id && d.Version == definition.Version, ct))
        {
            return;
        }
        db.Definitions.Add(new DefinitionSnapshot
        {
            WorkflowId = definition.Id,
            Version = definition.Version,
            WorkflowPath = source.Path,
            WorkflowYaml = source.Yaml,
            QuestionnairePath = source.QuestionnairePath,
            QuestionnaireYaml = source.QuestionnaireYaml,
            SavedAt = clock.GetUtcNow(),
        });
    }

    /// <summary>
    /// A problem when the file differs from the snapshot saved under the same id and version: editing a
    /// definition in place would give reviews that claim the same version different rules.
    /// </summary>
    public static async Task<string?> ChangedInPlaceAsync(WetstoetsDbContext db, WorkflowSource source, CancellationToken ct)
    {
        var definition = source.Definition;
        var saved = await db.Definitions.AsNoTracking().SingleOrDefaultAsync(d => d.WorkflowId == definition.Id && d.Version == definition.Version, ct);
        if (saved is null || saved.WorkflowYaml == source.Yaml && saved.QuestionnaireYaml == source.QuestionnaireYaml)
        {
            return null;
        }
        var changed = saved.WorkflowYaml != source.Yaml ? source.Path : source.QuestionnairePath;
        return $"{changed}: '{definition.Id}' version {definition.Version} was changed after reviews started on it ({saved.SavedAt:yyyy-MM-dd}); " +
            "raise 'version' to make the change a new version (running reviews keep the old one)";
    }

    public static async Task<LoadedDefinition> LoadAsync(WetstoetsDbContext db, string workflowId, int version, CancellationToken ct)
    {
        var key = (db.Database.GetConnectionString(), workflowId, version);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var snapshot = await db.Definitions.AsNoTracking().SingleAsync(d => d.WorkflowId == workflowId && d.Version == version, ct);
        var (questionnaire, problems) = QuestionnaireLoader.Parse(snapshot.QuestionnairePath, snapshot.QuestionnaireYaml);
        if (questionnaire is null)
        {
            throw new InvalidOperationException($"saved questionnaire of {workflowId} v{version} is invalid: {string.Join("; ", problems)}");
        }
        var (workflow, diagnostics) = WorkflowLoader.Parse(snapshot.WorkflowPath, snapshot.WorkflowYaml, _ => questionnaire);
        if (workflow is null)
        {
            throw new InvalidOperationException($"saved definition {workflowId} v{version} is invalid: {string.Join("; ", diagnostics)}");
        }
        var loaded = new LoadedDefinition(workflow, questionnaire);
        Cache[key] = loaded;
        return loaded;
    }
}
