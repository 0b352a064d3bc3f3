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

    /// <summary>What this process last wrote to a packed-refs file, and the size and time the file had then.</summary>
    private sealed record Written(long Length, DateTime Modified, SortedSet<string> Traits, SortedDictionary<string, string> Entries);

    // Reused while the file is as it was left: read back and parsed, a storm's thousand tags cost more than the
    // rewrite. Git changing the file (pack-refs, a tag made by hand) changes its size or time, and it is read again.
    private static readonly Dictionary<string, Written> LastWritten = new(StringComparer.Ordinal);

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
        SortedSet<string> traits;
        SortedDictionary<string, string> entries;
        try
        {
            using (lockFile)
            {
                (traits, entries) = Current(file);
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
        var written = new FileInfo(file);
        lock (LastWritten)
        {
            LastWritten[file] = new Written(written.Length, written.LastWriteTimeUtc, traits, entries);
        }
        return true;
    }

    private static (SortedSet<string> Traits, SortedDictionary<string, string> Entries) Current(string file)
    {
        var onDisk = new FileInfo(file);
        lock (LastWritten)
        {
            if (LastWritten.Remove(file, out var last) && onDisk.Exists && onDisk.Length == last.Length && onDisk.LastWriteTimeUtc == last.Modified)
            {
                return (last.Traits, last.Entries);
            }
        }
        return Read(file);
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
