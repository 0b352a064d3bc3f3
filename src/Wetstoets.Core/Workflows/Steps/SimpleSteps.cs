using Microsoft.EntityFrameworkCore;
using Wetstoets.Reports;

namespace Wetstoets.Workflows.Steps;

/// <summary>Renders the round's report version from the templates (not yet published).</summary>
public sealed class RenderStep(ReportBuilder reports) : IStepHandler
{
    public string Type => StepTypes.Render;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        context.Produced.Report = await reports.RenderVersionAsync(context.Review, context.Definition, context.Now, ct, context.Produced.Figures);
        return new StepResult.Continue();
    }
}

/// <summary>Records the rendered version in the report repository; publishing again has no second effect.</summary>
public sealed class PublishStep(ReportPublisher publisher) : IStepHandler
{
    public string Type => StepTypes.Publish;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var (version, _) = await publisher.PublishAsync(context.Review, context.Review.CurrentRound, context.Now, ct, context.Produced.Report);
        context.Audit("published", $"{version.Tag} {version.CommitSha}");
        return new StepResult.Continue();
    }
}

/// <summary>Waits for the ministry: <c>review revise</c> resumes it with <c>herzien</c>, <c>review close</c> with <c>sluiten</c>.</summary>
public sealed class DecisionStep : IStepHandler
{
    public string Type => StepTypes.Decision;

    public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct) =>
        Task.FromResult<StepResult>(context.Signal is { Bookmark: Signal.Decision, Outcome: { } outcome }
            ? new StepResult.Continue(outcome)
            : new StepResult.Wait(Bookmarks.Decision));
}

/// <summary>Ends the review and clears its working state (timers, mail queue); the history and audit trail stay.</summary>
public sealed class EndStep : IStepHandler
{
    public string Type => StepTypes.End;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var timers = await context.Db.Timers.Where(t => t.ReviewId == context.Review.Id).ToListAsync(ct);
        foreach (var timer in timers)
        {
            if (timer.IsPending)
            {
                timer.CancelledAt = context.Now;
            }
            // Fired ones too: a trigger whose timer was fired by another path (a retry, a replay) may linger.
            context.TimersToDisarm.Add(timer);
        }
        // The mail queue is working state (and holds contacts' addresses): the audit trail keeps what was sent.
        var mails = await context.Db.OutgoingMails.Where(m => m.ReviewId == context.Review.Id).ToListAsync(ct);
        context.Db.OutgoingMails.RemoveRange(mails);
        var unsent = mails.Count(m => m.SentAt is null);
        context.Audit("closed", unsent == 0 ? null : $"{unsent} queued mails dropped");
        return new StepResult.Finish();
    }
}
