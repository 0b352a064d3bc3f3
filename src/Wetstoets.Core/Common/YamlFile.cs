using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wetstoets.Common;

/// <summary>
/// Reads a YAML file people wrote into a node tree and collects every problem with its line and column.
/// Readers of drafts, panels, responses and workflows walk the tree with these helpers, so no error
/// message ever lacks a position.
/// </summary>
public sealed class YamlFile
{
    private readonly List<Diagnostic> _diagnostics = [];

    private YamlFile(string path) => Path = path;

    public string Path { get; }
    public YamlMappingNode? Root { get; private set; }
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;
    public bool HasErrors => _diagnostics.Count > 0;

    public static YamlFile Parse(string path, string text)
    {
        var file = new YamlFile(path);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                var node = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
                file.Error(node, "the file must hold a YAML mapping (key: value lines)");
            }
            else
            {
                file.Root = root;
            }
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            // YamlDotNet prefixes its own position; ours is in front already.
            var close = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith('(') && close > 0)
            {
                message = message[(close + 3)..];
            }
            file._diagnostics.Add(new Diagnostic(path, (int)e.Start.Line, (int)e.Start.Column, message));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            file._diagnostics.Add(new Diagnostic(path, 1, 1, e.Message));
        }
        return file;
    }

    public static YamlFile Load(string path) => Parse(path, File.ReadAllText(path));

    public void Error(YamlNode? node, string message)
    {
        var (line, column) = node is null ? (1, 1) : ((int)node.Start.Line, (int)node.Start.Column);
        _diagnostics.Add(new Diagnostic(Path, line, column, message));
    }

    public void ErrorAt(int line, int column, string message) => _diagnostics.Add(new Diagnostic(Path, line, column, message));

    public YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? String(YamlMappingNode map, string key, bool required = false)
    {
        var node = Child(map, key);
        if (node is null || node is YamlScalarNode { Value: null or "" } && node.Tag.IsEmpty)
        {
            if (required)
            {
                Error(node ?? map, $"'{key}' is required");
            }
            return null;
        }
        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' must be a single value");
            return null;
        }
        return scalar.Value;
    }

    public int? Int(YamlMappingNode map, string key, bool required = false)
    {
        var text = String(map, key, required);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        Error(Child(map, key), $"'{key}' must be a whole number, not '{text}'");
        return null;
    }

    public YamlMappingNode? Map(YamlMappingNode map, string key, bool required = false)
    {
        var node = Child(map, key);
        switch (node)
        {
            case null:
                if (required)
                {
                    Error(map, $"'{key}' is required");
                }
                return null;
            case YamlMappingNode m:
                return m;
            case YamlScalarNode { Value: null or "" }:
                return new YamlMappingNode();
            default:
                Error(node, $"'{key}' must be a mapping (key: value lines)");
                return null;
        }
    }

    public IReadOnlyList<YamlNode> Sequence(YamlMappingNode map, string key, bool required = false)
    {
        var node = Child(map, key);
        switch (node)
        {
            case null:
                if (required)
                {
                    Error(map, $"'{key}' is required");
                }
                return [];
            case YamlSequenceNode s:
                return s.Children.ToList();
            case YamlScalarNode { Value: null or "" }:
                return [];
            default:
                Error(node, $"'{key}' must be a list");
                return [];
        }
    }

    public List<string> Strings(YamlMappingNode map, string key, bool required = false)
    {
        var result = new List<string>();
        foreach (var item in Sequence(map, key, required))
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
            {
                result.Add(value);
            }
            else
            {
                Error(item, $"every item of '{key}' must be a single value");
            }
        }
        return result;
    }

    /// <summary>The items of a list that are mappings; other items are reported.</summary>
    public IEnumerable<YamlMappingNode> Mappings(YamlMappingNode map, string key, bool required = false)
    {
        foreach (var item in Sequence(map, key, required))
        {
            if (item is YamlMappingNode m)
            {
                yield return m;
            }
            else
            {
                Error(item, $"every item of '{key}' must be a mapping");
            }
        }
    }

    /// <summary>A mapping of single values (answers, comments); other values are reported.</summary>
    public Dictionary<string, (string Value, YamlNode Node)> Pairs(YamlMappingNode map, string key)
    {
        var result = new Dictionary<string, (string, YamlNode)>(StringComparer.Ordinal);
        var inner = Map(map, key);
        if (inner is null)
        {
            return result;
        }
        foreach (var (k, v) in inner.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode scalar)
            {
                result[name] = (scalar.Value ?? "", v);
            }
            else
            {
                Error(v, $"'{key}.{name}' must be a single value");
            }
        }
        return result;
    }

    /// <summary>Reports keys of a mapping that the reader does not know (a typo must not pass silently).</summary>
    public void AllowOnly(YamlMappingNode map, params string[] keys)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || !keys.Contains(name, StringComparer.Ordinal))
            {
                Error(key, $"unknown key '{name}' (expected one of: {string.Join(", ", keys)})");
            }
        }
    }
}
