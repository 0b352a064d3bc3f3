namespace Wetstoets.Common;

/// <summary>An authoring error in a file people write, with its position (1-based line and column).</summary>
public sealed record Diagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";

    public Problem ToProblem() => new(ToString());
}
