using System.Globalization;
using System.Text.RegularExpressions;

namespace Wetstoets.Questionnaires;

/// <summary>
/// Reads numbers the way Dutch people and Dutch Excel write them (<c>€ 12.500,50</c>, <c>2,5</c>) as well
/// as plain invariant numbers (<c>12500.5</c>).
/// </summary>
public static partial class DutchNumber
{
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim().Replace("€", "", StringComparison.Ordinal).Replace("EUR", "", StringComparison.OrdinalIgnoreCase)
            .Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal)
            .Replace("\u202f", "", StringComparison.Ordinal);
        if (s.EndsWith(",-", StringComparison.Ordinal))
        {
            s = s[..^2];
        }
        int lastComma = s.LastIndexOf(','), lastDot = s.LastIndexOf('.');
        if (lastComma >= 0 && lastDot >= 0)
        {
            // Both separators: the last one is the decimal separator, the other groups thousands.
            s = lastComma > lastDot
                ? s.Replace(".", "", StringComparison.Ordinal).Replace(',', '.')
                : s.Replace(",", "", StringComparison.Ordinal);
        }
        else if (lastComma >= 0)
        {
            if (s.Count(c => c == ',') > 1)
            {
                return false;
            }
            s = s.Replace(',', '.');
        }
        else if (lastDot >= 0 && DottedThousands().IsMatch(s))
        {
            s = s.Replace(".", "", StringComparison.Ordinal);
        }
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    public static string ToInvariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    // "12.500" and "1.250.000" group thousands; "2.5" and "12.50" are decimals.
    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+$")]
    private static partial Regex DottedThousands();
}
