using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using Wetstoets.Features.Reviews;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Cli.Demo;

/// <summary>
/// <c>wetstoets demo</c>: a whole review on embedded defaults, through the same use cases as the commands,
/// with a real worker firing the reminder and deadline timers. Rounds last seconds (samples/demo-workflow.yaml).
/// </summary>
public sealed class DemoRunner(CliContext context)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly DemoAnswers _answers = new(seed: 2026);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IServiceProvider _services = null!;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var workspace = context.Workspace;
        var samples = workspace.SamplesDirectory;
        Directory.CreateDirectory(workspace.WorkflowsDirectory);
        File.Copy(Path.Combine(samples, "demo-workflow.yaml"), Path.Combine(workspace.WorkflowsDirectory, "uitvoeringstoets-demo.yaml"), overwrite: true);
        _services = await context.ServicesAsync(ct, WorkspaceConfiguration.Load(workspace, new Dictionary<string, string?> { ["Worker:PollInterval"] = "00:00:01" }));
        Say($"werkmap: {workspace.DataDirectory}");

        var csv = Path.Combine(samples, "municipalities.csv");
        var imported = Require(await Use<ImportMunicipalities, Result<ImportedMunicipalities>>(u => u.ExecuteAsync(csv, File.ReadAllText(csv), "demo", ct)));
        var panelsFile = Path.Combine(samples, "panels.yaml");
        var panels = Require(await Use<ImportPanels, Result<ImportedPanels>>(u => u.ExecuteAsync(panelsFile, File.ReadAllText(panelsFile), "demo", ct)));
        Say($"{imported.Added} gemeenten en panel {string.Join(", ", panels.PanelIds)} ({panels.Members} leden) ingelezen");

        await using var worker = new WorkerHost(_services, workspace);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = worker.RunAsync(stop.Token);

        var draftV1 = Path.Combine(samples, "draft-v1.yaml");
        var started = Require(await Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync(draftV1, File.ReadAllText(draftV1), "uitvoeringstoets-demo", isDemo: true, "demo", ct)));
        var reviewId = started.ReviewId;
        Say($"{reviewId} gestart: uitnodigingen staan in {Path.Combine(workspace.OutboxDirectory, reviewId, "1")}");
        await RunRoundAsync(reviewId, 1, ct);

        var late = await AnswerAsync(reviewId, 1, share: 1.0, onlyMissing: true, take: 1, ct);
        Say($"ronde 1 gesloten; {late} antwoord na de deadline bewaard als te laat (niet meegeteld)");

        var draftV2 = Path.Combine(samples, "draft-v2.yaml");
        Require(await Use<DecideReview, Result<int>>(u => u.ReviseAsync(reviewId, draftV2, File.ReadAllText(draftV2), "demo", ct)));
        Say($"herzien ontwerp v2 uitgezet in ronde 2");
        await RunRoundAsync(reviewId, 2, ct);

        await stop.CancelAsync();
        await running;
        var status = Require(await Use<ReviewStatus, Result<ReviewStatusReport>>(u => u.GetAsync(reviewId, ct)));
        Say($"rapportversies: {string.Join(", ", status.ReportVersions)} (DEMO – fictieve antwoorden)");
        Say($"klaar in {_clock.Elapsed.TotalSeconds:0.0} s; bekijk de versies met: git -C {Reports} log --oneline");
        Output.Line(Reports);
        return ExitCode.Success;
    }

    private string Reports => Path.GetFullPath(context.Workspace.ReportsDirectory);

    /// <summary>Most municipalities answer at once, some only after the reminder; the worker closes the round.</summary>
    private async Task RunRoundAsync(string reviewId, int round, CancellationToken ct)
    {
        var first = await AnswerAsync(reviewId, round, share: round == 1 ? 0.55 : 0.7, onlyMissing: false, take: int.MaxValue, ct);
        Say($"ronde {round}: {first} gemeenten antwoorden direct");
        await WaitAsync(reviewId, r => r.State == ReviewState.Waiting && r.CurrentRound == round, db => db.Rounds.AnyAsync(x => x.ReviewId == reviewId && x.Number == round && x.RemindersSent > 0, ct), ct);
        var second = await AnswerAsync(reviewId, round, share: 0.5, onlyMissing: true, take: int.MaxValue, ct);
        Say($"ronde {round}: herinnering verstuurd aan wie nog niet antwoordde; daarna antwoorden er nog {second}");
        await WaitAsync(reviewId, r => r.State is ReviewState.Waiting or ReviewState.Failed && r.WaitingFor != Bookmarks.Deadline, _ => Task.FromResult(true), ct);
        var review = await Use<ReviewStatus, Result<ReviewStatusReport>>(u => u.GetAsync(reviewId, ct));
        if (review.Value!.Error is { } error)
        {
            throw new InvalidOperationException($"demo review failed: {error}");
        }
        Say($"ronde {round}: deadline verstreken, {review.Value.Responded} van {review.Value.Invited} gemeenten meegeteld; rapport v{round} vastgelegd en getagd");
    }

    private async Task<int> AnswerAsync(string reviewId, int round, double share, bool onlyMissing, int take, CancellationToken ct)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>();
        var participants = await db.Participants.AsNoTracking().Where(p => p.ReviewId == reviewId && p.Round == round).OrderBy(p => p.MunicipalityCode).ToListAsync(ct);
        var answered = await db.Responses.Where(r => r.ReviewId == reviewId && r.Round == round).Select(r => r.MunicipalityCode).Distinct().ToListAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == reviewId && d.Version == round, ct);
        var candidates = participants.Where(p => !answered.Contains(p.MunicipalityCode)).ToList();
        var count = Math.Min(take, (int)Math.Ceiling(candidates.Count * share));
        var submit = scope.ServiceProvider.GetRequiredService<SubmitResponse>();
        var taken = 0;
        foreach (var participant in candidates.Where((_, i) => onlyMissing || i % 10 < share * 10).Take(count))
        {
            var file = $"demo-{participant.MunicipalityCode}.yaml";
            var read = ResponseReader.Read(file, _answers.ResponseYaml(participant, round, draft.Changes));
            Require(await submit.ExecuteAsync(reviewId, Require(read), "demo", "demo:" + participant.MunicipalityCode, null, ct));
            db.ChangeTracker.Clear();
            taken++;
        }
        return taken;
    }

    private async Task WaitAsync(string reviewId, Func<Review, bool> reviewReady, Func<WetstoetsDbContext, Task<bool>> ready, CancellationToken ct)
    {
        var deadline = _clock.Elapsed + Patience;
        while (_clock.Elapsed < deadline)
        {
            await using (var scope = _services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>();
                var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId, ct);
                if (review.State == ReviewState.Failed || reviewReady(review) && await ready(db))
                {
                    return;
                }
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"demo: {reviewId} did not get there within {Patience.TotalSeconds} s");
    }

    private async Task<TResult> Use<TUseCase, TResult>(Func<TUseCase, Task<TResult>> action) where TUseCase : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }

    private static T Require<T>(Result<T> result) => result.IsSuccess
        ? result.Value!
        : throw new InvalidOperationException("demo: " + string.Join("; ", result.Problems.Select(p => p.Message)));

    private void Say(string text) => Output.Line($"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {text}");
}
