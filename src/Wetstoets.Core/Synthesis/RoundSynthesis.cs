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

    /// <summary>The latest revision of each municipality's responses that arrived before the deadline.</summary>
    public static async Task<List<Response>> CountedResponsesAsync(WetstoetsDbContext db, string reviewId, int round, CancellationToken ct)
    {
        var responses = await db.Responses.AsNoTracking().Where(r => r.ReviewId == reviewId && r.Round == round && !r.IsLate).ToListAsync(ct);
        return responses.GroupBy(r => r.MunicipalityCode).Select(g => g.MaxBy(r => r.Revision)!).OrderBy(r => r.MunicipalityCode, StringComparer.Ordinal).ToList();
    }

    public static async Task<AssessmentFigures> ComputeAsync(
        WetstoetsDbContext db, string reviewId, int round, Questionnaire questionnaire, SynthesiseSettings settings, CancellationToken ct)
    {
        var participants = await db.Participants.AsNoTracking().Where(p => p.ReviewId == reviewId && p.Round == round)
            .OrderBy(p => p.MunicipalityCode).ToListAsync(ct);
        var counted = (await CountedResponsesAsync(db, reviewId, round, ct)).ToDictionary(r => r.MunicipalityCode);
        var late = await db.Responses.Where(r => r.ReviewId == reviewId && r.Round == round && r.IsLate)
            .Select(r => r.MunicipalityCode).Distinct().CountAsync(ct);
        var input = participants.Select(p => new CountedParticipant(
            p.MunicipalityCode, p.MunicipalityName, p.SizeClass, counted.GetValueOrDefault(p.MunicipalityCode)?.Answers)).ToList();
        return Synthesizer.Synthesise(questionnaire, input, late, settings);
    }

    public static string Serialize(AssessmentFigures figures) => JsonSerializer.Serialize(figures, Json);

    public static AssessmentFigures Deserialize(string json) => JsonSerializer.Deserialize<AssessmentFigures>(json, Json)!;
}
