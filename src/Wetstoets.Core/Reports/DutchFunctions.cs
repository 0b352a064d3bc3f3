using System.Buffers;
using System.Globalization;
using System.Text;
using Scriban.Runtime;

namespace Wetstoets.Reports;

/// <summary>The <c>nl</c> object of every template: Dutch formatting and escaping of free text.</summary>
public sealed class DutchFunctions : ScriptObject
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public DutchFunctions()
    {
        this.Import("number", new Func<object?, int, string>(Number));
        foreach (var (name, function) in new (string, Func<object?, string>)[]
        {
            ("euro", Euro), ("percent", Percent), ("date", Date), ("datetime", DateTime), ("deadline", Deadline),
            ("md", Markdown), ("markdown_without_html", MarkdownWithoutHtml),
        })
        {
            SetValue(name, new TextFunction(function), readOnly: true);
        }
    }

    public static string Number(object? value, int decimals) => value is null ? "–" : Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("N" + decimals, Dutch);

    public static string Euro(object? value) => value is null ? "–" : "€ " + Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("N0", Dutch);

    public static string Percent(object? value) => value is null ? "–" : (Convert.ToDecimal(value, CultureInfo.InvariantCulture) * 100).ToString("N0", Dutch) + "%";

    public static string Date(object? value) => value is DateTimeOffset d ? TimeZoneInfo.ConvertTime(d, Amsterdam).ToString("d MMMM yyyy", Dutch) : "–";

    public static string DateTime(object? value) => value is DateTimeOffset d ? TimeZoneInfo.ConvertTime(d, Amsterdam).ToString("d MMMM yyyy HH:mm", Dutch) : "–";

    /// <summary>Markdown the ministry wrote (a draft's summary) keeps its formatting, but never raw HTML.</summary>
    public static string MarkdownWithoutHtml(object? value) =>
        (value?.ToString() ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A deadline at midnight is the end of the day before: "15 januari 2027, einde van de dag".</summary>
    public static string Deadline(object? value)
    {
        if (value is not DateTimeOffset d)
        {
            return "–";
        }
        var local = TimeZoneInfo.ConvertTime(d, Amsterdam);
        return local.TimeOfDay == TimeSpan.Zero
            ? local.AddDays(-1).ToString("d MMMM yyyy", Dutch) + ", einde van de dag"
            : DateTime(value);
    }

    /// <summary>
    /// Escapes free text for Markdown: HTML is neutralised and Markdown syntax shown literally, so what a
    /// municipality typed can never change the report's layout or inject markup.
    /// </summary>
    public static string Markdown(object? value)
    {
        var text = value?.ToString() ?? "";
        // "1. Eerst ..." at the start of a line would become a numbered list: the dot after the number is shown as is.
        var leadingNumber = text.AsSpan().IndexOfAnyExceptInRange('0', '9') is var end and >= 0 ? end : text.Length;
        var numbered = leadingNumber > 0 && leadingNumber < text.Length && text[leadingNumber] == '.';
        if (!numbered && text.AsSpan().IndexOfAny(Escaped) < 0)
        {
            // Most names and labels have nothing to escape; the README calls this three times for every review.
            return text;
        }
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.' && i == leadingNumber && numbered)
            {
                builder.Append(@"\.");
                continue;
            }
            switch (c)
            {
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                case '\r': break;
                case '\n': builder.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '!' or '|' or '~':
                    builder.Append('\\').Append(c);
                    break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Every character <see cref="Markdown"/> changes, but the dot after a leading number.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create("<>&\r\n\\`*_{}[]()#+-!|~");
}
