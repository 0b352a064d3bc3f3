using Microsoft.EntityFrameworkCore;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Features.Feedback;

/// <summary>
/// Copies responses to the second register, oldest first, each revision once: the attempt is recorded before
/// an item is added, and a response whose attempt was interrupted is looked up in the register before it is
/// added again. Responses wait in the database while the register cannot be reached.
/// </summary>
public sealed class RegisterResponses(WetstoetsDbContext db, TimeProvider clock, IResponseRegister? register = null)
{
    private const int Batch = 100;

    public bool HasRegister => register is not null;

    /// <summary>Adds what is not in the register yet; returns how many responses were recorded as registered.</summary>
    public async Task<int> ExecuteAsync(CancellationToken ct)
    {
        if (register is null)
        {
            return 0;
        }
        var pending = await db.Responses.Where(r => r.RegisteredAt == null).OrderBy(r => r.Id).Take(Batch).ToListAsync(ct);
        foreach (var response in pending)
        {
            if (response.RegisteringAt is null || !await register.ContainsAsync(response.RegisterKey, ct))
            {
                response.RegisteringAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
                await register.AddAsync(new RegisterItem(response.RegisterKey, response.ReviewId, response.Round, response.MunicipalityCode, response.Revision,
                    response.ReceivedAt, response.IsLate, response.Channel, response.Answers), ct);
            }
            response.RegisteredAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        return pending.Count;
    }
}
