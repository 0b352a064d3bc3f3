using System.Globalization;
using Wetstoets.Common;
using YamlDotNet.RepresentationModel;

namespace Wetstoets.Questionnaires;

public static class QuestionnaireLoader
{
    private static readonly Dictionary<string, QuestionType> Types = new(StringComparer.Ordinal)
    {
        ["choice"] = QuestionType.Choice,
        ["scale"] = QuestionType.Scale,
        ["amount"] = QuestionType.Amount,
        ["number"] = QuestionType.Number,
        ["text"] = QuestionType.Text,
    };

    public static (Questionnaire? Questionnaire, IReadOnlyList<Diagnostic> Diagnostics) Load(string path) =>
        Parse(path, File.ReadAllText(path));

    public static (Questionnaire? Questionnaire, IReadOnlyList<Diagnostic> Diagnostics) Parse(string path, string text)
    {
        var yaml = YamlFile.Parse(path, text);
        if (yaml.Root is not { } root)
        {
            return (null, yaml.Diagnostics);
        }
        yaml.AllowOnly(root, "id", "title", "questions");
        var id = yaml.String(root, "id", required: true) ?? "";
        var title = yaml.String(root, "title") ?? id;
        var questions = new List<Question>();
        foreach (var q in yaml.Mappings(root, "questions", required: true))
        {
            var question = ReadQuestion(yaml, q);
            if (question is null)
            {
                continue;
            }
            if (questions.Any(existing => existing.Id == question.Id))
            {
                yaml.Error(q, $"question id '{question.Id}' appears twice");
                continue;
            }
            questions.Add(question);
        }
        return yaml.HasErrors ? (null, yaml.Diagnostics) : (new Questionnaire(id, title, questions), []);
    }

    private static Question? ReadQuestion(YamlFile yaml, YamlMappingNode q)
    {
        yaml.AllowOnly(q, "id", "type", "text", "options", "min", "max", "dimension", "required");
        var id = yaml.String(q, "id", required: true);
        var typeName = yaml.String(q, "type", required: true);
        var text = yaml.String(q, "text", required: true);
        if (id is null || typeName is null || text is null)
        {
            return null;
        }
        if (!Types.TryGetValue(typeName, out var type))
        {
            yaml.Error(yaml.Child(q, "type"), $"unknown question type '{typeName}' (expected one of: {string.Join(", ", Types.Keys)})");
            return null;
        }
        var options = new List<QuestionOption>();
        foreach (var option in yaml.Mappings(q, "options", required: type == QuestionType.Choice))
        {
            var code = yaml.String(option, "code", required: true);
            if (code is not null)
            {
                options.Add(new QuestionOption(code, yaml.String(option, "label") ?? code));
            }
        }
        var min = Decimal(yaml, q, "min");
        var max = Decimal(yaml, q, "max");
        if (type == QuestionType.Scale && (min is null || max is null))
        {
            yaml.Error(q, $"scale question '{id}' needs 'min' and 'max'");
        }
        return new Question(id, type, text, options, min, max, yaml.String(q, "dimension"), yaml.String(q, "required") == "true");
    }

    private static decimal? Decimal(YamlFile yaml, YamlMappingNode map, string key)
    {
        var text = yaml.String(map, key);
        if (text is null)
        {
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        yaml.Error(yaml.Child(map, key), $"'{key}' must be a number");
        return null;
    }
}
