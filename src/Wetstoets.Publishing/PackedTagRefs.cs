using System.Text;
using LibGit2Sharp;

namespace Wetstoets.Publishing;

/// <summary>
/// Adds tag references to the repository's <c>packed-refs</c> file, as <c>git pack-refs</c> would have left
/// them: one rewrite of one file for all the tags of a publication, where a reference file each cost a lock
/// file, a rename and a new inode per tag. Git and libgit2 read both kinds alike.
/// </summary>
internal static class PackedTagRefs
{
    private const string Header = "# pack-refs with: ";

    /// <summary>
    /// Adds the tags (name, tag object, the commit it points at); false when another program holds
    /// <c>packed-refs.lock</c>, and nothing was written.
    /// </summary>
    public static bool TryAdd(string gitFolder, IReadOnlyList<(string Name, ObjectId Tag, ObjectId Commit)> tags)
    {
        var file = Path.Combine(gitFolder, "packed-refs");
        // The lock first, then the file: what is read is what is replaced, whatever Git does meanwhile.
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(file + ".lock", FileMode.CreateNew, FileAccess.Write);
        }
        catch (IOException) when (File.Exists(file + ".lock"))
        {
            return false;
        }
        try
        {
            using (lockFile)
            {
                var (traits, entries) = Read(file);
                foreach (var (name, tag, commit) in tags)
                {
                    entries[$"refs/tags/{name}"] = $"{tag.Sha} refs/tags/{name}\n^{commit.Sha}\n";
                }
                var text = new StringBuilder(Header).Append(string.Join(' ', traits)).Append(" \n");
                foreach (var entry in entries.Values)
                {
                    text.Append(entry);
                }
                lockFile.Write(Encoding.UTF8.GetBytes(text.ToString()));
            }
        }
        catch
        {
            // A lock left behind would keep Git itself from updating references.
            File.Delete(file + ".lock");
            throw;
        }
        File.Move(file + ".lock", file, overwrite: true);
        return true;
    }

    /// <summary>
    /// The traits and entries (a reference line and its peeled line, by reference name, in Git's order) of a
    /// packed-refs file. A new file says its tags are peeled; an existing file keeps what it said, and says it
    /// is sorted, which it is once written here.
    /// </summary>
    private static (SortedSet<string> Traits, SortedDictionary<string, string> Entries) Read(string file)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return (new SortedSet<string>(["fully-peeled", "peeled", "sorted"], StringComparer.Ordinal), entries);
        }
        var traits = new SortedSet<string>(["sorted"], StringComparer.Ordinal);
        string? last = null;
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith(Header, StringComparison.Ordinal))
            {
                traits.UnionWith(line[Header.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (line.StartsWith('^') && last is not null)
            {
                entries[last] += line + "\n";
            }
            else if (line.Split(' ', 2) is [_, var name])
            {
                entries[name] = line + "\n";
                last = name;
            }
        }
        return (traits, entries);
    }
}
