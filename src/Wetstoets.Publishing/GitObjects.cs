using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace Wetstoets.Publishing;

/// <summary>
/// Objects gathered in memory and written as one pack file with its index: a version is some ten objects, and
/// this disk takes half a millisecond or more to create a file.
/// </summary>
internal sealed class GitPack
{
    private readonly List<(ObjectId Id, ObjectType Type, byte[] Content)> _objects = [];
    private readonly HashSet<ObjectId> _ids = [];

    /// <summary>Stores an object given in Git's own format (a tree's entries, a commit's headers and message).</summary>
    public ObjectId Write(ObjectType type, byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"{Name(type)} {content.Length.ToString(CultureInfo.InvariantCulture)}\0");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(header);
        sha.AppendData(content);
        var id = new ObjectId(sha.GetHashAndReset());
        if (_ids.Add(id))
        {
            _objects.Add((id, type, content));
        }
        return id;
    }

    /// <summary>
    /// Writes <c>pack-&lt;checksum&gt;.pack</c> and its <c>.idx</c> (version 2) into the repository's
    /// <c>objects/pack</c>, each under a temporary name first: Git and libgit2 see a pack once its index is there.
    /// </summary>
    public void WriteTo(string objectsFolder)
    {
        using var pack = new MemoryStream();
        pack.Write("PACK"u8);
        WriteBigEndian(pack, 2);
        WriteBigEndian(pack, (uint)_objects.Count);
        var entries = new List<(ObjectId Id, uint Offset, uint Crc)>(_objects.Count);
        foreach (var (id, type, content) in _objects)
        {
            var offset = (uint)pack.Position;
            WriteEntryHeader(pack, type, content.Length);
            using (var deflate = new ZLibStream(pack, CompressionLevel.Fastest, leaveOpen: true))
            {
                deflate.Write(content);
            }
            entries.Add((id, offset, Crc32.HashToUInt32(pack.GetBuffer().AsSpan((int)offset, (int)(pack.Position - offset)))));
        }
        var checksum = SHA1.HashData(pack.GetBuffer().AsSpan(0, (int)pack.Length));
        pack.Write(checksum);

        var folder = Path.Combine(objectsFolder, "pack");
        Directory.CreateDirectory(folder);
        var name = Path.Combine(folder, "pack-" + Convert.ToHexStringLower(checksum));
        Publish(name + ".pack", pack.ToArray());
        Publish(name + ".idx", Index(entries, checksum));
    }

    private static byte[] Index(List<(ObjectId Id, uint Offset, uint Crc)> entries, byte[] packChecksum)
    {
        entries.Sort((a, b) => a.Id.RawId.AsSpan().SequenceCompareTo(b.Id.RawId));
        using var idx = new MemoryStream();
        idx.Write([0xFF, (byte)'t', (byte)'O', (byte)'c']);
        WriteBigEndian(idx, 2);
        var fanout = new uint[256];
        foreach (var entry in entries)
        {
            fanout[entry.Id.RawId[0]]++;
        }
        uint total = 0;
        foreach (var count in fanout)
        {
            total += count;
            WriteBigEndian(idx, total);
        }
        entries.ForEach(e => idx.Write(e.Id.RawId));
        entries.ForEach(e => WriteBigEndian(idx, e.Crc));
        entries.ForEach(e => WriteBigEndian(idx, e.Offset));
        idx.Write(packChecksum);
        idx.Write(SHA1.HashData(idx.GetBuffer().AsSpan(0, (int)idx.Length)));
        return idx.ToArray();
    }

    /// <summary>Type in bits 4–6 and the size's low four bits in the first byte, seven more bits per byte after it.</summary>
    private static void WriteEntryHeader(Stream pack, ObjectType type, int size)
    {
        var code = type switch { ObjectType.Commit => 1, ObjectType.Tree => 2, ObjectType.Blob => 3, _ => 4 };
        var first = (byte)((code << 4) | (size & 0x0F));
        size >>= 4;
        while (size > 0)
        {
            pack.WriteByte((byte)(first | 0x80));
            first = (byte)(size & 0x7F);
            size >>= 7;
        }
        pack.WriteByte(first);
    }

    private static void Publish(string path, byte[] bytes)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $"tmp_{Guid.NewGuid():N}");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteBigEndian(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static string Name(ObjectType type) => type switch
    {
        ObjectType.Commit => "commit",
        ObjectType.Tree => "tree",
        ObjectType.Blob => "blob",
        _ => "tag",
    };
}

/// <summary>The text of commit and annotated tag objects, as Git writes them.</summary>
internal static class GitText
{
    public static byte[] Commit(ObjectId tree, ObjectId? parent, Signature signature, string message)
    {
        var text = new StringBuilder().Append("tree ").Append(tree.Sha).Append('\n');
        if (parent is not null)
        {
            text.Append("parent ").Append(parent.Sha).Append('\n');
        }
        text.Append("author ").Append(Person(signature)).Append('\n')
            .Append("committer ").Append(Person(signature)).Append('\n')
            .Append('\n').Append(message);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Tag(ObjectId commit, string name, Signature signature, string message) =>
        Encoding.UTF8.GetBytes($"object {commit.Sha}\ntype commit\ntag {name}\ntagger {Person(signature)}\n\n{message}");

    /// <summary>"Name &lt;email&gt; seconds +hhmm".</summary>
    private static string Person(Signature signature)
    {
        var when = signature.When;
        var offset = when.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{signature.Name} <{signature.Email}> {when.ToUnixTimeSeconds()} {sign}{offset.Hours:00}{offset.Minutes:00}");
    }
}

/// <summary>
/// A blob this publication has just written, known by its id. An index entry needs only the id; looking the blob
/// up made libgit2 search every pack of the repository, miss (the pack is new), and scan the pack folder again:
/// a millisecond per file once a storm has left a few hundred packs.
/// </summary>
internal sealed class WrittenBlob(ObjectId id) : Blob
{
    public override ObjectId Id => id;
}
