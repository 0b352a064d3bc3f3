namespace Wetstoets.Ports;

/// <summary>The files of one report version and the index, as they go into the repository.</summary>
public sealed record ReportPublication(
    string ReviewId,
    int Version,
    string Title,
    string LawId,
    IReadOnlyDictionary<string, string> Files)
{
    public string Tag => $"{ReviewId}-v{Version}";
    public string CommitMessage => $"{ReviewId} v{Version}: {Title}";
}

public sealed record PublishedVersion(string CommitSha, string Tag, bool AlreadyPublished);

/// <summary>Where report versions are recorded: a local Git repository or GitHub.</summary>
public interface IReportRepository
{
    /// <summary>
    /// Records the versions, in order, as one commit each with an annotated tag. Idempotent: when a version's
    /// tag exists its commit is returned and nothing is written for it; versions whose commits exist without
    /// their tags (a crash in between) get their tags.
    /// </summary>
    Task<IReadOnlyList<PublishedVersion>> PublishAsync(IReadOnlyList<ReportPublication> publications, CancellationToken cancellationToken);

    /// <summary>The content of a file at a tag, or null when the tag or file is missing.</summary>
    Task<string?> ReadAtTagAsync(string tag, string path, CancellationToken cancellationToken);
}
