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
    private ObjectId? _written;

    private sealed class Entry(Mode mode, ObjectId id)
    {
        public Mode Mode { get; set; } = mode;
        public ObjectId Id { get; set; } = id;
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
            folder._entries[entry.Name] = new Entry(entry.Mode, entry.Target.Id);
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
            _entries[path] = new Entry(Mode.NonExecutableFile, blob);
            return;
        }
        var name = path[..slash];
        if (!_entries.TryGetValue(name, out var entry) || entry.Mode != Mode.Directory)
        {
            entry = new Entry(Mode.Directory, ObjectId.Zero) { Folder = Empty() };
            _entries[name] = entry;
        }
        entry.Folder ??= Read(repo.Lookup<Tree>(entry.Id));
        entry.Folder.SetFile(repo, path[(slash + 1)..], blob);
    }

    /// <summary>Writes the folders changed since they were read or written, deepest first; returns this folder's id.</summary>
    public ObjectId Write(IGitObjectSink objects)
    {
        if (_written is { } unchanged)
        {
            return unchanged;
        }
        foreach (var entry in _entries.Values.Where(e => e.Folder is not null))
        {
            entry.Id = entry.Folder!.Write(objects);
        }
        _written = objects.Write(ObjectType.Tree, Serialize());
        return _written;
    }

    /// <summary>Git's tree format: "mode name\0id" per entry, ordered as Git orders them (a folder's name as if it ended in '/').</summary>
    private byte[] Serialize()
    {
        var ordered = _entries.Select(e => (Key: Encoding.UTF8.GetBytes(e.Key + (e.Value.Mode == Mode.Directory ? "/" : "")), Name: e.Key, e.Value))
            .OrderBy(e => e.Key, ByteOrder.Instance);
        using var bytes = new MemoryStream(_entries.Count * 64);
        foreach (var (_, name, entry) in ordered)
        {
            bytes.Write(Encoding.ASCII.GetBytes(Convert.ToString((int)entry.Mode, 8)));
            bytes.WriteByte((byte)' ');
            bytes.Write(Encoding.UTF8.GetBytes(name));
            bytes.WriteByte(0);
            bytes.Write(entry.Id.RawId);
        }
        return bytes.ToArray();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
