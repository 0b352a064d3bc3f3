using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Synthesis;

/// <summary>Reads a round's participants and counted responses from the database and synthesises them.</summary>
public static class RoundSynthesis
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A round's responses, read once: the latest revision of each municipality's responses that arrived before
    /// the deadline (by municipality code), and those kept as late (in the order they came).
    /// </summary>
    public sealed record RoundResponses(List<Response> Counted, List<Response> Late);

    public static async Task<RoundResponses> ResponsesAsync(WetstoetsDbContext db, string reviewId, int round, CancellationToken ct)
    {
        var responses = await db.Responses.AsNoTracking().Where(r => r.ReviewId == reviewId && r.Round == round).ToListAsync(ct);
        var counted = responses.Where(r => !r.IsLate).GroupBy(r => r.MunicipalityCode).Select(g => g.MaxBy(r => r.Revision)!)
            .OrderBy(r => r.MunicipalityCode, StringComparer.Ordinal).ToList();
        return new RoundResponses(counted, responses.Where(r => r.IsLate).OrderBy(r => r.Id).ToList());
    }

    public static async Task<AssessmentFigures> ComputeAsync(
        WetstoetsDbContext db, string reviewId, int round, Questionnaire questionnaire, SynthesiseSettings settings, CancellationToken ct)
    {
        var participants = await db.Participants.AsNoTracking().Where(p => p.ReviewId == reviewId && p.Round == round)
            .OrderBy(p => p.MunicipalityCode).ToListAsync(ct);
        var responses = await ResponsesAsync(db, reviewId, round, ct);
        var counted = responses.Counted.ToDictionary(r => r.MunicipalityCode);
        var late = responses.Late.Select(r => r.MunicipalityCode).Distinct().Count();
        var input = participants.Select(p => new CountedParticipant(
            p.MunicipalityCode, p.MunicipalityName, p.SizeClass, counted.GetValueOrDefault(p.MunicipalityCode)?.Answers)).ToList();
        return Synthesizer.Synthesise(questionnaire, input, late, settings);
    }

    public static string Serialize(AssessmentFigures figures) => JsonSerializer.Serialize(figures, Json);

    public static AssessmentFigures Deserialize(string json) => JsonSerializer.Deserialize<AssessmentFigures>(json, Json)!;
}
