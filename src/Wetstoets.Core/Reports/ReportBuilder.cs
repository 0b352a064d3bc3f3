using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Synthesis;
using Wetstoets.Workflows;

namespace Wetstoets.Reports;

/// <summary>
/// A round's report version as the render step left it, with the title and verdict it shows; both null when the
/// version was published before and not rendered again.
/// </summary>
public sealed record RenderedVersion(ReportVersion Version, string? Title, string? Verdict);

public sealed record RenderedReport(string Markdown, string Html, string DataJson)
{
    public string ContentHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Markdown + "\0" + Html + "\0" + DataJson)));
}

/// <summary>Renders a round's report from the database: the model for the templates, and data.json by code.</summary>
public sealed class ReportBuilder(WetstoetsDbContext db, TemplateRenderer templates)
{
    /// <summary>
    /// Renders and keeps the version of the review's current round; a published version is never re-rendered.
    /// <paramref name="figures"/>: the round's figures when the caller has them, else they are read.
    /// </summary>
    public async Task<RenderedVersion> RenderVersionAsync(Review review, LoadedDefinition definition, DateTimeOffset now, CancellationToken ct,
        AssessmentFigures? figures = null)
    {
        var round = review.CurrentRound;
        var version = await db.ReportVersions.SingleOrDefaultAsync(v => v.ReviewId == review.Id && v.Version == round, ct);
        if (version?.PublishedAt is not null)
        {
            return new RenderedVersion(version, null, null);
        }
        figures ??= await FiguresAsync(review.Id, round, definition, ct);
        var (rendered, title) = await RenderAsync(review, round, definition, figures, ct);
        if (version is null)
        {
            version = new ReportVersion { ReviewId = review.Id, Version = round, Round = round, Markdown = "", Html = "", DataJson = "", ContentHash = "" };
            db.ReportVersions.Add(version);
        }
        version.Markdown = rendered.Markdown;
        version.Html = rendered.Html;
        version.DataJson = rendered.DataJson;
        version.ContentHash = rendered.ContentHash;
        version.RenderedAt = now;
        return new RenderedVersion(version, title, figures.Verdict);
    }

    /// <summary>Renders a round without keeping anything: the figures so far when the round is still open.</summary>
    public async Task<RenderedReport> RenderAsync(Review review, int roundNumber, LoadedDefinition definition, CancellationToken ct) =>
        (await RenderAsync(review, roundNumber, definition, await FiguresAsync(review.Id, roundNumber, definition, ct), ct)).Report;

    private async Task<(RenderedReport Report, string Title)> RenderAsync(Review review, int roundNumber, LoadedDefinition definition,
        AssessmentFigures figures, CancellationToken ct)
    {
        var model = await BuildModelAsync(review, roundNumber, definition, figures, ct);
        var identity = new ReportIdentity(review.Id, roundNumber, roundNumber, review.LawId, model.Title, review.IsDemo);
        return (new RenderedReport(
            templates.Render("rapport.md.sbn", model),
            templates.Render("rapport.html.sbn", model),
            DataJson.Write(identity, figures, model.Warnings)), model.Title);
    }

