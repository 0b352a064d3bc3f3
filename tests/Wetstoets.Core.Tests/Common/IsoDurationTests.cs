using Wetstoets.Common;
using Wetstoets.Domain;

namespace Wetstoets.Core.Tests.Common;

public class IsoDurationTests
{
    [Theory]
    [InlineData("P6W", 42 * 24 * 3600)]
    [InlineData("P7D", 7 * 24 * 3600)]
    [InlineData("-P2D", -2 * 24 * 3600)]
    [InlineData("PT30S", 30)]
    [InlineData("P1DT2H3M4S", 93784)]
    [InlineData("-PT0.5S", -0.5)]
    public void Parses_weeks_days_and_time(string text, double seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("6W")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_years_months_and_malformed(string? text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Fact]
    public void Format_round_trips() => Assert.Equal("-P1DT2H", IsoDuration.Format(-TimeSpan.FromHours(26)));
}

public class SizeClassTests
{
    [Theory]
    [InlineData("GM0363", 10, SizeClass.G4)]
    [InlineData("GM0772", 240_000, SizeClass.Over100k)]
    [InlineData("GM0001", 100_000, SizeClass.Over100k)]
    [InlineData("GM0001", 99_999, SizeClass.From50kTo100k)]
    [InlineData("GM0001", 50_000, SizeClass.From50kTo100k)]
    [InlineData("GM0001", 49_999, SizeClass.From20kTo50k)]
    [InlineData("GM0001", 20_000, SizeClass.From20kTo50k)]
    [InlineData("GM0001", 19_999, SizeClass.Under20k)]
    public void Size_class_follows_population_and_G4_membership(string code, int population, string expected) =>
        Assert.Equal(expected, SizeClass.Of(code, population));

    [Theory]
    [InlineData("GM0363", true)]
    [InlineData("gm0363", false)]
    [InlineData("GM363", false)]
    [InlineData("PV20", false)]
    public void Municipality_codes_are_GM_and_four_digits(string code, bool valid) => Assert.Equal(valid, Municipality.IsValidCode(code));
}
