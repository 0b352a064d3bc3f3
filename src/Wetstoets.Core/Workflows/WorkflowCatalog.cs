using Wetstoets.Common;
using Wetstoets.Questionnaires;

namespace Wetstoets.Workflows;

/// <summary>A definition file as found on disk, with the questionnaire it names.</summary>
public sealed record WorkflowSource(WorkflowDefinition Definition, string Path, string Yaml, string QuestionnairePath, string QuestionnaireYaml);

/// <summary>
/// The workflow definitions on disk: the product's <c>workflows/</c> folder and the workspace's, where a
/// definition with the same id and a higher version supersedes.
/// </summary>
public sealed class WorkflowCatalog
{
    private readonly IReadOnlyList<string> _folders;

    /// <param name="folders">Folders holding definitions, lowest precedence first.</param>
    public WorkflowCatalog(IReadOnlyList<string> folders) => _folders = folders;

    public (IReadOnlyList<WorkflowSource> Sources, IReadOnlyList<Diagnostic> Diagnostics) LoadAll()
    {
        var sources = new List<WorkflowSource>();
        var diagnostics = new List<Diagnostic>();
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
            {
                var (source, problems) = LoadFile(path);
                diagnostics.AddRange(problems);
                if (source is not null)
                {
                    sources.Add(source);
                }
            }
        }
        // The same id and version must mean the same definition: otherwise which one runs depends on file order.
        foreach (var clash in sources.GroupBy(s => (s.Definition.Id, s.Definition.Version)).Where(g => g.Select(s => s.Yaml).Distinct().Count() > 1))
        {
            var files = clash.ToList();
            diagnostics.Add(new Diagnostic(files[^1].Path, 1, 1,
                $"definition '{clash.Key.Id}' version {clash.Key.Version} is also in {files[0].Path} with different content; raise 'version' to supersede it"));
        }
        return (sources, diagnostics);
    }

    /// <summary>The newest version of each definition.</summary>
    public IReadOnlyList<WorkflowSource> Latest() => LatestOf(LoadAll().Sources);

    public static IReadOnlyList<WorkflowSource> LatestOf(IEnumerable<WorkflowSource> sources) =>
        sources.GroupBy(s => s.Definition.Id).Select(g => g.MaxBy(s => s.Definition.Version)!)
            .OrderBy(s => s.Definition.Id, StringComparer.Ordinal).ToList();

    public WorkflowSource? Find(string id) => Latest().FirstOrDefault(s => s.Definition.Id == id);

    public (WorkflowSource? Source, IReadOnlyList<Diagnostic> Diagnostics) LoadFile(string path)
    {
        var yaml = File.ReadAllText(path);
        string? questionnairePath = null;
        var (definition, diagnostics) = WorkflowLoader.Parse(path, yaml, id =>
        {
            questionnairePath = FindQuestionnaire(path, id);
            if (questionnairePath is null)
            {
                return null;
            }
            var (questionnaire, problems) = QuestionnaireLoader.Load(questionnairePath);
            return problems.Count == 0 ? questionnaire : null;
        });
        if (definition is null || questionnairePath is null)
        {
            return (null, diagnostics);
        }
        return (new WorkflowSource(definition, path, yaml, questionnairePath, File.ReadAllText(questionnairePath)), []);
    }

    /// <summary>Next to the definition first, then in every catalog folder, the workspace's winning.</summary>
    private string? FindQuestionnaire(string workflowPath, string id)
    {
        var beside = Path.Combine(Path.GetDirectoryName(workflowPath) ?? ".", "questionnaires", id + ".yaml");
        if (File.Exists(beside))
        {
            return beside;
        }
        return _folders.Reverse().Select(f => Path.Combine(f, "questionnaires", id + ".yaml")).FirstOrDefault(File.Exists);
    }
}
