using System.Globalization;
using Wetstoets.Common;
using Wetstoets.Domain;
using YamlDotNet.RepresentationModel;

namespace Wetstoets.Workflows;

/// <summary>The step types a definition may use, with the reader of each type's settings.</summary>
public static class StepTypes
{
    public const string Route = "route";
    public const string Invite = "invite";
    public const string Collect = "collect";
    public const string Synthesise = "synthesise";
    public const string Render = "render";
    public const string Publish = "publish";
    public const string Decision = "decision";
    public const string End = "end";

    /// <summary>The outcomes of a decision step: the ministry revises the draft or accepts the report.</summary>
    public static readonly IReadOnlyList<string> DecisionOutcomes = ["herzien", "sluiten"];

    private static readonly string[] Common = ["id", "type", "next", "on"];

    public static readonly IReadOnlyDictionary<string, Func<YamlFile, YamlMappingNode, object>> Readers =
        new Dictionary<string, Func<YamlFile, YamlMappingNode, object>>(StringComparer.Ordinal)
        {
            [Route] = ReadRoute,
            [Invite] = ReadInvite,
            [Collect] = ReadCollect,
            [Synthesise] = ReadSynthesise,
            [Render] = ReadNone,
            [Publish] = ReadNone,
            [Decision] = ReadNone,
            [End] = ReadNone,
        };

    private static object ReadNone(YamlFile yaml, YamlMappingNode step)
    {
        yaml.AllowOnly(step, Common);
        return NoSettings.Instance;
    }

    private static object ReadRoute(YamlFile yaml, YamlMappingNode step)
    {
        yaml.AllowOnly(step, [.. Common, "panels", "representation"]);
        var representation = yaml.Map(step, "representation");
        var min = 0;
        if (representation is not null)
        {
            yaml.AllowOnly(representation, "minPerSizeClass");
            min = yaml.Int(representation, "minPerSizeClass") ?? 0;
        }
        return new RouteSettings(yaml.Strings(step, "panels"), min);
    }

    private static object ReadInvite(YamlFile yaml, YamlMappingNode step)
    {
        yaml.AllowOnly(step, [.. Common, "window", "channels", "template"]);
        var window = Duration(yaml, step, "window", required: true) ?? TimeSpan.FromDays(42);
        if (window <= TimeSpan.Zero)
        {
            yaml.Error(yaml.Child(step, "window"), "'window' must be a positive duration");
        }
        var channels = yaml.Strings(step, "channels");
        foreach (var channel in channels.Where(c => c != "mail"))
        {
            yaml.Error(yaml.Child(step, "channels"), $"unknown channel '{channel}' (expected: mail)");
        }
        return new InviteSettings(window, channels.Count == 0 ? ["mail"] : channels, yaml.String(step, "template") ?? "uitnodiging");
    }

    private static object ReadCollect(YamlFile yaml, YamlMappingNode step)
    {
        yaml.AllowOnly(step, [.. Common, "reminders", "quorum"]);
        var offsets = new List<TimeSpan>();
        int max = 0;
        var template = "herinnering";
        if (yaml.Map(step, "reminders") is { } reminders)
        {
            yaml.AllowOnly(reminders, "offsets", "max", "template");
            foreach (var node in yaml.Sequence(reminders, "offsets"))
            {
                var text = (node as YamlScalarNode)?.Value;
                if (!IsoDuration.TryParse(text, out var offset) || offset >= TimeSpan.Zero)
                {
                    yaml.Error(node, $"reminder offset '{text}' must be a negative ISO 8601 duration before the deadline, e.g. -P7D");
                    continue;
                }
                offsets.Add(offset);
            }
            max = yaml.Int(reminders, "max") ?? offsets.Count;
            template = yaml.String(reminders, "template") ?? template;
        }
        decimal? rate = null;
        TimeSpan? extendBy = null;
        SizeClassQuorum? perClass = null;
        if (yaml.Map(step, "quorum") is { } quorum)
        {
            yaml.AllowOnly(quorum, "rate", "perSizeClass", "extendBy");
            rate = Share(yaml, quorum, "rate");
            perClass = ReadSizeClassQuorum(yaml, quorum);
            extendBy = Duration(yaml, quorum, "extendBy");
            if (extendBy is { } extension && extension <= TimeSpan.Zero)
            {
                yaml.Error(yaml.Child(quorum, "extendBy"), "'extendBy' must be a positive duration");
            }
        }
        return new CollectSettings(offsets.OrderBy(o => o).ToList(), max, template, rate, extendBy, perClass);
    }

