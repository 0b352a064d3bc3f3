using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;

namespace Wetstoets.Workflows;

/// <summary>What resumes a waiting review: a fired timer, or the ministry's decision.</summary>
public sealed record Signal(string Bookmark, string? Outcome = null, string? TimerId = null)
{
    public const string Timer = "timer";
    public const string Decision = "decision";
}

public abstract record StepResult
{
    public sealed record Continue(string? Outcome = null) : StepResult;
    public sealed record Wait(string Bookmark) : StepResult;
    public sealed record Finish : StepResult;
}

/// <summary>
/// Everything a step works with. Steps change entities of <see cref="Db"/> only; the runner commits those
/// changes together with the instance's new state, then arms the timers the step asked for.
/// </summary>
public sealed class StepContext(WetstoetsDbContext db, Review review, StepDefinition step, LoadedDefinition definition, Signal? signal, DateTimeOffset now, string actor,
    RunProducts produced)
{
    public WetstoetsDbContext Db { get; } = db;
    public Review Review { get; } = review;
    public StepDefinition Step { get; } = step;
    public LoadedDefinition Definition { get; } = definition;
    public Signal? Signal { get; } = signal;
    public DateTimeOffset Now { get; } = now;
    public string Actor { get; } = actor;
    public RunProducts Produced { get; } = produced;
    public List<ReviewTimer> TimersToArm { get; } = [];
    public List<ReviewTimer> TimersToDisarm { get; } = [];

    public T Settings<T>() where T : class => (T)Step.Settings;

    public Task<Round> CurrentRoundAsync(CancellationToken ct) =>
        Db.Rounds.SingleAsync(r => r.ReviewId == Review.Id && r.Number == Review.CurrentRound, ct);

    public void Audit(string action, string? details = null) =>
        Db.Audit.Add(new AuditEntry { At = Now, Actor = Actor, Action = action, Subject = Review.Id, Details = details });

    public void Arm(ReviewTimer timer)
    {
        Db.Timers.Add(timer);
        TimersToArm.Add(timer);
    }
}

/// <summary>
/// What the steps of one run made for the steps after them, so that publishing a report just rendered need not read
/// it back. A step that finds nothing here (it runs in a later run, after a crash or a retry) reads the database.
/// </summary>
public sealed class RunProducts
{
    /// <summary>The figures of the review's current round, once synthesised in this run.</summary>
    public Synthesis.AssessmentFigures? Figures { get; set; }

    /// <summary>The report version of the review's current round, once rendered in this run.</summary>
    public Reports.RenderedVersion? Report { get; set; }
}

/// <summary>Executes one step type. Implementations must be idempotent: a replay after a crash finds its work done.</summary>
public interface IStepHandler
{
    string Type { get; }

    Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
