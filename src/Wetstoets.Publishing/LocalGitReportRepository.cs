using System.Text.RegularExpressions;
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

    static LocalGitReportRepository()
    {
        // Strict creation makes libgit2 look up every entry of every tree it writes in the object database: a
        // file system lookup per review folder, per commit. Every object we reference we have just written.
        GlobalSettings.SetEnableStrictObjectCreation(false);
    }

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The last commit this process made, with its folders; reused when it is still the branch's tip.</summary>
    private (ObjectId Id, GitFolder Root)? _lastCommit;

    // "<review-id> v<N>: <title>", the message of every version commit (SPEC.md §7).
    private static readonly Regex VersionMessage = new(@"^(?<review>\S+) v(?<version>\d+): ", RegexOptions.CultureInvariant);

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
        // A crash after the commit and before its tag leaves the version as the last commit, untagged.
        var tip = TagUntaggedTip(repo, signature);
        if (tip is not null && tip.MessageShort == publication.CommitMessage)
        {
            return new PublishedVersion(tip.Sha, publication.Tag, AlreadyPublished: false);
        }
        var commit = CommitVersion(repo, publication, signature);
        repo.Tags.Add(publication.Tag, commit, signature, $"{publication.CommitMessage}\n");
        return new PublishedVersion(commit.Sha, publication.Tag, AlreadyPublished: false);
    }

    /// <summary>
    /// Completes a publication that died between its commit and its tag, whichever version comes next: the
    /// commit message names the version, so the tag follows from it. Returns the (now tagged) last commit.
    /// </summary>
    private static Commit? TagUntaggedTip(Repository repo, Signature signature)
    {
        var tip = repo.Head.Tip;
        if (tip is null || VersionMessage.Match(tip.MessageShort) is not { Success: true } match)
        {
            return tip;
        }
        var tag = $"{match.Groups["review"].Value}-v{match.Groups["version"].Value}";
        if (repo.Tags[tag] is null)
        {
            repo.Tags.Add(tag, tip, signature, $"{tip.MessageShort}\n");
        }
        return tip;
    }

    /// <summary>
    /// Writes the version's blobs and the folders on their paths straight into the object database, from the
    /// last commit's folders kept in memory (<see cref="GitFolder"/>), then commits that tree and moves the
    /// branch. The files are written to the working tree and recorded in the index too, so the checkout stays
    /// clean. A marker beside the index says a publication is under way: if it is there at the start, a crash
    /// left the index half-updated, and the index is rebuilt from the last commit first.
    /// </summary>
    private Commit CommitVersion(Repository repo, ReportPublication publication, Signature signature)
    {
        var marker = Path.Combine(repo.Info.Path, "wetstoets-publishing");
        var tip = repo.Head.Tip;
        if (File.Exists(marker) && tip is not null)
        {
            repo.Index.Replace(tip.Tree);
        }
        File.WriteAllText(marker, publication.Tag);
        var root = _lastCommit is { } last && last.Id == tip?.Id ? last.Root : tip is null ? GitFolder.Empty() : GitFolder.Read(tip.Tree);
        // Until the branch has moved the folders are ahead of the tip: forget them, in case this publication fails.
        _lastCommit = null;
        foreach (var (relative, content) in publication.Files)
        {
            var bytes = Utf8.GetBytes(content);
            var blob = repo.ObjectDatabase.Write<Blob>(bytes);
            root.SetFile(repo, relative, blob);
            var full = Path.Combine(repo.Info.WorkingDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
            repo.Index.Add(repo.Lookup<Blob>(blob), relative, Mode.NonExecutableFile);
        }
        var tree = repo.Lookup<Tree>(root.Write(repo.ObjectDatabase));
        repo.Index.Write();
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, publication.CommitMessage + "\n", tree, tip is null ? [] : [tip], prettifyMessage: false);
        var branch = $"refs/heads/{options.BaseBranch}";
        if (repo.Refs[branch] is { } current)
        {
            repo.Refs.UpdateTarget(current, commit.Id, publication.CommitMessage);
        }
        else
        {
            repo.Refs.Add(branch, commit.Id, publication.CommitMessage);
        }
        _lastCommit = (commit.Id, root);
        File.Delete(marker);
        return commit;
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
