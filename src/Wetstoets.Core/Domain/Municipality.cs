using System.Text.RegularExpressions;

namespace Wetstoets.Domain;

public sealed partial class Municipality
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Province { get; set; }
    public int Population { get; set; }

    public string SizeClass => Domain.SizeClass.Of(Code, Population);

    public static bool IsValidCode(string code) => CodePattern().IsMatch(code);

    [GeneratedRegex("^GM[0-9]{4}$")]
    private static partial Regex CodePattern();
}
