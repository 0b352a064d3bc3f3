using Wetstoets.Questionnaires;

namespace Wetstoets.Core.Tests.Questionnaires;

public class DutchNumberTests
{
    [Theory]
    [InlineData("€ 12.500,50", "12500.50")]
    [InlineData("12.500", "12500")]
    [InlineData("1.250.000", "1250000")]
    [InlineData("2,5", "2.5")]
    [InlineData("2.5", "2.5")]
    [InlineData("12500.5", "12500.5")]
    [InlineData("1,250.75", "1250.75")]
    [InlineData("€12.500,-", "12500")]
    [InlineData(" 40 250 ", "40250")]
    [InlineData("-3,25", "-3.25")]
    public void Parses_Dutch_and_invariant_notation(string text, string expected)
    {
        Assert.True(DutchNumber.TryParse(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("twaalf")]
    [InlineData("1,2,3")]
    [InlineData("12..5")]
    public void Refuses_what_is_not_a_number(string text) => Assert.False(DutchNumber.TryParse(text, out _));
}

public class AnswerValidatorTests
{
    private static readonly Question Choice = new("oordeel", QuestionType.Choice, "?", [new("uitvoerbaar", "U"), new("niet-uitvoerbaar", "N")], null, null, null, true);
    private static readonly Question Scale = new("ict", QuestionType.Scale, "?", [], 1, 5, null, false);
    private static readonly Question Amount = new("kosten-eenmalig", QuestionType.Amount, "?", [], 0, null, null, false);

    [Fact]
    public void Choice_answer_takes_the_option_code_case_insensitively() =>
        Assert.Equal(("uitvoerbaar", (string?)null), AnswerValidator.Normalise(Choice, " Uitvoerbaar "));

    [Fact]
    public void Choice_outside_the_options_is_refused_with_the_options_named()
    {
        var (value, error) = AnswerValidator.Normalise(Choice, "misschien");
        Assert.Null(value);
        Assert.Contains("uitvoerbaar, niet-uitvoerbaar", error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("2,5")]
    public void Scale_outside_its_range_or_fractional_is_refused(string text) => Assert.NotNull(AnswerValidator.Normalise(Scale, text).Error);

    [Fact]
    public void Amount_in_Dutch_notation_is_stored_invariant() =>
        Assert.Equal("12500.50", AnswerValidator.Normalise(Amount, "€ 12.500,50").Value);

    [Fact]
    public void Negative_amount_is_refused() => Assert.NotNull(AnswerValidator.Normalise(Amount, "-5").Error);
}
