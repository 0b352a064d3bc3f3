using Scriban.Syntax;
using Wetstoets.Reports;

namespace Wetstoets.Core.Tests.Reports;

/// <summary>Renders share Scriban's built-ins, the Dutch functions and a buffer per thread: none of it may leak between renders.</summary>
public sealed class TemplateRendererTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-templates").FullName;

    private TemplateRenderer Renderer(params (string Name, string Text)[] templates)
    {
        foreach (var (name, text) in templates)
        {
            File.WriteAllText(Path.Combine(_folder, name), text);
        }
        return new TemplateRenderer([_folder]);
    }

    public sealed record Model(string Name, IReadOnlyList<int> Numbers);

    [Fact]
    public void Renders_on_many_threads_at_once_each_get_their_own_output()
    {
        var renderer = Renderer(("rij.sbn", "{{ name }}:{{ for n in numbers }}{{ n }},{{ end }}|{{ nl.md name }}"));

        var rendered = new string[2_000];
        Parallel.For(0, rendered.Length, i => rendered[i] = renderer.Render("rij.sbn", new Model($"r{i}", Enumerable.Range(0, i % 7).ToList())));

        for (var i = 0; i < rendered.Length; i++)
        {
            Assert.Equal($"r{i}:{string.Concat(Enumerable.Range(0, i % 7).Select(n => $"{n},"))}|r{i}", rendered[i]);
        }
    }

    [Fact]
    public void A_long_render_leaves_nothing_behind_for_the_next_on_the_same_thread()
    {
        var renderer = Renderer(("lang.sbn", "{{ for n in numbers }}regel {{ n }}\n{{ end }}"), ("kort.sbn", "{{ name }}"));

        var first = renderer.Render("lang.sbn", new Model("x", Enumerable.Range(0, 10_000).ToList()));
        var second = renderer.Render("kort.sbn", new Model("kort", []));

        Assert.Equal(10_000, first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("kort", second);
    }

    [Fact]
    public void The_shared_functions_cannot_be_changed_by_a_template_and_its_own_variables_can()
    {
        var renderer = Renderer(
            ("wijzig.sbn", "{{ date.format = '%d' }}"),
            ("nl.sbn", "{{ nl.md = 'x' }}"),
            ("eigen.sbn", "{{ teller = 1 }}{{ teller = teller + 1 }}{{ teller }} {{ date.parse '2026-11-24' | date.to_string '%Y' }}"));

        Assert.Throws<ScriptRuntimeException>(() => renderer.Render("wijzig.sbn", new Model("x", [])));
        Assert.Throws<ScriptRuntimeException>(() => renderer.Render("nl.sbn", new Model("x", [])));
        Assert.Equal("2 2026", renderer.Render("eigen.sbn", new Model("x", [])));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
