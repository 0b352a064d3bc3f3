using System.CommandLine;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Reviews;
using Wetstoets.Workflows;
using static Wetstoets.Cli.Commands.CommandFactory;

namespace Wetstoets.Cli.Commands;

/// <summary><c>review start | list | status | revise | close | retry</c>.</summary>
public static class ReviewCommands
{
    private static readonly Argument<string> ReviewId = new("id") { Description = "Review id, e.g. WT-2026-0001" };

    public static Command Build()
    {
        var draft = FileArgument("draft.yaml", "The draft (see SPEC §4)");
        var workflow = new Option<string?>("--workflow") { Description = "Workflow id (default: the draft's, else uitvoeringstoets)" };

        return Group("review", "Reviews of draft law changes",
            Create("start", "Route a draft to its panels and invite them; prints the review id", async (parse, context, ct) =>
            {
                var path = parse.GetValue(draft)!;
                if (ReadInput(path) is not { } text)
                {
                    return ExitCode.Rejected;
                }
                var result = await context.RunAsync<StartReview, Result<StartedReview>>(
                    u => u.ExecuteAsync(path, text, parse.GetValue(workflow), isDemo: false, CliContext.Actor, ct), ct);
                if (result.IsSuccess)
                {
                    Output.Line(result.Value!.ReviewId);
                    if (result.Value.Outcome == RunOutcome.Failed)
                    {
                        Output.Message($"error: a step failed: see 'wetstoets review status {result.Value.ReviewId}'");
                        return ExitCode.OutsideFailure;
                    }
                }
                return Output.Report(result);
            }, draft, workflow),
            Create("list", "List reviews", async (parse, context, ct) =>
            {
                var reviews = await context.RunAsync<ReviewStatus, IReadOnlyList<ReviewSummary>>(u => u.ListAsync(ct), ct);
                if (parse.GetValue(CliContext.JsonOption))
                {
                    Output.WriteJson(reviews);
                }
                else
                {
                    foreach (var r in reviews)
                    {
                        Output.Line($"{r.Id}\t{r.State}\t{r.Step}\tround {r.Round}\t{r.Title}");
                    }
                }
                return ExitCode.Success;
            }, CliContext.JsonOption),
            Create("status", "Round, deadline, responses per size class, reminders, next timer", (parse, context, ct) =>
                ShowAsync<ReviewStatus, ReviewStatusReport>(parse, context, u => u.GetAsync(parse.GetValue(ReviewId)!, ct), StatusText.Print, ct),
                ReviewId, CliContext.JsonOption),
            Create("history", "Steps executed, timers armed and fired, and who did what, oldest first", (parse, context, ct) =>
                ShowAsync<ReviewHistory, IReadOnlyList<HistoryEntry>>(parse, context, u => u.GetAsync(parse.GetValue(ReviewId)!, ct), HistoryText.Print, ct),
                ReviewId, CliContext.JsonOption),
            Create("revise", "Add the next draft version and run the next round with the same panels", async (parse, context, ct) =>
            {
                var path = parse.GetValue(draft)!;
                if (ReadInput(path) is not { } text)
                {
                    return ExitCode.Rejected;
                }
                var result = await context.RunAsync<DecideReview, Result<int>>(u => u.ReviseAsync(parse.GetValue(ReviewId)!, path, text, CliContext.Actor, ct), ct);
                if (result.IsSuccess)
                {
                    Output.Message($"{parse.GetValue(ReviewId)}: draft v{result.Value} is out in round {result.Value}");
                }
                return Output.Report(result);
            }, ReviewId, draft),
            Create("close", "Accept the last report; no more rounds", async (parse, context, ct) =>
            {
                var result = await context.RunAsync<DecideReview, Result<int>>(u => u.CloseAsync(parse.GetValue(ReviewId)!, CliContext.Actor, ct), ct);
                if (result.IsSuccess)
                {
                    Output.Message($"{parse.GetValue(ReviewId)} closed after round {result.Value}");
                }
                return Output.Report(result);
            }, ReviewId),
            Create("retry", "Run a failed step again", async (parse, context, ct) =>
            {
                var result = await context.RunAsync<RetryReview, Result<RunOutcome>>(u => u.ExecuteAsync(parse.GetValue(ReviewId)!, CliContext.Actor, ct), ct);
                if (result.IsSuccess && result.Value == RunOutcome.Failed)
                {
                    Output.Message($"error: the step failed again: see 'wetstoets review status {parse.GetValue(ReviewId)}'");
                    return ExitCode.OutsideFailure;
                }
                return Output.Report(result);
            }, ReviewId),
            Meeting());
    }

