using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;

namespace Wetstoets.Workflows;

public sealed record Routing(IReadOnlyList<string> Panels, IReadOnlyList<string> MissingSizeClasses);

/// <summary>Which panels a draft goes to, and which size classes they leave under-represented.</summary>
public static class PanelRouting
{
    /// <summary>Panels named by the workflow step win, then those named by the draft, then those sharing a domain with it.</summary>
    public static async Task<Result<Routing>> ChooseAsync(WetstoetsDbContext db, Draft draft, RouteSettings settings, CancellationToken ct)
    {
        var panels = await db.Panels.AsNoTracking().Include(p => p.Members).ToListAsync(ct);
        var named = settings.Panels.Count > 0 ? settings.Panels : draft.Panels;
        List<Panel> chosen;
        if (named.Count > 0)
        {
            var unknown = named.Where(n => panels.All(p => p.Id != n)).ToList();
            if (unknown.Count > 0)
            {
                return Result<Routing>.Fail($"unknown panel(s): {string.Join(", ", unknown)} (import them with 'wetstoets panels import')");
            }
            chosen = panels.Where(p => named.Contains(p.Id)).ToList();
        }
        else
        {
            chosen = panels.Where(p => p.Domains.Intersect(draft.Domains, StringComparer.OrdinalIgnoreCase).Any()).ToList();
            if (chosen.Count == 0)
            {
                return Result<Routing>.Fail($"no panel covers the draft's domains ({string.Join(", ", draft.Domains)}); name panels in the draft or import a panel for these domains");
            }
        }
        var codes = chosen.SelectMany(p => p.Members).Select(m => m.MunicipalityCode).Distinct().ToList();
        if (codes.Count == 0)
        {
            return Result<Routing>.Fail($"panel(s) {string.Join(", ", chosen.Select(p => p.Id))} have no members");
        }
        var classes = await db.Municipalities.AsNoTracking().Where(m => codes.Contains(m.Code)).ToListAsync(ct);
        var missing = SizeClass.All
            .Where(c => classes.Count(m => m.SizeClass == c) < Math.Max(settings.MinPerSizeClass, 0) && settings.MinPerSizeClass > 0)
            .ToList();
        var routing = new Routing(chosen.Select(p => p.Id).Order(StringComparer.Ordinal).ToList(), missing);
        // Warnings are shown to the ministry in reports, so they are Dutch.
        var warnings = missing.Select(c => $"grootteklasse {c} heeft minder dan {settings.MinPerSizeClass} gemeente(n) in de panels").ToList();
        return Result<Routing>.Ok(routing, warnings);
    }
}
