using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;

namespace Wetstoets.Features.Panels;

public sealed record PanelSummary(string Id, string Name, IReadOnlyList<string> Domains, int Members, int Contacts, IReadOnlyDictionary<string, int> BySizeClass);

public sealed class ListPanels(WetstoetsDbContext db)
{
    public async Task<IReadOnlyList<PanelSummary>> ExecuteAsync(CancellationToken ct)
    {
        var panels = await db.Panels.AsNoTracking().Include(p => p.Members).ThenInclude(m => m.Contacts).OrderBy(p => p.Id).ToListAsync(ct);
        var municipalities = await db.Municipalities.AsNoTracking().ToDictionaryAsync(m => m.Code, ct);
        return panels.Select(p => new PanelSummary(
            p.Id, p.Name, p.Domains, p.Members.Count, p.Members.Sum(m => m.Contacts.Count),
            SizeClass.All.ToDictionary(c => c, c => p.Members.Count(m => municipalities.TryGetValue(m.MunicipalityCode, out var x) && x.SizeClass == c)))).ToList();
    }
}
