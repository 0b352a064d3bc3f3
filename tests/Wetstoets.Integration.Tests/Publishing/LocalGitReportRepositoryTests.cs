using LibGit2Sharp;
using Microsoft.Extensions.Time.Testing;
using Wetstoets.Hosting;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Ports;
using Wetstoets.Publishing;

namespace Wetstoets.Integration.Tests.Publishing;

public sealed class LocalGitReportRepositoryTests : IDisposable
{
    private readonly string _folder = TestWorkspace.NewFolder("wt-git");
    private readonly PublishingOptions _options = new() { AuthorName = "Wetstoets", AuthorEmail = "wetstoets@localhost" };

    private LocalGitReportRepository Repository() => new(_folder, _options, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));

    private static async Task<PublishedVersion> PublishOneAsync(LocalGitReportRepository repository, ReportPublication publication) =>
        (await repository.PublishAsync([publication], default)).Single();

    private static ReportPublication Other() => new("WT-2026-0002", 1, "Ander", "jeugdwet", new Dictionary<string, string>
    {
        ["jeugdwet/WT-2026-0002/rapport.md"] = "# Ander\n",
        ["README.md"] = "# Index met 2\n",
    });

    private static ReportPublication Version(int n) => new("WT-2026-0001", n, "Titel", "participatiewet", new Dictionary<string, string>
    {
        ["participatiewet/WT-2026-0001/rapport.md"] = $"# Rapport v{n}\n",
        ["README.md"] = "# Index\n",
    });

    [Fact]
    public async Task Creates_a_non_bare_repository_on_the_base_branch_with_the_configured_identity()
    {
        var published = await PublishOneAsync(Repository(), Version(1));
        Assert.False(published.AlreadyPublished);
        Assert.Equal("main", Git.Run(_folder, "symbolic-ref", "--short", "HEAD").Trim());
        Assert.Equal("# Rapport v1\n", File.ReadAllText(Path.Combine(_folder, "participatiewet/WT-2026-0001/rapport.md")));
        Assert.Equal("Wetstoets <wetstoets@localhost>|WT-2026-0001 v1: Titel", Git.Run(_folder, "log", "-1", "--format=%an <%ae>|%s").Trim());
        Assert.Equal(published.CommitSha, Git.Run(_folder, "rev-list", "-n1", "WT-2026-0001-v1").Trim());
        Assert.Equal("WT-2026-0001 v1: Titel", Git.Run(_folder, "tag", "-l", "--format=%(contents:subject)", "WT-2026-0001-v1").Trim());
        Assert.Equal("# Rapport v1\n", await Repository().ReadAtTagAsync("WT-2026-0001-v1", "participatiewet/WT-2026-0001/rapport.md", default));
    }

    [Fact]
    public async Task Publishing_a_version_twice_returns_the_first_commit_and_writes_nothing()
    {
        var first = await PublishOneAsync(Repository(), Version(1));
        var second = await PublishOneAsync(Repository(), Version(1) with { Files = new Dictionary<string, string> { ["README.md"] = "changed\n" } });
        Assert.True(second.AlreadyPublished);
        Assert.Equal(first.CommitSha, second.CommitSha);
        Assert.Equal("1", Git.Run(_folder, "rev-list", "--count", "HEAD").Trim());
        Assert.Equal("# Index\n", File.ReadAllText(Path.Combine(_folder, "README.md")));
    }

    [Fact]
    public async Task A_crash_between_commit_and_tag_is_completed_by_the_next_publish_without_a_second_commit()
    {
        var first = await PublishOneAsync(Repository(), Version(1));
        using (var repo = new Repository(_folder))
        {
            // As if the process died before tagging: the tag missing, the publication's marker left behind.
            repo.Tags.Remove("WT-2026-0001-v1");
            File.WriteAllText(Path.Combine(repo.Info.Path, "wetstoets-publishing"), "WT-2026-0001-v1");
        }
        var retried = await PublishOneAsync(Repository(), Version(1));
        Assert.Equal(first.CommitSha, retried.CommitSha);
        Assert.Equal("1", Git.Run(_folder, "rev-list", "--count", "HEAD").Trim());
        Assert.Equal("tag", Git.Run(_folder, "cat-file", "-t", "WT-2026-0001-v1").Trim());
    }

    [Fact]
    public async Task A_crash_before_the_commit_leaves_no_version_and_the_retry_records_it_whole()
    {
        await PublishOneAsync(Repository(), Version(1));
        // Files written, nothing committed: the state a crash in the middle of writing leaves.
        File.WriteAllText(Path.Combine(_folder, "participatiewet/WT-2026-0001/rapport.md"), "# half\n");
        using (var repo = new Repository(_folder))
        {
            Assert.Null(repo.Tags["WT-2026-0001-v2"]);
        }

        await PublishOneAsync(Repository(), Version(2));
        Assert.Equal("# Rapport v2\n", Git.Run(_folder, "show", "WT-2026-0001-v2:participatiewet/WT-2026-0001/rapport.md"));
        Assert.Equal("", Git.Run(_folder, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task A_version_left_untagged_by_a_crash_is_tagged_by_whichever_version_publishes_next()
    {
        var first = await PublishOneAsync(Repository(), Version(1));
        using (var repo = new Repository(_folder))
        {
            repo.Tags.Remove("WT-2026-0001-v1");
            File.WriteAllText(Path.Combine(repo.Info.Path, "wetstoets-publishing"), "WT-2026-0001-v1");
        }

        await PublishOneAsync(Repository(), Version(2));
        Assert.Equal(first.CommitSha, Git.Run(_folder, "rev-list", "-n1", "WT-2026-0001-v1").Trim());
        Assert.Equal("2", Git.Run(_folder, "rev-list", "--count", "HEAD").Trim());
    }

    [Fact]
    public async Task Files_a_crashed_publication_staged_never_enter_the_next_version()
    {
        await PublishOneAsync(Repository(), Version(1));
        // The crash: a file of another review written and staged, the publication marker still there.
        File.WriteAllText(Path.Combine(_folder, "half.md"), "half\n");
        using (var repo = new Repository(_folder))
        {
            repo.Index.Add("half.md");
            repo.Index.Write();
            File.WriteAllText(Path.Combine(repo.Info.Path, "wetstoets-publishing"), "WT-2026-0002-v1");
        }

        await PublishOneAsync(Repository(), Version(2));
        Assert.Equal("", Git.Run(_folder, "ls-tree", "--name-only", "WT-2026-0001-v2", "half.md").Trim());
        Assert.Equal("?? half.md", Git.Run(_folder, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task Trees_written_from_memory_are_the_trees_git_itself_makes_of_the_same_files()
    {
        // Names that Git orders differently from a plain sort: a folder sorts as if its name ended in '/'.
        var repository = Repository();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var laws = new[] { "wet", "wet-b", "wet.md", "wet0", "Wet" };
        for (var n = 1; n <= laws.Length; n++)
        {
            var review = $"WT-2026-{n:0000}";
            var version = new ReportPublication(review, 1, "Titel", laws[n - 1], new Dictionary<string, string>
            {
                [$"{laws[n - 1]}/{review}/rapport.md"] = $"# {review}\n",
                [$"{laws[n - 1]}/{review}/data.json"] = "{}\n",
                ["wet/README.md"] = $"versie {n}\n",
                ["README.md"] = $"# Index {n}\n",
            });
            foreach (var (path, content) in version.Files)
            {
                files[path] = content;
            }
            var published = await PublishOneAsync(repository, version);

            using var repo = new Repository(_folder);
            var expected = new TreeDefinition();
            foreach (var (path, content) in files)
            {
                var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));
                expected.Add(path, blob, Mode.NonExecutableFile);
            }
            Assert.Equal(repo.ObjectDatabase.CreateTree(expected).Sha, repo.Lookup<Commit>(published.CommitSha).Tree.Sha);
        }
        Assert.Equal("", Git.Run(_folder, "fsck", "--strict", "--no-dangling").Trim());
        Assert.Equal("", Git.Run(_folder, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task A_commit_made_by_someone_else_in_between_is_kept_in_the_next_version()
    {
        var repository = Repository();
        await PublishOneAsync(repository, Version(1));
        // Another process (or a person) commits on the branch: the folders this instance remembers are stale.
        File.WriteAllText(Path.Combine(_folder, "LEESMIJ.md"), "toegevoegd\n");
        Git.Run(_folder, "add", "LEESMIJ.md");
        Git.Run(_folder, "-c", "user.name=Iemand", "-c", "user.email=iemand@example.org", "commit", "-q", "-m", "toelichting");

        await PublishOneAsync(repository, Version(2));
        Assert.Equal("toegevoegd\n", Git.Run(_folder, "show", "WT-2026-0001-v2:LEESMIJ.md"));
        Assert.Equal("# Rapport v2\n", Git.Run(_folder, "show", "WT-2026-0001-v2:participatiewet/WT-2026-0001/rapport.md"));
        Assert.Equal("", Git.Run(_folder, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task Versions_published_together_are_a_commit_and_tag_each_in_order_with_one_checkout()
    {
        var repository = Repository();
        await PublishOneAsync(repository, Version(1));
        var other = Other();
        var third = Version(3) with { Files = new Dictionary<string, string> { ["participatiewet/WT-2026-0001/rapport.md"] = "# Rapport v3\n", ["README.md"] = "# Index 3\n" } };

        // Version 1 again (published before), then three new ones.
        var published = await repository.PublishAsync([Version(1), Version(2), other, third], default);

        Assert.Equal([true, false, false, false], published.Select(p => p.AlreadyPublished));
        Assert.Equal(["WT-2026-0001 v3: Titel", "WT-2026-0002 v1: Ander", "WT-2026-0001 v2: Titel", "WT-2026-0001 v1: Titel"],
            Git.Run(_folder, "log", "--format=%s").Trim().Split('\n'));
        foreach (var version in published)
        {
            Assert.Equal(version.CommitSha, Git.Run(_folder, "rev-list", "-n1", version.Tag).Trim());
        }
        // Each commit holds its own version of the files, the ones before it unchanged.
        Assert.Equal("# Rapport v2\n", Git.Run(_folder, "show", "WT-2026-0001-v2:participatiewet/WT-2026-0001/rapport.md"));
        Assert.Equal("# Index\n", Git.Run(_folder, "show", "WT-2026-0001-v2:README.md"));
        Assert.Equal("", Git.Run(_folder, "ls-tree", "--name-only", "WT-2026-0001-v2", "jeugdwet").Trim());
        Assert.Equal("# Index met 2\n", Git.Run(_folder, "show", "WT-2026-0002-v1:README.md"));
        Assert.Equal("# Rapport v2\n", Git.Run(_folder, "show", "WT-2026-0002-v1:participatiewet/WT-2026-0001/rapport.md"));
        Assert.Equal("# Rapport v3\n", File.ReadAllText(Path.Combine(_folder, "participatiewet/WT-2026-0001/rapport.md")));
        Assert.Equal("# Ander\n", File.ReadAllText(Path.Combine(_folder, "jeugdwet/WT-2026-0002/rapport.md")));
        Assert.Equal("", Git.Run(_folder, "status", "--porcelain").Trim());
        Assert.Equal("", Git.Run(_folder, "fsck", "--strict", "--no-dangling").Trim());
        // Each publication is one pack: version 1's, and one with the three new versions' objects (blobs, folders,
        // commits, tags), which Git checks whole.
        var packs = Directory.GetFiles(Path.Combine(_folder, ".git", "objects", "pack"), "*.idx").Select(idx => Git.Run(_folder, "verify-pack", "-v", idx)).ToList();
        Assert.Equal(2, packs.Count);
        var verified = Assert.Single(packs, pack => pack.Contains(published[3].CommitSha + " commit", StringComparison.Ordinal));
        Assert.Contains(published[1].CommitSha + " commit", verified, StringComparison.Ordinal);
        Assert.Equal(3, verified.Split('\n').Count(line => line.Contains(" tag ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tags_are_packed_references_that_Git_reads_peeled_to_their_commits()
    {
        var repository = Repository();
        // A tag Git made itself, packed by Git: the file keeps it when ours are added.
        await PublishOneAsync(repository, Version(1));
        Git.Run(_folder, "tag", "-a", "-m", "handmatig", "handmatig", "HEAD");
        Git.Run(_folder, "pack-refs", "--all");
        var published = await repository.PublishAsync([Version(2), Other()], default);

        Assert.Empty(Directory.GetFiles(Path.Combine(_folder, ".git", "refs", "tags")));
        var packed = File.ReadAllText(Path.Combine(_folder, ".git", "packed-refs"));
        Assert.StartsWith("# pack-refs with: ", packed, StringComparison.Ordinal);
        // "<ref>^{}" is the commit a tag peels to: Git's answer must be the version's commit.
        var shown = Git.Run(_folder, "show-ref", "--tags", "-d").Trim().Split('\n');
        foreach (var version in published)
        {
            Assert.Contains($"{version.CommitSha} refs/tags/{version.Tag}^{{}}", shown);
        }
        Assert.Contains(shown, line => line.EndsWith(" refs/tags/handmatig", StringComparison.Ordinal));
        Assert.Equal(["WT-2026-0001-v1", "WT-2026-0001-v2", "WT-2026-0002-v1", "handmatig"], Git.Run(_folder, "tag", "-l").Trim().Split('\n'));
        Assert.Equal("", Git.Run(_folder, "fsck", "--strict", "--no-dangling").Trim());
    }

    [Fact]
    public async Task Tags_are_reference_files_while_another_program_holds_the_packed_references()
    {
        var repository = Repository();
        await PublishOneAsync(repository, Version(1));
        var locked = Path.Combine(_folder, ".git", "packed-refs.lock");
        File.WriteAllText(locked, "");

        var published = await PublishOneAsync(repository, Version(2));

        Assert.Equal("", File.ReadAllText(locked));
        Assert.True(File.Exists(Path.Combine(_folder, ".git", "refs", "tags", "WT-2026-0001-v2")));
        Assert.Equal(published.CommitSha, Git.Run(_folder, "rev-list", "-n1", "WT-2026-0001-v2").Trim());
    }

    [Fact]
    public async Task A_crash_after_the_branch_moved_is_completed_by_the_next_publication_tags_files_and_index()
    {
        var repository = Repository();
        var first = await repository.PublishAsync([Version(1), Other()], default);
        // The crash: the branch moved, neither tag made, the working tree not yet written, the marker left.
        using (var repo = new Repository(_folder))
        {
            repo.Tags.Remove("WT-2026-0001-v1");
            repo.Tags.Remove("WT-2026-0002-v1");
            File.WriteAllText(Path.Combine(repo.Info.Path, "wetstoets-publishing"), "WT-2026-0001-v1\nWT-2026-0002-v1");
        }
        File.Delete(Path.Combine(_folder, "jeugdwet/WT-2026-0002/rapport.md"));

        await PublishOneAsync(Repository(), Version(2));

        Assert.Equal(first[0].CommitSha, Git.Run(_folder, "rev-list", "-n1", "WT-2026-0001-v1").Trim());
        Assert.Equal(first[1].CommitSha, Git.Run(_folder, "rev-list", "-n1", "WT-2026-0002-v1").Trim());
        Assert.Equal("3", Git.Run(_folder, "rev-list", "--count", "HEAD").Trim());
        Assert.Equal("# Ander\n", File.ReadAllText(Path.Combine(_folder, "jeugdwet/WT-2026-0002/rapport.md")));
        Assert.Equal("", Git.Run(_folder, "status", "--porcelain").Trim());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
