using System.Globalization;
using System.Text.RegularExpressions;

namespace Wetstoets.Common;

/// <summary>
/// ISO 8601 durations in weeks, days, hours, minutes and seconds (<c>P6W</c>, <c>-P7D</c>, <c>PT30S</c>).
/// Years and months are refused: their length varies, and a deadline must not.
/// </summary>
public static partial class IsoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = text is null ? Match.Empty : Pattern().Match(text.Trim());
        if (!match.Success || match.Groups.Cast<Group>().Skip(2).All(g => !g.Success))
        {
            return false;
        }
        double Part(string name) => match.Groups[name].Success
            ? double.Parse(match.Groups[name].Value.Replace(',', '.'), CultureInfo.InvariantCulture)
            : 0;
        try
        {
            duration = TimeSpan.FromDays(Part("w") * 7 + Part("d"))
                + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        }
        catch (OverflowException)
        {
            return false;
        }
        if (match.Groups["sign"].Value == "-")
        {
            duration = duration.Negate();
        }
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        var sign = duration < TimeSpan.Zero ? "-" : "";
        duration = duration.Duration();
        var text = "P";
        if (duration.Days > 0)
        {
            text += duration.Days % 7 == 0 && duration.Days >= 7 ? $"{duration.Days / 7}W" : $"{duration.Days}D";
        }
        if (duration.Hours + duration.Minutes + duration.Seconds > 0)
        {
            text += "T" + (duration.Hours > 0 ? $"{duration.Hours}H" : "") + (duration.Minutes > 0 ? $"{duration.Minutes}M" : "")
                + (duration.Seconds > 0 ? $"{duration.Seconds}S" : "");
        }
        return sign + (text == "P" ? "PT0S" : text);
    }

    [GeneratedRegex(@"^(?<sign>-)?P(?:(?<w>\d+(?:[.,]\d+)?)W)?(?:(?<d>\d+(?:[.,]\d+)?)D)?(?:T(?:(?<h>\d+(?:[.,]\d+)?)H)?(?:(?<m>\d+(?:[.,]\d+)?)M)?(?:(?<s>\d+(?:[.,]\d+)?)S)?)?$")]
    private static partial Regex Pattern();
}