    /// <summary><c>review meeting &lt;id&gt; --at &lt;time&gt; [--duration PT1H30M]</c>: the panel's meeting in the shared calendar.</summary>
    private static Command Meeting()
    {
        var at = new Option<DateTimeOffset>("--at") { Description = "Start, e.g. 2026-12-03T14:00+01:00", Required = true };
        var duration = new Option<string>("--duration") { Description = "Length as an ISO 8601 duration (default PT1H30M, at most PT8H)", DefaultValueFactory = _ => "PT1H30M" };
        return Create("meeting", "Plan the panel's meeting about the current round: a calendar event with a Teams meeting (needs Microsoft 365)", async (parse, context, ct) =>
        {
            if (!IsoDuration.TryParse(parse.GetValue(duration), out var length))
            {
                Output.Message($"error: --duration '{parse.GetValue(duration)}' is not an ISO 8601 duration such as PT1H30M");
                return ExitCode.Usage;
            }
            var result = await context.RunAsync<PlanPanelMeeting, Result<PanelMeeting>>(
                u => u.ExecuteAsync(parse.GetValue(ReviewId)!, parse.GetValue(at), length, CliContext.Actor, ct), ct);
            return Output.Report(result, m => $"panel meeting of round {m.Round} planned at {m.StartsAt:yyyy-MM-dd HH:mm zzz}, {m.Attendees} attendees invited: {m.JoinUrl ?? m.EventId}");
        }, ReviewId, at, duration);
    }

    /// <summary>Runs a query and prints its result as text, or as one JSON document with <c>--json</c>.</summary>
    private static async Task<int> ShowAsync<TUseCase, T>(ParseResult parse, CliContext context, Func<TUseCase, Task<Result<T>>> query, Action<T> print, CancellationToken ct)
        where TUseCase : notnull
    {
        var result = await context.RunAsync(query, ct);
        if (result.IsSuccess)
        {
            if (parse.GetValue(CliContext.JsonOption))
            {
                Output.WriteJson(result.Value);
            }
            else
            {
                print(result.Value!);
            }
        }
        return Output.Report(result);
    }
}

internal static class HistoryText
{
    public static void Print(IReadOnlyList<HistoryEntry> entries)
    {
        foreach (var e in entries)
        {
            var round = e.Round is { } r ? $"r{r}" : "  ";
            Output.Line($"{e.At:yyyy-MM-dd HH:mm:ss zzz}  {round,-3} {e.Kind,-6}  {e.Actor,-12}  {e.What}{(e.Details is null ? "" : $"  ({e.Details})")}");
        }
    }
}

internal static class StatusText
{
    public static void Print(ReviewStatusReport s)
    {
        Output.Line($"{s.Id}: {s.Title}");
        Output.Line($"  workflow   {s.Workflow} v{s.WorkflowVersion}, step '{s.Step}', {s.State}{(s.WaitingFor is null ? "" : $" for {s.WaitingFor}")}");
        if (s.Error is not null)
        {
            Output.Line($"  error      {s.Error} (run 'wetstoets review retry {s.Id}' when it is mended)");
        }
        Output.Line($"  round      {s.Round}, deadline {s.Deadline:yyyy-MM-dd HH:mm:ss zzz}{(s.ClosedAt is null ? "" : $", closed {s.ClosedAt:yyyy-MM-dd HH:mm:ss zzz}")}");
        Output.Line($"  responses  {s.Responded} of {s.Invited} municipalities{(s.Late > 0 ? $", {s.Late} late" : "")}");
        foreach (var c in s.BySizeClass)
        {
            Output.Line($"    {c.SizeClass,-9} {c.Responded} of {c.Invited}");
        }
        Output.Line($"  reminders  {s.RemindersSent} sent; mails queued: {s.MailsQueued}");
        if (s.Comments > 0)
        {
            Output.Line($"  comments   {s.Comments} replies with text and no workbook");
        }
        foreach (var q in s.Quarantined.Where(q => q.Decision is null))
        {
            Output.Line($"  quarantine {q.Id}: {q.MunicipalityCode ?? "?"} from {q.From}, {q.ReceivedAt:yyyy-MM-dd HH:mm}: {q.Reason} ('wetstoets feedback accept|reject {q.Id}')");
        }
        if (s.Meeting is { } meeting)
        {
            Output.Line($"  meeting    {meeting.StartsAt:yyyy-MM-dd HH:mm zzz} to {meeting.EndsAt:HH:mm}, {meeting.Attendees} invited{(meeting.JoinUrl is null ? "" : $": {meeting.JoinUrl}")}");
        }
        Output.Line($"  next timer {(s.NextTimer is null ? "none" : $"{s.NextTimer.Kind} at {s.NextTimer.DueAt:yyyy-MM-dd HH:mm:ss zzz}")}");
        Output.Line($"  reports    {(s.ReportVersions.Count == 0 ? "none yet" : string.Join(", ", s.ReportVersions))}");
        foreach (var warning in s.Warnings)
        {
            Output.Line($"  warning    {warning}");
        }
    }
}
