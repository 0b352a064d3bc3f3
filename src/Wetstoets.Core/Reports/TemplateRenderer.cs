using System.Text;
using Scriban;
using Scriban.Functions;
using Scriban.Runtime;
using Wetstoets.Common;

namespace Wetstoets.Reports;

/// <summary>
/// Renders the Scriban templates of <c>templates/</c>; a file of the same name in the workspace's
/// <c>templates/</c> overrides the shipped one. Parsed templates are cached per path.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly IReadOnlyList<string> _folders;
    private readonly Dictionary<string, Template> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    // Stateless functions, read-only to templates: one set for every render, on any thread.
    private static readonly DutchFunctions Functions = new() { IsReadOnly = true };
    // Scriban's built-in functions (array, string, date, ...), shared read-only as well: a new context otherwise
    // copies all of them, half a millisecond for each of the three templates every published version renders.
    private static readonly ScriptObject Builtins = ReadOnly(new BuiltinFunctions());
    // The output of this thread's last render, reused: the repository's README is over 100 KiB at 1,000 reviews,
    // and growing a new buffer to that size took a fifth of its rendering.
    [ThreadStatic]
    private static StringBuilder? _output;

    /// <param name="folders">Template folders, highest precedence first.</param>
    public TemplateRenderer(IReadOnlyList<string> folders) => _folders = folders;

    public string Render(string name, object model)
    {
        var template = Load(name);
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        globals.SetValue("nl", Functions, readOnly: true);
        var output = _output ??= new StringBuilder();
        output.Clear();
        var context = new TemplateContext(Builtins) { MemberRenamer = StandardMemberRenamer.Default, StrictVariables = true, LoopLimit = 100_000 };
        context.PushOutput(new StringBuilderOutput(output));
        context.PushGlobal(globals);
        return template.Render(context);
    }

    private static ScriptObject ReadOnly(ScriptObject functions)
    {
        foreach (var value in functions.Values)
        {
            if (value is ScriptObject nested)
            {
                ReadOnly(nested);
            }
        }
        functions.IsReadOnly = true;
        return functions;
    }

    public string Path(string name) =>
        _folders.Select(f => System.IO.Path.Combine(f, name)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"template '{name}' not found in {string.Join(", ", _folders)}");

    private Template Load(string name)
    {
        var path = Path(name);
        lock (_lock)
        {
            if (_cache.TryGetValue(path, out var cached))
            {
                return cached;
            }
            var template = Template.Parse(File.ReadAllText(path), path);
            if (template.HasErrors)
            {
                var messages = template.Messages.Select(m => new Diagnostic(path, m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message));
                throw new TemplateException(string.Join(Environment.NewLine, messages));
            }
            _cache[path] = template;
            return template;
        }
    }
}

/// <summary>A template file that does not parse: an authoring error with file, line and column.</summary>
public sealed class TemplateException(string message) : Exception(message);