    private static SizeClassQuorum? ReadSizeClassQuorum(YamlFile yaml, YamlMappingNode quorum)
    {
        switch (yaml.Child(quorum, "perSizeClass"))
        {
            case null:
                return null;
            case YamlScalarNode:
                return Share(yaml, quorum, "perSizeClass") is { } every ? new SizeClassQuorum(every, new Dictionary<string, decimal>()) : null;
            case YamlMappingNode classes:
                var named = new Dictionary<string, decimal>(StringComparer.Ordinal);
                foreach (var (key, _) in classes.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    if (!SizeClass.All.Contains(name))
                    {
                        yaml.Error(key, $"unknown size class '{name}' (expected one of: {string.Join(", ", SizeClass.All)})");
                    }
                    else if (Share(yaml, classes, name) is { } share)
                    {
                        named[name] = share;
                    }
                }
                return new SizeClassQuorum(null, named);
            case var other:
                yaml.Error(other, "'perSizeClass' must be a share (25%) or a share per size class ({ G4: 50% })");
                return null;
        }
    }

    private static object ReadSynthesise(YamlFile yaml, YamlMappingNode step)
    {
        yaml.AllowOnly(step, [.. Common, "verdict"]);
        var verdict = yaml.Map(step, "verdict");
        if (verdict is null)
        {
            return new SynthesiseSettings(null, []);
        }
        yaml.AllowOnly(verdict, "default", "rules");
        var rules = new List<VerdictRule>();
        foreach (var rule in yaml.Mappings(verdict, "rules"))
        {
            yaml.AllowOnly(rule, "verdict", "question", "answers", "sizeClass", "atLeastShare", "atLeastCount");
            var sizeClass = yaml.String(rule, "sizeClass");
            if (sizeClass is not null && !SizeClass.All.Contains(sizeClass))
            {
                yaml.Error(yaml.Child(rule, "sizeClass"), $"unknown size class '{sizeClass}' (expected one of: {string.Join(", ", SizeClass.All)})");
            }
            var share = Share(yaml, rule, "atLeastShare");
            var count = yaml.Int(rule, "atLeastCount");
            if (share is null && count is null)
            {
                yaml.Error(rule, "a verdict rule needs 'atLeastShare' or 'atLeastCount'");
            }
            rules.Add(new VerdictRule(
                yaml.String(rule, "verdict", required: true) ?? "",
                yaml.String(rule, "question") ?? "oordeel",
                yaml.Strings(rule, "answers", required: true),
                sizeClass,
                share,
                count,
                (int)rule.Start.Line,
                (int)rule.Start.Column));
        }
        return new SynthesiseSettings(yaml.String(verdict, "default"), rules);
    }

    private static TimeSpan? Duration(YamlFile yaml, YamlMappingNode map, string key, bool required = false)
    {
        var text = yaml.String(map, key, required);
        if (text is null)
        {
            return null;
        }
        if (IsoDuration.TryParse(text, out var duration))
        {
            return duration;
        }
        yaml.Error(yaml.Child(map, key), $"'{key}': '{text}' is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. P6W, P7D, PT30S)");
        return null;
    }

    /// <summary>A share written as <c>30%</c> or <c>0.3</c>.</summary>
    private static decimal? Share(YamlFile yaml, YamlMappingNode map, string key)
    {
        var text = yaml.String(map, key);
        if (text is null)
        {
            return null;
        }
        var percent = text.EndsWith('%');
        if (decimal.TryParse(percent ? text[..^1] : text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            value = percent ? value / 100 : value;
            if (value is >= 0 and <= 1)
            {
                return value;
            }
        }
        yaml.Error(yaml.Child(map, key), $"'{key}' must be a share between 0 and 1 or a percentage, not '{text}'");
        return null;
    }
}
