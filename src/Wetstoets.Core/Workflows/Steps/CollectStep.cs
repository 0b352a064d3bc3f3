using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Mail;

namespace Wetstoets.Workflows.Steps;

/// <summary>
/// Waits for the round's deadline. On arrival it arms the deadline and reminder timers; a reminder timer
/// reminds the contacts of municipalities that have not answered; the deadline timer closes the round (never
/// earlier), or extends it once when the quorum is missed and the definition allows.
/// </summary>
public sealed class CollectStep(InvitationMail mail) : IStepHandler
{
    public string Type => StepTypes.Collect;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var round = await context.CurrentRoundAsync(ct);
        var settings = context.Settings<CollectSettings>();
        if (context.Signal?.TimerId is not { } timerId)
        {
            // A retried step finds its timers armed already.
            if (!await context.Db.Timers.AnyAsync(t => t.ReviewId == round.ReviewId && t.Round == round.Number, ct))
            {
                ArmRoundTimers(context, round, settings);
            }
            return new StepResult.Wait(Bookmarks.Deadline);
        }
        var timer = await context.Db.Timers.SingleAsync(t => t.Id == timerId, ct);
        timer.FiredAt = context.Now;
        if (timer.Kind == TimerKind.Reminder)
        {
            if (context.Now >= round.Deadline)
            {
                // Fired late (downtime, a clock that jumped): a reminder of a deadline that has passed helps nobody.
                context.Audit("reminder-skipped", $"round {round.Number}: {timer.Id} came after the deadline");
            }
            else
            {
                await RemindAsync(context, round, settings, ct);
            }
            return new StepResult.Wait(Bookmarks.Deadline);
        }
        if (context.Now < round.Deadline)
        {
            // A trigger that fires early (clock skew between nodes) must not close the round: arm it again.
            context.Arm(NewTimer(context.Review.Id, round, TimerKind.Deadline, round.Deadline, timer.Id + "+"));
            return new StepResult.Wait(Bookmarks.Deadline);
        }
        return await CloseAsync(context, round, settings, ct);
    }

    private static void ArmRoundTimers(StepContext context, Round round, CollectSettings settings)
    {
        var reviewId = context.Review.Id;
        context.Arm(NewTimer(reviewId, round, TimerKind.Deadline, round.Deadline, $"{reviewId}/r{round.Number}/deadline"));
        var number = 0;
        foreach (var offset in settings.ReminderOffsets.Take(settings.MaxReminders))
        {
            number++;
            var due = round.Deadline + offset;
            if (due > context.Now)
            {
                context.Arm(NewTimer(reviewId, round, TimerKind.Reminder, due, $"{reviewId}/r{round.Number}/reminder/{number}"));
            }
        }
    }

    private async Task<StepResult> CloseAsync(StepContext context, Round round, CollectSettings settings, CancellationToken ct)
    {
        var quorum = await QuorumAsync(context, round, settings, ct);
        if (quorum.Shortfalls.Count > 0)
        {
            if (settings.ExtendBy is { } extension && !round.Extended)
            {
                round.Extended = true;
                round.Deadline += extension;
                await CountResponsesBeforeAsync(context, round, ct);
                context.Arm(NewTimer(round.ReviewId, round, TimerKind.Deadline, round.Deadline, $"{round.ReviewId}/r{round.Number}/deadline/extended"));
                context.Audit("round-extended", $"round {round.Number}: quorum missed ({string.Join("; ", quorum.Shortfalls)}); new deadline {round.Deadline:O}");
                await RemindAsync(context, round, settings, ct);
                return new StepResult.Wait(Bookmarks.Deadline);
            }
            context.Review.Warnings = [.. context.Review.Warnings,
                $"ronde {round.Number}: quorum niet gehaald ({string.Join("; ", quorum.Shortfalls)})"];
        }
        round.ClosedAt = context.Now;
        await DisarmRemainingAsync(context, round, ct);
        context.Audit("round-closed", $"round {round.Number}: {quorum.Responded} of {quorum.Invited} municipalities responded");
        return new StepResult.Continue();
    }

    private sealed record QuorumCheck(int Invited, int Responded, IReadOnlyList<string> Shortfalls);

    /// <summary>The response rate overall and per size class, with a line (in Dutch, for the report) per shortfall.</summary>
    private static async Task<QuorumCheck> QuorumAsync(StepContext context, Round round, CollectSettings settings, CancellationToken ct)
    {
        var db = context.Db;
        var participants = await db.Participants.AsNoTracking().Where(p => p.ReviewId == round.ReviewId && p.Round == round.Number)
            .Select(p => new { p.MunicipalityCode, p.SizeClass }).ToListAsync(ct);
        var responded = (await db.Responses.Where(r => r.ReviewId == round.ReviewId && r.Round == round.Number && !r.IsLate)
            .Select(r => r.MunicipalityCode).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var shortfalls = new List<string>();
        if (settings.QuorumRate is { } overall && Rate(participants.Count, participants.Count(p => responded.Contains(p.MunicipalityCode))) < overall)
        {
            shortfalls.Add($"{responded.Count} van {participants.Count} gemeenten gereageerd, quorum {Percent(overall)}");
        }
        foreach (var sizeClass in SizeClass.All)
        {
            var inClass = participants.Where(p => p.SizeClass == sizeClass).ToList();
            if (settings.SizeClassQuorum?.For(sizeClass) is not { } share || inClass.Count == 0)
            {
                continue;
            }
            var answered = inClass.Count(p => responded.Contains(p.MunicipalityCode));
            if (Rate(inClass.Count, answered) < share)
            {
                shortfalls.Add($"{sizeClass}: {answered} van {inClass.Count}, quorum {Percent(share)}");
            }
        }
        return new QuorumCheck(participants.Count, responded.Count, shortfalls);

        static decimal Rate(int invited, int answered) => invited == 0 ? 0m : (decimal)answered / invited;
        static string Percent(decimal share) => $"{Math.Round(share * 100)}%";
    }

    /// <summary>Responses kept as late because they came after the first deadline count once it is extended.</summary>
    private static async Task CountResponsesBeforeAsync(StepContext context, Round round, CancellationToken ct)
    {
        var late = await context.Db.Responses.Where(r => r.ReviewId == round.ReviewId && r.Round == round.Number && r.IsLate).ToListAsync(ct);
        foreach (var response in late.Where(r => r.ReceivedAt < round.Deadline))
        {
            response.IsLate = false;
            context.Audit("response-counted", $"{response.MunicipalityCode} revision {response.Revision}: received before the extended deadline");
        }
    }

    private async Task RemindAsync(StepContext context, Round round, CollectSettings settings, CancellationToken ct)
    {
        var db = context.Db;
        // Responses received before the (possibly just extended) deadline count as answers.
        var deadline = round.Deadline;
        var answered = await db.Responses.Where(r => r.ReviewId == round.ReviewId && r.Round == round.Number && (!r.IsLate || r.ReceivedAt < deadline))
            .Select(r => r.MunicipalityCode).Distinct().ToListAsync(ct);
        var limit = settings.MaxReminders + (round.Extended ? 1 : 0);
        var pending = await db.Invitations
            .Where(i => i.ReviewId == round.ReviewId && i.Round == round.Number && !answered.Contains(i.MunicipalityCode)
                && i.RemindersSent < limit)
            .ToListAsync(ct);
        if (pending.Count == 0)
        {
            return;
        }
        var names = await db.Participants.AsNoTracking().Where(p => p.ReviewId == round.ReviewId && p.Round == round.Number)
            .ToDictionaryAsync(p => p.MunicipalityCode, p => p.MunicipalityName, ct);
        var draft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == round.ReviewId && d.Version == round.DraftVersion, ct);
        var sent = await InvitationMail.MailCountsAsync(context, round, ct);
        foreach (var invitation in pending)
        {
            invitation.RemindersSent++;
            sent[invitation.MunicipalityCode] = sent.GetValueOrDefault(invitation.MunicipalityCode) + 1;
            mail.Queue(context, invitation, names[invitation.MunicipalityCode],
                draft, round, settings.ReminderTemplate, invitation.RemindersSent, sent[invitation.MunicipalityCode]);
        }
        round.RemindersSent++;
        context.Audit("reminded", $"round {round.Number}: {pending.Select(i => i.MunicipalityCode).Distinct().Count()} municipalities without an answer");
    }

    private static async Task DisarmRemainingAsync(StepContext context, Round round, CancellationToken ct)
    {
        var remaining = await context.Db.Timers
            .Where(t => t.ReviewId == round.ReviewId && t.Round == round.Number && t.FiredAt == null && t.CancelledAt == null)
            .ToListAsync(ct);
        foreach (var timer in remaining.Where(t => t.Id != context.Signal?.TimerId))
        {
            timer.CancelledAt = context.Now;
            context.TimersToDisarm.Add(timer);
        }
    }

    private static ReviewTimer NewTimer(string reviewId, Round round, string kind, DateTimeOffset due, string id) =>
        new() { Id = id, ReviewId = reviewId, Round = round.Number, Kind = kind, DueAt = due };
}