    private async Task<AssessmentFigures> FiguresAsync(string reviewId, int round, LoadedDefinition definition, CancellationToken ct)
    {
        var stored = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.ReviewId == reviewId && a.Round == round, ct);
        return stored is not null
            ? RoundSynthesis.Deserialize(stored.DataJson)
            : await RoundSynthesis.ComputeAsync(db, reviewId, round, definition.Questionnaire,
                definition.Workflow.FirstSettings<SynthesiseSettings>() ?? new SynthesiseSettings(null, []), ct);
    }

    private async Task<ReportModel> BuildModelAsync(Review review, int roundNumber, LoadedDefinition definition, AssessmentFigures figures, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().SingleAsync(r => r.ReviewId == review.Id && r.Number == roundNumber, ct);
        var draft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == review.Id && d.Version == round.DraftVersion, ct);
        var participants = await db.Participants.AsNoTracking().Where(p => p.ReviewId == review.Id && p.Round == roundNumber)
            .OrderBy(p => p.MunicipalityCode).ToListAsync(ct);
        var (counted, late) = await RoundSynthesis.ResponsesAsync(db, review.Id, roundNumber, ct);
        var names = participants.ToDictionary(p => p.MunicipalityCode);
        var questionnaire = definition.Questionnaire;
        var verdictLabel = VerdictLabel(questionnaire, figures.Verdict);

        var consenting = counted.Where(r => r.Answers.GetValueOrDefault("citeren") == "ja").ToList();
        var quotes = consenting.SelectMany(r => Quotes(r, names[r.MunicipalityCode])).ToList();
        var articleComments = draft.Changes.Select(change => new ArticleCommentsRow(
            change.Id,
            change.Article,
            consenting.Where(r => r.Comments.ContainsKey(change.Id))
                .Select(r => new QuoteRow(names[r.MunicipalityCode].MunicipalityName, names[r.MunicipalityCode].SizeClass, "artikel:" + change.Id, r.Comments[change.Id]))
                .ToList(),
            counted.Count(r => r.Comments.ContainsKey(change.Id) && r.Answers.GetValueOrDefault("citeren") != "ja"))).ToList();

        var respondedCodes = counted.Select(r => r.MunicipalityCode).ToHashSet();
        return new ReportModel(
            review.Id, review.Kind, roundNumber, roundNumber, review.IsDemo, draft.Title, draft.LawId, draft.LawName ?? draft.LawId, draft.Bwb,
            draft.Summary, draft.Changes, draft.Assumptions, round.OpenedAt, round.Deadline, round.ClosedAt,
            figures.Invited, figures.Responded, Rate(figures.Responded, figures.Invited), figures.Verdict, verdictLabel,
            figures.BySizeClass.Select(c => new SizeClassRow(c.SizeClass, c.Invited, c.Responded, Rate(c.Responded, c.Invited),
                ReportRows.Questions(questionnaire, c.Questions))).ToList(),
            ReportRows.Questions(questionnaire, figures.Questions),
            quotes,
            articleComments,
            late.Select(r => new LateRow(names.TryGetValue(r.MunicipalityCode, out var p) ? p.MunicipalityName : r.MunicipalityCode, r.ReceivedAt)).ToList(),
            participants.Select(p => new ParticipantRow(p.MunicipalityCode, p.MunicipalityName, p.SizeClass, respondedCodes.Contains(p.MunicipalityCode))).ToList(),
            review.Warnings.Where(w => !w.StartsWith("ronde ", StringComparison.Ordinal) || w.StartsWith($"ronde {roundNumber}:", StringComparison.Ordinal)).ToList(),
            await SincePreviousAsync(review.Id, roundNumber, draft, figures, ct));
    }

    private static IEnumerable<QuoteRow> Quotes(Response response, RoundParticipant who)
    {
        if (response.Answers.GetValueOrDefault("toelichting") is { Length: > 0 } explanation)
        {
            yield return new QuoteRow(who.MunicipalityName, who.SizeClass, "toelichting", explanation);
        }
        foreach (var (question, note) in response.Notes.Where(n => n.Value.Length > 0).OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            yield return new QuoteRow(who.MunicipalityName, who.SizeClass, question, note);
        }
    }

    private async Task<ChangesSincePrevious?> SincePreviousAsync(string reviewId, int round, Draft draft, AssessmentFigures figures, CancellationToken ct)
    {
        if (round <= 1)
        {
            return null;
        }
        var previousRound = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.ReviewId == reviewId && r.Number == round - 1, ct);
        var previousAssessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.ReviewId == reviewId && a.Round == round - 1, ct);
        if (previousRound is null || previousAssessment is null)
        {
            return null;
        }
        var previousDraft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == reviewId && d.Version == previousRound.DraftVersion, ct);
        return ReportDiff.Compare(round - 1, previousDraft, draft, RoundSynthesis.Deserialize(previousAssessment.DataJson), figures);
    }

    public static string VerdictLabel(Wetstoets.Questionnaires.Questionnaire questionnaire, string? verdict) =>
        questionnaire.Find("oordeel")?.Options.FirstOrDefault(o => o.Code == verdict)?.Label ?? "Geen oordeel";

    private static decimal? Rate(int part, int whole) => whole == 0 ? null : (decimal)part / whole;
}
