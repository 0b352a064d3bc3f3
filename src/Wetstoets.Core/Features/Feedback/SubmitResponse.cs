using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Feedback;

public sealed record SubmittedResponse(string ReviewId, int Round, string MunicipalityCode, int Revision, bool IsLate);

/// <summary>
/// Takes in one municipality's response on any intake path (command line, web, mail). One timing rule for
/// all: what is received before the deadline counts; later responses are kept as late and not counted.
/// </summary>
public sealed class SubmitResponse(WetstoetsDbContext db, TimeProvider clock)
{
    // alongside: rows that must commit with the response and only with it (the record of the mail it came in),
    // added again on every attempt; it gets the response's revision.
    public async Task<Result<SubmittedResponse>> ExecuteAsync(
        string reviewId, ResponseSubmission submission, string channel, string submittedBy, DateTimeOffset? receivedAt, CancellationToken ct,
        Action<WetstoetsDbContext, int>? alongside = null)
    {
        var received = receivedAt ?? clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SubmitOnceAsync(reviewId, submission, channel, submittedBy, received, alongside, ct);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // The same municipality revised at the same moment: number this revision after it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Reads and writes in one write transaction (SQLite: BEGIN IMMEDIATE), so lateness is decided against the
    /// round as it is at the commit: a response is in before the close committed (and counted by the synthesis
    /// after it), or it is late. Intake is the hot path of a round: two reads and one durable commit.
    /// </summary>
    private async Task<Result<SubmittedResponse>> SubmitOnceAsync(string reviewId, ResponseSubmission submission, string channel, string submittedBy,
        DateTimeOffset received, Action<WetstoetsDbContext, int>? alongside, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var target = await db.Reviews.AsNoTracking().Where(r => r.Id == reviewId)
            .Select(r => new
            {
                r.WorkflowId,
                r.WorkflowVersion,
                Round = db.Rounds.FirstOrDefault(x => x.ReviewId == r.Id && x.Number == r.CurrentRound),
            })
            .SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        if (target.Round is not { } round)
        {
            return Result<SubmittedResponse>.Fail($"{reviewId} has no open round");
        }
        var code = submission.MunicipalityCode.Trim().ToUpperInvariant();
        var invited = await db.Participants.AsNoTracking()
            .Where(p => p.ReviewId == reviewId && p.Round == round.Number && p.MunicipalityCode == code)
            .Select(p => new { LastRevision = db.Responses.Where(r => r.ReviewId == reviewId && r.Round == round.Number && r.MunicipalityCode == code).Max(r => (int?)r.Revision) })
            .SingleOrDefaultAsync(ct);
        if (invited is null)
        {
            return Problem.NotFound($"municipality '{submission.MunicipalityCode}' was not invited to round {round.Number} of {reviewId}");
        }
        var definition = await DefinitionStore.LoadAsync(db, target.WorkflowId, target.WorkflowVersion, ct);
        var changes = submission.Comments.Count == 0 ? [] : await db.Drafts.AsNoTracking()
            .Where(d => d.ReviewId == reviewId && d.Version == round.DraftVersion).Select(d => d.Changes).SingleAsync(ct);
        var (answers, comments, notes, problems) = Validate(definition.Questionnaire, changes, submission);
        if (problems.Count > 0)
        {
            return Result<SubmittedResponse>.Fail(problems);
        }

        var isLate = !round.AcceptsAt(received);
        var revision = 1 + (invited.LastRevision ?? 0);
        db.Responses.Add(new Response
        {
            ReviewId = reviewId, Round = round.Number, MunicipalityCode = code, Revision = revision, ReceivedAt = received,
            IsLate = isLate, Channel = channel, SubmittedBy = submittedBy, Answers = answers, Comments = comments, Notes = notes,
        });
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = submittedBy, Action = isLate ? "response-late" : "response-received",
            Subject = reviewId, Details = $"{code} round {round.Number} revision {revision} via {channel}",
        });
        alongside?.Invoke(db, revision);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var warnings = isLate ? new[] { $"the round closed at {round.Deadline:O}: this response is kept as late and not counted" } : [];
        return Result<SubmittedResponse>.Ok(new SubmittedResponse(reviewId, round.Number, code, revision, isLate), warnings);
    }

    private static (Dictionary<string, string>, Dictionary<string, string>, Dictionary<string, string>, List<Problem>) Validate(
        Questionnaire questionnaire, IReadOnlyList<DraftChange> changes, ResponseSubmission submission)
    {
        var problems = new List<Problem>();
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, raw) in submission.Answers)
        {
            var question = questionnaire.Find(id);
            if (question is null)
            {
                problems.Add(submission.ProblemAt($"answers.{id}", $"unknown question '{id}'"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            var (value, error) = AnswerValidator.Normalise(question, raw);
            if (error is not null)
            {
                problems.Add(submission.ProblemAt($"answers.{id}", error));
            }
            else
            {
                answers[id] = value!;
            }
        }
        foreach (var question in questionnaire.Questions.Where(q => q.Required && !answers.ContainsKey(q.Id)))
        {
            problems.Add(new Problem($"'{question.Id}' is required"));
        }
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in submission.Comments)
        {
            var changeId = key.StartsWith("artikel:", StringComparison.Ordinal) ? key["artikel:".Length..] : key;
            if (changes.All(c => c.Id != changeId))
            {
                problems.Add(submission.ProblemAt($"comments.{key}", $"unknown change '{changeId}' (the draft changes {string.Join(", ", changes.Select(c => c.Id))})"));
            }
            else if (text.Length > AnswerValidator.MaxTextLength)
            {
                problems.Add(submission.ProblemAt($"comments.{key}", $"comment on '{changeId}' is longer than {AnswerValidator.MaxTextLength} characters"));
            }
            else if (!string.IsNullOrWhiteSpace(text))
            {
                comments[changeId] = text.Trim();
            }
        }
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, text) in submission.Notes)
        {
            if (questionnaire.Find(id) is null)
            {
                problems.Add(submission.ProblemAt($"notes.{id}", $"note on unknown question '{id}'"));
            }
            else if (text.Length > AnswerValidator.MaxTextLength)
            {
                problems.Add(submission.ProblemAt($"notes.{id}", $"note on '{id}' is longer than {AnswerValidator.MaxTextLength} characters"));
            }
            else if (!string.IsNullOrWhiteSpace(text))
            {
                notes[id] = text.Trim();
            }
        }
        return (answers, comments, notes, problems);
    }
}
