using System.Text.RegularExpressions;
using LibGit2Sharp;
using Wetstoets.Hosting;
using Wetstoets.Ports;

namespace Wetstoets.Publishing;

/// <summary>
/// The report repository as a local, non-bare Git repository: each version is one commit on the base branch
/// with an annotated tag, and the files are checked out so people can open them. Versions published together
/// are written in one session: a commit and tag each, their objects in one pack, and the working tree, the
/// index and the branch once.
/// </summary>
public sealed class LocalGitReportRepository(string path, PublishingOptions options, TimeProvider clock) : IReportRepository
{
    // LibGit2Sharp is not safe for concurrent writers on one repository within a process; publishers in
    // other processes are kept apart by the IPublishLock the publication queue holds.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    static LocalGitReportRepository()
    {
        // Strict creation makes libgit2 look up the object a reference or tag is made to point at: a search of
        // every pack that misses the new one. Every object we point at we have just written.
        GlobalSettings.SetEnableStrictObjectCreation(false);
    }

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The last commit this process made, with its folders; reused when it is still the branch's tip.</summary>
    private (ObjectId Id, GitFolder Root)? _lastCommit;

    // "<review-id> v<N>: <title>", the message of every version commit (SPEC.md §7).
    private static readonly Regex VersionMessage = new(@"^(?<review>\S+) v(?<version>\d+): ", RegexOptions.CultureInvariant);

    public async Task<IReadOnlyList<PublishedVersion>> PublishAsync(IReadOnlyList<ReportPublication> publications, CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            return Publish(publications);
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

    /// <summary>
    /// A marker beside the index says a publication is under way, from before its first object is written until
    /// its last tag is: the file names the versions, and names none when they are done. It is overwritten in
    /// place, never deleted or emptied: making and removing a file, or freeing its last block, cost this disk half
    /// a millisecond per publication. If it names versions at the start, a publication died: the index and the
    /// working tree may be half-updated, and versions may lack their tags; both are completed first.
    /// </summary>
    private PublishedVersion[] Publish(IReadOnlyList<ReportPublication> publications)
    {
        using var repo = Open();
        var signature = new Signature(options.AuthorName, options.AuthorEmail, clock.GetUtcNow());
        var marker = Path.Combine(repo.Info.Path, "wetstoets-publishing");
        var unfinished = File.Exists(marker) && !string.IsNullOrWhiteSpace(File.ReadAllText(marker));
        if (unfinished && repo.Head.Tip is { } tip)
        {
            repo.Index.Replace(tip.Tree);
            repo.CheckoutPaths(tip.Sha, ["*"], new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force });
            TagUntaggedVersions(repo, signature);
        }
        var results = new PublishedVersion[publications.Count];
        var fresh = new List<(int Index, ReportPublication Publication)>();
        for (var i = 0; i < publications.Count; i++)
        {
            if (repo.Tags[publications[i].Tag] is { } existing)
            {
                results[i] = new PublishedVersion(existing.PeeledTarget.Sha, publications[i].Tag, AlreadyPublished: true);
            }
            else
            {
                fresh.Add((i, publications[i]));
            }
        }
        if (fresh.Count > 0)
        {
            Mark(marker, string.Join('\n', fresh.Select(f => f.Publication.Tag)));
            var versions = CommitVersions(repo, fresh.Select(f => f.Publication).ToList(), signature);
            var tags = fresh.Select((f, i) => (Name: f.Publication.Tag, versions[i].Tag, versions[i].Commit)).ToList();
            // The tag objects were written with the commits; a tag exists once its reference does.
            if (!PackedTagRefs.TryAdd(repo.Info.Path, tags))
            {
                tags.ForEach(t => repo.Refs.Add($"refs/tags/{t.Name}", t.Tag));
            }
            for (var i = 0; i < fresh.Count; i++)
            {
                results[fresh[i].Index] = new PublishedVersion(versions[i].Commit.Sha, fresh[i].Publication.Tag, AlreadyPublished: false);
            }
        }
        if (unfinished || fresh.Count > 0)
        {
            Mark(marker, "\n");
        }
        return results;
    }

    private static void Mark(string marker, string versions)
    {
        using var file = new FileStream(marker, FileMode.OpenOrCreate, FileAccess.Write);
        var bytes = Utf8.GetBytes(versions);
        file.Write(bytes);
        file.SetLength(bytes.Length);
    }

