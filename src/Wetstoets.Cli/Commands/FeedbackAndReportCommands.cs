using System.CommandLine;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Reports;
using Wetstoets.Features.Reviews;
using Wetstoets.Questionnaires;
using Wetstoets.Reports;
using static Wetstoets.Cli.Commands.CommandFactory;

namespace Wetstoets.Cli.Commands;

/// <summary><c>feedback submit</c>, <c>feedback sync</c>, <c>report render</c> and <c>report publish</c>.</summary>
public static class FeedbackAndReportCommands
{
    private static readonly Argument<string> ReviewId = new("id") { Description = "Review id" };
    private static readonly Argument<int> QuarantineId = new("quarantine-id") { Description = "Number of the quarantined reply, as review status shows it" };

    public static Command Feedback()
    {
        var file = FileArgument("response", "A municipality's response: response.yaml (see SPEC §4) or the filled-in workbook .xlsx");
        return Group("feedback", "Responses of municipalities",
            Create("submit", "Take in a response by hand (e.g. one that came by letter)", async (parse, context, ct) =>
            {
                var path = parse.GetValue(file)!;
                var reviewId = parse.GetValue(ReviewId)!;
                var read = path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
                    ? await ReadWorkbookAsync(path, reviewId, context, ct)
                    : ReadInput(path) is { } text ? ResponseReader.Read(path, text) : null;
                if (read is null || !read.IsSuccess)
                {
                    return read is null ? ExitCode.Rejected : Output.Report(read);
                }
                var result = await context.RunAsync<SubmitResponse, Result<SubmittedResponse>>(
                    u => u.ExecuteAsync(reviewId, read.Value!, "cli", CliContext.Actor, null, ct), ct);
                if (result.IsSuccess)
                {
                    var r = result.Value!;
                    Output.Message($"{r.MunicipalityCode}: response revision {r.Revision} for round {r.Round} of {r.ReviewId}{(r.IsLate ? " (late: not counted)" : "")}");
                }
                return Output.Report(result);
            }, ReviewId, file),
            Create("sync", "Take in the replies waiting in the Microsoft 365 mailbox now", async (parse, context, ct) =>
            {
                var synced = await context.RunAsync<SyncReplies, SyncedReplies?>(
                    async u => u.HasMailbox ? await u.ExecuteAsync(ct) : null, ct);
                if (synced is null)
                {
                    Output.Message("M365:Mailbox is not set: replies are not read from a mailbox (see the README, Microsoft 365)");
                    return ExitCode.Usage;
                }
                Output.Message($"{synced.Responses} responses, {synced.Comments} comments, {synced.Quarantined} quarantined ({synced.Pages} pages{(synced.FullResync ? ", read from the start: the mailbox had forgotten where the last sync stopped" : "")})");
                return ExitCode.Success;
            }),
            Create("accept", "Take a quarantined reply in as the municipality's response (when its answers are valid)", async (parse, context, ct) =>
                Output.Report(await context.RunAsync<DecideReply, Result<DecidedReply>>(u => u.AcceptAsync(parse.GetValue(QuarantineId), CliContext.Actor, ct), ct),
                    d => $"quarantined reply {d.Id} accepted: {d.Response!.MunicipalityCode} response revision {d.Response.Revision} for round {d.Response.Round} of {d.Response.ReviewId}"),
                QuarantineId),
            Create("reject", "Keep a quarantined reply, marked rejected", async (parse, context, ct) =>
                Output.Report(await context.RunAsync<DecideReply, Result<DecidedReply>>(u => u.RejectAsync(parse.GetValue(QuarantineId), CliContext.Actor, ct), ct),
                    d => $"quarantined reply {d.Id} rejected"),
                QuarantineId));
    }

    /// <summary>A filled-in workbook, accepted only for the review and round it was made for.</summary>
    private static async Task<Result<ResponseSubmission>?> ReadWorkbookAsync(string path, string reviewId, CliContext context, CancellationToken ct)
    {
        if (ReadInputBytes(path) is not { } bytes)
        {
            return null;
        }
        var workbook = WorkbookReader.Read(path, bytes);
        if (!workbook.IsSuccess)
        {
            return Result<ResponseSubmission>.Fail(workbook.Problems);
        }
        var (forReview, _, round, submission) = workbook.Value!;
        if (forReview != reviewId)
        {
            return Result<ResponseSubmission>.Fail($"{path}: this workbook belongs to review {forReview}, not {reviewId}");
        }
        var status = await context.RunAsync<ReviewStatus, Result<ReviewStatusReport>>(u => u.GetAsync(reviewId, ct), ct);
        if (status.IsSuccess && status.Value!.Round != round)
        {
            return Result<ResponseSubmission>.Fail($"{path}: this workbook is for round {round}; {reviewId} is in round {status.Value.Round}");
        }
        return Result<ResponseSubmission>.Ok(submission);
    }

    public static Command Report()
    {
        var output = new Option<string?>("--out") { Description = "Folder to write rapport.md, rapport.html and data.json to (default: stdout shows rapport.md)" };
        return Group("report", "Assessment reports",
            Create("render", "Render the current round's report without publishing it", async (parse, context, ct) =>
            {
                var result = await context.RunAsync<ReportCommands, Result<RenderedReport>>(u => u.RenderAsync(parse.GetValue(ReviewId)!, ct), ct);
                if (!result.IsSuccess)
                {
                    return Output.Report(result);
                }
                var report = result.Value!;
                if (parse.GetValue(output) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                    await File.WriteAllTextAsync(Path.Combine(folder, "rapport.md"), report.Markdown, ct);
                    await File.WriteAllTextAsync(Path.Combine(folder, "rapport.html"), report.Html, ct);
                    await File.WriteAllTextAsync(Path.Combine(folder, "data.json"), report.DataJson, ct);
                    Output.Message($"written to {Path.GetFullPath(folder)}");
                }
                else
                {
                    Console.Out.Write(report.Markdown);
                }
                return ExitCode.Success;
            }, ReviewId, output),
            Create("publish", "Publish the current round's report version (again: no second version)", async (parse, context, ct) =>
            {
                var result = await context.RunAsync<ReportCommands, Result<ReportVersion>>(u => u.PublishAsync(parse.GetValue(ReviewId)!, CliContext.Actor, ct), ct);
                if (result.IsSuccess)
                {
                    Output.Message($"{result.Value!.Tag} at {result.Value.CommitSha}");
                }
                return Output.Report(result);
            }, ReviewId));
    }
}
