namespace Wetstoets.Workflows;

/// <summary><c>route</c>: choose the panels and check their representation of size classes.</summary>
public sealed record RouteSettings(IReadOnlyList<string> Panels, int MinPerSizeClass);

/// <summary><c>invite</c>: open the round of the newest draft version and invite every contact.</summary>
public sealed record InviteSettings(TimeSpan Window, IReadOnlyList<string> Channels, string Template);

/// <summary><c>collect</c>: wait for the deadline, remind those who have not answered, check the quorum.</summary>
public sealed record CollectSettings(
    IReadOnlyList<TimeSpan> ReminderOffsets,
    int MaxReminders,
    string ReminderTemplate,
    decimal? QuorumRate,
    TimeSpan? ExtendBy,
    SizeClassQuorum? SizeClassQuorum = null);

/// <summary>
/// The response rate each size class must reach: one share for every class that has participants
/// (<c>perSizeClass: 25%</c>), or a share per named class (<c>perSizeClass: { G4: 50% }</c>).
/// </summary>
public sealed record SizeClassQuorum(decimal? Every, IReadOnlyDictionary<string, decimal> Named)
{
    public decimal? For(string sizeClass) => Named.TryGetValue(sizeClass, out var share) ? share : Every;
}

/// <summary><c>synthesise</c>: figures per question and size class, and the overall verdict.</summary>
public sealed record SynthesiseSettings(string? DefaultVerdict, IReadOnlyList<VerdictRule> Rules);

/// <summary>A rule of the overall verdict; the first rule that holds decides.</summary>
public sealed record VerdictRule(
    string Verdict,
    string Question,
    IReadOnlyList<string> Answers,
    string? SizeClass,
    decimal? AtLeastShare,
    int? AtLeastCount,
    int Line = 0,
    int Column = 0);

/// <summary>Steps without settings: <c>render</c>, <c>publish</c>, <c>decision</c>, <c>end</c>.</summary>
public sealed record NoSettings
{
    public static readonly NoSettings Instance = new();
}
