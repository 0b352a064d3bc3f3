namespace Wetstoets.Common;

/// <summary>Why a use case refused its input or the current state: an expected outcome, not a bug.</summary>
public sealed record Problem(string Message, ProblemKind Kind = ProblemKind.Rejected)
{
    public static Problem NotFound(string message) => new(message, ProblemKind.NotFound);
}

public enum ProblemKind
{
    Rejected,
    NotFound,
}

/// <summary>The outcome of a use case: a value, or the problems that stopped it.</summary>
public sealed class Result<T>
{
    private Result(T? value, IReadOnlyList<Problem> problems, IReadOnlyList<string> warnings)
    {
        Value = value;
        Problems = problems;
        Warnings = warnings;
    }

    public T? Value { get; }
    public IReadOnlyList<Problem> Problems { get; }
    public IReadOnlyList<string> Warnings { get; }
    public bool IsSuccess => Problems.Count == 0;

    public static Result<T> Ok(T value, IReadOnlyList<string>? warnings = null) => new(value, [], warnings ?? []);
    public static Result<T> Fail(params Problem[] problems) => new(default, problems, []);
    public static Result<T> Fail(IEnumerable<Problem> problems) => new(default, problems.ToList(), []);
    public static Result<T> Fail(string message) => Fail(new Problem(message));

    public static implicit operator Result<T>(Problem problem) => Fail(problem);
}
