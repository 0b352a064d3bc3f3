using System.Globalization;
using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Wetstoets.Ports;

namespace Wetstoets.M365.Graph;

/// <summary>
/// A SharePoint list as a second register of responses: one item per response revision
/// (<c>POST /sites/{site}/lists/{list}/items</c>). The list needs the text columns Toets, Gemeente, Kanaal and
/// Antwoorden, the number columns Ronde and Revisie, the date column Ontvangen and the yes/no column Te_laat;
/// the item's Title is the revision's key.
/// </summary>
public sealed class SharePointResponseRegister(GraphServiceClient graph, string site, string list) : IResponseRegister
{
    public async Task<bool> ContainsAsync(string key, CancellationToken ct)
    {
        var found = await graph.Sites[site].Lists[list].Items.GetAsync(request =>
        {
            request.QueryParameters.Filter = $"fields/Title eq '{key.Replace("'", "''", StringComparison.Ordinal)}'";
            request.QueryParameters.Top = 1;
            // Title is not indexed in a list made by hand; the register stays small enough to filter anyway.
            request.Headers.Add("Prefer", "HonorNonIndexedQueriesWarningMayFailRandomly");
        }, ct);
        return found?.Value is { Count: > 0 };
    }

    public async Task AddAsync(RegisterItem item, CancellationToken ct)
    {
        await graph.Sites[site].Lists[list].Items.PostAsync(new ListItem
        {
            Fields = new FieldValueSet
            {
                AdditionalData = new Dictionary<string, object>
                {
                    ["Title"] = item.Key,
                    ["Toets"] = item.ReviewId,
                    ["Ronde"] = item.Round,
                    ["Gemeente"] = item.MunicipalityCode,
                    ["Revisie"] = item.Revision,
                    ["Ontvangen"] = item.ReceivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["Te_laat"] = item.IsLate,
                    ["Kanaal"] = item.Channel,
                    ["Antwoorden"] = JsonSerializer.Serialize(item.Answers),
                },
            },
        }, cancellationToken: ct);
    }
}
