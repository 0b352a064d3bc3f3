using Wetstoets.Domain;

namespace Wetstoets.Reports;

/// <summary>What <c>rapport.md.sbn</c> and <c>rapport.html.sbn</c> receive (templates/README.md lists every field).</summary>
public sealed record ReportModel(
    string ReviewId,
    string Kind,
    int Version,
    int Round,
    bool IsDemo,
    string Title,
    string LawId,
    string LawName,
    string? Bwb,
    string Summary,
    IReadOnlyList<DraftChange> Changes,
    IReadOnlyList<DraftAssumption> Assumptions,
    DateTimeOffset OpenedAt,
    DateTimeOffset Deadline,
    DateTimeOffset? ClosedAt,
    int Invited,
    int Responded,
    decimal? ResponseRate,
    string? Verdict,
    string VerdictLabel,
    IReadOnlyList<SizeClassRow> SizeClasses,
    IReadOnlyList<QuestionRow> Questions,
    IReadOnlyList<QuoteRow> Quotes,
    IReadOnlyList<ArticleCommentsRow> ArticleComments,
    IReadOnlyList<LateRow> LateResponses,
    IReadOnlyList<ParticipantRow> Participants,
    IReadOnlyList<string> Warnings,
    ChangesSincePrevious? SincePrevious);

public sealed record SizeClassRow(string Name, int Invited, int Responded, decimal? Rate, IReadOnlyList<QuestionRow> Questions);

public sealed record OptionRow(string Code, string Label, int Count, decimal? Share);

/// <summary>One question's figures; <c>Options</c> for choices, <c>Sum</c>..<c>Max</c> for numbers.</summary>
public sealed record QuestionRow(
    string Id,
    string Text,
    string Type,
    string? Dimension,
    int N,
    IReadOnlyList<OptionRow> Options,
    decimal? Sum,
    decimal? Mean,
    decimal? Median,
    decimal? Min,
    decimal? Max);

/// <summary>An explanation quoted by name: only from municipalities that answered <c>citeren: ja</c>.</summary>
public sealed record QuoteRow(string Municipality, string SizeClass, string QuestionId, string Text);

public sealed record ArticleCommentsRow(string ChangeId, string Article, IReadOnlyList<QuoteRow> Comments, int Anonymous);

public sealed record LateRow(string Municipality, DateTimeOffset ReceivedAt);

public sealed record ParticipantRow(string Code, string Name, string SizeClass, bool Responded);

public sealed record ShiftRow(string QuestionId, string Option, int Before, int After);

/// <summary>What changed since the previous version: the draft, and the municipalities' judgement.</summary>
public sealed record ChangesSincePrevious(
    int PreviousVersion,
    bool TitleChanged,
    bool SummaryChanged,
    IReadOnlyList<DraftChange> Added,
    IReadOnlyList<DraftChange> Removed,
    IReadOnlyList<DraftChange> Modified,
    string? VerdictBefore,
    string? VerdictAfter,
    int RespondedBefore,
    int RespondedAfter,
    IReadOnlyList<ShiftRow> Shifts);

/// <summary>What <c>index.md.sbn</c> (the repository's README) receives.</summary>
public sealed record IndexModel(IReadOnlyList<IndexRow> Reviews);

public sealed record IndexRow(string ReviewId, string LawId, string Title, int Version, string? Verdict, string VerdictLabel, string Path, bool IsDemo);
