using System.Diagnostics;
using Wetstoets.Reports;

namespace Wetstoets.Benchmarks;

/// <summary>
/// The repository's README (<c>index.md.sbn</c>) rendered over many reviews: every published version renders it
/// once, over every review published so far.
/// </summary>
public static class IndexRendering
{
    public static void Run(int reviews)
    {
        var templates = new TemplateRenderer([Path.Combine(AppContext.BaseDirectory, "templates")]);
        var rows = Enumerable.Range(1, reviews)
            .Select(i => new IndexRow($"WT-2026-{i:0000}", "participatiewet", $"Wijziging {i} (art. 31)", 1, "uitvoerbaar-mits", "Uitvoerbaar, mits", $"participatiewet/WT-2026-{i:0000}", IsDemo: false))
            .ToList();
        var model = new IndexModel(rows);
        templates.Render("index.md.sbn", model);
        var watch = Stopwatch.StartNew();
        const int Renders = 100;
        var length = 0;
        for (var i = 0; i < Renders; i++)
        {
            length = templates.Render("index.md.sbn", model).Length;
        }
        Console.WriteLine($"[readme] {reviews} reviews: {watch.Elapsed.TotalMilliseconds / Renders:0.00} ms per render ({length / 1024} KiB)");
    }
}
