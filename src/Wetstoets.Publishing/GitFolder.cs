using System.Text;
using LibGit2Sharp;

namespace Wetstoets.Publishing;

/// <summary>
/// A folder of a commit's tree, kept in memory between publications so a new version writes only the folders
/// on its path. LibGit2Sharp's tree builders re-read every entry of a folder to change one, and the law's
/// folder holds an entry per review: the thousandth publication would read a thousand entries for nothing.
/// Sub-folders are read from the object database when a path first goes through them.
/// </summary>
internal sealed class GitFolder
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // The entries in Git's order, kept sorted as they change: a law's folder has an entry per review and is
    // written again for every version, so sorting and encoding it each time cost more than the rest of the commit.
    private readonly List<Entry> _ordered = [];
    private ObjectId? _written;

    private sealed class Entry
    {
        public Entry(string name, Mode mode, ObjectId id)
        {
            Mode = mode;
            Id = id;
            var encoded = Encoding.UTF8.GetBytes(name);
            // Git orders a folder's name as if it ended in '/'.
            SortKey = mode == Mode.Directory ? [.. encoded, (byte)'/'] : encoded;
            // "mode name\0", followed by the 20 bytes of the id.
            Head = [.. Encoding.ASCII.GetBytes(Convert.ToString((int)mode, 8) + " "), .. encoded, 0];
        }

        public Mode Mode { get; }
        public ObjectId Id { get; set; }
        public byte[] SortKey { get; }
        public byte[] Head { get; }
        /// <summary>The folder, once a path went through it; null for files and folders never touched.</summary>
        public GitFolder? Folder { get; set; }
    }

    private GitFolder(ObjectId? written) => _written = written;

    public static GitFolder Empty() => new(null);

    public static GitFolder Read(Tree tree)
    {
        var folder = new GitFolder(tree.Id);
        foreach (var entry in tree)
        {
            folder.Put(entry.Name, new Entry(entry.Name, entry.Mode, entry.Target.Id));
        }
        return folder;
    }

    /// <summary>Points <paramref name="path"/> (slash-separated) at a blob, creating folders on the way.</summary>
    public void SetFile(Repository repo, string path, ObjectId blob)
    {
        var slash = path.IndexOf('/');
        _written = null;
        if (slash < 0)
        {
            if (_entries.TryGetValue(path, out var file) && file.Mode == Mode.NonExecutableFile)
            {
                file.Id = blob;
            }
            else
            {
                Put(path, new Entry(path, Mode.NonExecutableFile, blob));
            }
            return;
        }
        var name = path[..slash];
        if (!_entries.TryGetValue(name, out var entry) || entry.Mode != Mode.Directory)
        {
            entry = new Entry(name, Mode.Directory, ObjectId.Zero) { Folder = Empty() };
            Put(name, entry);
        }
        entry.Folder ??= Read(repo.Lookup<Tree>(entry.Id));
        entry.Folder.SetFile(repo, path[(slash + 1)..], blob);
    }

    /// <summary>Writes the folders changed since they were read or written, deepest first; returns this folder's id.</summary>
    public ObjectId Write(GitPack objects)
    {
        if (_written is { } unchanged)
        {
            return unchanged;
        }
        foreach (var entry in _ordered.Where(e => e.Folder is not null))
        {
            entry.Id = entry.Folder!.Write(objects);
        }
        _written = objects.Write(ObjectType.Tree, Serialize());
        return _written;
    }

    /// <summary>Adds or replaces an entry, keeping <see cref="_ordered"/> in Git's order.</summary>
    private void Put(string name, Entry entry)
    {
        if (_entries.Remove(name, out var replaced))
        {
            _ordered.RemoveAt(_ordered.BinarySearch(replaced, ByteOrder.Instance));
        }
        _entries[name] = entry;
        var at = _ordered.BinarySearch(entry, ByteOrder.Instance);
        _ordered.Insert(at < 0 ? ~at : at, entry);
    }

    /// <summary>Git's tree format: "mode name\0id" per entry, in Git's order.</summary>
    private byte[] Serialize()
    {
        var bytes = new byte[_ordered.Sum(e => e.Head.Length + 20)];
        var at = 0;
        foreach (var entry in _ordered)
        {
            entry.Head.CopyTo(bytes, at);
            at += entry.Head.Length;
            entry.Id.RawId.CopyTo(bytes, at);
            at += 20;
        }
        return bytes;
    }

    private sealed class ByteOrder : IComparer<Entry>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(Entry? x, Entry? y) => x!.SortKey.AsSpan().SequenceCompareTo(y!.SortKey);
    }
}