    /// <summary>
    /// Completes publications that died between moving the branch and tagging their commits, whichever
    /// versions come next: the commit messages name the versions, so the tags follow from them. Walks back
    /// from the tip to the first tagged version (at most the versions of one publication).
    /// </summary>
    private static void TagUntaggedVersions(Repository repo, Signature signature)
    {
        for (var commit = repo.Head.Tip; commit is not null; commit = commit.Parents.FirstOrDefault())
        {
            if (VersionMessage.Match(commit.MessageShort) is not { Success: true } match)
            {
                return;
            }
            var tag = $"{match.Groups["review"].Value}-v{match.Groups["version"].Value}";
            if (repo.Tags[tag] is not null)
            {
                return;
            }
            repo.Tags.Add(tag, commit, signature, $"{commit.MessageShort}\n");
        }
    }

    /// <summary>
    /// Writes each version's blobs and the folders on their paths, from the last commit's folders kept in
    /// memory (<see cref="GitFolder"/>), a commit on top of the one before and its annotated tag object, all into
    /// one pack (loose objects would be a file each, eight for a single version). Then writes the files to the
    /// working tree and the index once, and moves the branch once; the caller adds the tag references.
    /// </summary>
    private List<(ObjectId Commit, ObjectId Tag)> CommitVersions(Repository repo, IReadOnlyList<ReportPublication> publications, Signature signature)
    {
        // The branch's commit id, from the reference alone: reading the commit would make libgit2 list and open
        // every pack of the repository, and a storm leaves hundreds.
        var tipId = repo.Head.Reference.ResolveToDirectReference()?.TargetIdentifier is { } sha ? new ObjectId(sha) : null;
        var root = _lastCommit is { } last && last.Id == tipId ? last.Root : tipId is null ? GitFolder.Empty() : GitFolder.Read(repo.Lookup<Commit>(tipId).Tree);
        // Until the branch has moved the folders are ahead of the tip: forget them, in case this publication fails.
        _lastCommit = null;
        var files = new Dictionary<string, (ObjectId Blob, byte[] Bytes)>(StringComparer.Ordinal);
        var versions = new List<(ObjectId Commit, ObjectId Tag)>(publications.Count);
        var objects = new GitPack();
        var parent = tipId;
        foreach (var publication in publications)
        {
            foreach (var (relative, content) in publication.Files)
            {
                var bytes = Utf8.GetBytes(content);
                var blob = objects.Write(ObjectType.Blob, bytes);
                root.SetFile(repo, relative, blob);
                files[relative] = (blob, bytes);
            }
            var tree = root.Write(objects);
            parent = objects.Write(ObjectType.Commit, GitText.Commit(tree, parent, signature, publication.CommitMessage + "\n"));
            var tag = objects.Write(ObjectType.Tag, GitText.Tag(parent, publication.Tag, signature, publication.CommitMessage + "\n"));
            versions.Add((parent, tag));
        }
        // The working tree gets each file's last content, written on another thread while the pack, the index and
        // the branch are: a new file costs this disk more than anything else the publication does.
        var workingDirectory = repo.Info.WorkingDirectory;
        var workingTree = Task.Run(() => WriteFiles(workingDirectory, files));
        try
        {
            objects.WriteTo(Path.Combine(repo.Info.Path, "objects"));
            foreach (var (relative, (blob, _)) in files)
            {
                repo.Index.Add(new WrittenBlob(blob), relative, Mode.NonExecutableFile);
            }
            repo.Index.Write();
            MoveBranch(repo, publications, parent!);
        }
        finally
        {
            // Never leave a writer behind: the publication after a failed one restores the working tree.
            Task.WaitAny(workingTree);
        }
        workingTree.GetAwaiter().GetResult();
        _lastCommit = (parent!, root);
        return versions;
    }

    private static void WriteFiles(string workingDirectory, Dictionary<string, (ObjectId Blob, byte[] Bytes)> files)
    {
        foreach (var (relative, (_, bytes)) in files)
        {
            var full = Path.Combine(workingDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    private void MoveBranch(Repository repo, IReadOnlyList<ReportPublication> publications, ObjectId tip)
    {
        var branch = $"refs/heads/{options.BaseBranch}";
        var log = publications.Count == 1 ? publications[0].CommitMessage : $"{publications.Count} versions: {publications[0].Tag} .. {publications[^1].Tag}";
        if (repo.Refs[branch] is { } current)
        {
            repo.Refs.UpdateTarget(current, tip, log);
        }
        else
        {
            repo.Refs.Add(branch, tip, log);
        }
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
