using System.Text;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Core.Tests.Workflows;

/// <summary>
/// Ten thousand mutated definitions: the loader never throws, and every problem it reports has a position.
/// Seeded, so a failure reproduces.
/// </summary>
public class WorkflowLoaderFuzzTests
{
    private static readonly string[] Fragments = ["{", "}", "[", "]", ":", ": ", ",", "-", "- ", "#", "&a", "*a", "!!str", "|", ">", "'", "\"", "%", "@", "`", "\t", "\n", "  ", "~", "null", "P", "-P", "T", "0", "999999999999", "é", "\u0000", "\\"];

    [Fact]
    public void Mutated_definitions_give_positions_never_exceptions()
    {
        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "uitvoeringstoets.yaml"));
        var (questionnaire, problems) = QuestionnaireLoader.Load(Path.Combine(AppContext.BaseDirectory, "workflows", "questionnaires", "uitvoeringstoets.yaml"));
        Assert.Empty(problems);
        var random = new Random(20261123);
        var rejected = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var text = Mutate(source, random);
            var (definition, diagnostics) = WorkflowLoader.Parse("fuzz.yaml", text, id => id == "uitvoeringstoets" ? questionnaire : null);
            Assert.True(definition is not null || diagnostics.Count > 0, $"input {i}: neither a definition nor a problem");
            foreach (var diagnostic in diagnostics)
            {
                Assert.True(diagnostic.Line >= 1 && diagnostic.Column >= 1, $"input {i}: {diagnostic} has no position");
                Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message), $"input {i}: empty message");
            }
            rejected += definition is null ? 1 : 0;
        }
        // The mutations must actually exercise the error paths.
        Assert.InRange(rejected, 5_000, 10_000);
    }

    private static string Mutate(string source, Random random)
    {
        var text = new StringBuilder(source);
        for (var m = random.Next(1, 6); m > 0; m--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at));
                    break;
                case 2:
                    var lines = text.ToString().Split('\n').ToList();
                    var line = random.Next(lines.Count);
                    lines.Insert(random.Next(lines.Count), lines[line]);
                    text.Clear().Append(string.Join('\n', lines));
                    break;
                case 3:
                    text.Length = at;
                    break;
                default:
                    var all = text.ToString().Split('\n');
                    var (a, b) = (random.Next(all.Length), random.Next(all.Length));
                    (all[a], all[b]) = (all[b], all[a]);
                    text.Clear().Append(string.Join('\n', all));
                    break;
            }
        }
        return text.ToString();
    }
}
