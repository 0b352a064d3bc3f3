using LibGit2Sharp;
using Wetstoets.Hosting;
using Wetstoets.Ports;

namespace Wetstoets.Publishing;

/// <summary>
/// The report repository as a local, non-bare Git repository: each version is one commit on the base branch
/// with an annotated tag, and the files are checked out so people can open them.
/// </summary>
public sealed class LocalGitReportRepository(string path, PublishingOptions options, TimeProvider clock) : IReportRepository
{
    // LibGit2Sharp is not safe for concurrent writers on one repository within a process; publishers in
    // other processes are kept apart by the IPublishLock their caller holds.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<PublishedVersion> PublishAsync(ReportPublication publication, CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            return Publish(publication);
        }
        finally
        {
            Gate.Release();
        }
    }

    public Task<string?> ReadAtTagAsync(string tag, string file, CancellationToken ct)
    {
        if (!Repository.IsValid(path))
        {
            return Task.FromResult<string?>(null);
        }
        using var repo = new Repository(path);
        var commit = repo.Tags[tag]?.PeeledTarget as Commit;
        var blob = commit?[file]?.Target as Blob;
        return Task.FromResult(blob?.GetContentText());
    }

    private PublishedVersion Publish(ReportPublication publication)
    {
        using var repo = Open();
        if (repo.Tags[publication.Tag] is { } existing)
        {
            return new PublishedVersion(existing.PeeledTarget.Sha, publication.Tag, AlreadyPublished: true);
        }
        var signature = new Signature(options.AuthorName, options.AuthorEmail, clock.GetUtcNow());
        // A crash after the commit and before its tag: the version is there, only the tag is missing.
        var untagged = repo.Head.Tip is null ? null
            : repo.Commits.QueryBy(new CommitFilter { FirstParentOnly = true }).Take(100).FirstOrDefault(c => c.MessageShort == publication.CommitMessage);
        Commit commit;
        if (untagged is not null)
        {
            commit = untagged;
        }
        else
        {
            // Whatever a crash left staged belongs to no version: start from the last commit.
            if (repo.Head.Tip is { } tip)
            {
                repo.Reset(ResetMode.Mixed, tip);
            }
            foreach (var (relative, content) in publication.Files)
            {
                var full = Path.Combine(repo.Info.WorkingDirectory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
                Commands.Stage(repo, relative);
            }
            commit = repo.Commit(publication.CommitMessage + "\n", signature, signature, new CommitOptions { AllowEmptyCommit = true });
        }
        repo.Tags.Add(publication.Tag, commit, signature, $"{publication.CommitMessage}\n");
        return new PublishedVersion(commit.Sha, publication.Tag, AlreadyPublished: false);
    }

    /// <summary>Opens the repository, creating it on the base branch when it does not exist yet.</summary>
    private Repository Open()
    {
        if (!Repository.IsValid(path))
        {
            Directory.CreateDirectory(path);
            Repository.Init(path);
            using var created = new Repository(path);
            created.Refs.UpdateTarget("HEAD", $"refs/heads/{options.BaseBranch}");
        }
        var repo = new Repository(path);
        if (repo.Head.FriendlyName != options.BaseBranch && repo.Branches[options.BaseBranch] is { } baseBranch)
        {
            Commands.Checkout(repo, baseBranch);
        }
        return repo;
    }
}
