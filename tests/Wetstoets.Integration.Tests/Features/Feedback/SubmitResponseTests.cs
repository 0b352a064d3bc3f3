using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Features.Feedback;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Features.Feedback;

/// <summary>On SQLite.</summary>
public sealed class SqliteSubmitResponseTests() : SubmitResponseTests("sqlite");

/// <summary>On a real PostgreSQL server.</summary>
public sealed class PostgresSubmitResponseTests() : SubmitResponseTests("postgres");

public abstract class SubmitResponseTests(string provider) : IAsyncLifetime
{
    private TestWorkspace _ws = null!;
    private string _review = null!;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync(provider: provider);
        await _ws.SeedAsync();
        _review = await _ws.StartAsync();
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private async Task AssertRefused(Result<SubmittedResponse> result, string message)
    {
        Assert.False(result.IsSuccess);
        Assert.Contains(result.Problems, p => p.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(0, await _ws.Db(db => db.Responses.CountAsync()));
    }

    [Fact]
    public async Task Dutch_amounts_and_numbers_are_stored_as_exact_values()
    {
        TestWorkspace.Ok(await _ws.SubmitAsync(_review, Responses.For("GM0363", kosten: "€ 12.500,50")));
        var answers = await _ws.Db(db => db.Responses.Select(r => r.Answers).SingleAsync());
        Assert.Equal(("12500.50", "1.5"), (answers["kosten-eenmalig"], answers["fte"]));
    }

    [Fact]
    public async Task Unknown_review_is_refused() =>
        await AssertRefused(await _ws.Use<SubmitResponse, Result<SubmittedResponse>>(u => u.ExecuteAsync("WT-2099-0001",
            new ResponseSubmission("GM0363", new Dictionary<string, string> { ["oordeel"] = "uitvoerbaar" }, new Dictionary<string, string>(), new Dictionary<string, string>()),
            "cli", "test", null, default)), "unknown review 'WT-2099-0001'");

    [Fact]
    public async Task A_municipality_that_was_not_invited_is_refused() =>
        await AssertRefused(await _ws.SubmitAsync(_review, Responses.For("GM0001")), "municipality 'GM0001' was not invited");

    [Theory]
    [InlineData("oordeel: uitvoerbaar", "oordeel: misschien", "'oordeel': 'misschien' is not one of")]
    [InlineData("ict: 3", "ict: 7", "'ict': 7 is outside 1..5")]
    [InlineData("fte: \"1,5\"", "fte: veel", "'fte': 'veel' is not a number")]
    [InlineData("oordeel: uitvoerbaar", "kleur: rood", "unknown question 'kleur'")]
    public async Task Answers_outside_their_options_or_range_are_refused_and_nothing_is_stored(string find, string replace, string message) =>
        await AssertRefused(await _ws.SubmitAsync(_review, Responses.For("GM0363").Replace(find, replace, StringComparison.Ordinal)), message);

    [Fact]
    public async Task A_refused_answer_names_its_file_line_and_column()
    {
        var result = await _ws.SubmitAsync(_review, Responses.For("GM0363").Replace("ict: 3", "ict: 7", StringComparison.Ordinal));
        Assert.Equal("response.yaml:11:8: 'ict': 7 is outside 1..5", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public async Task The_overall_verdict_is_required() =>
        await AssertRefused(await _ws.SubmitAsync(_review, Responses.For("GM0363").Replace("  oordeel: uitvoerbaar\n", "", StringComparison.Ordinal)), "'oordeel' is required");

    [Fact]
    public async Task A_comment_on_an_article_the_draft_does_not_change_is_refused() =>
        await AssertRefused(await _ws.SubmitAsync(_review, Responses.For("GM0363", comment: "x").Replace("art-31:", "art-99:", StringComparison.Ordinal)), "unknown change 'art-99'");

    [Fact]
    public void A_malformed_response_file_names_line_and_column()
    {
        var result = ResponseReader.Read("antwoord.yaml", "municipality: GM0363\nanswers:\n  oordeel: [uitvoerbaar\n");
        Assert.Matches(@"^antwoord\.yaml:\d+:\d+: ", Assert.Single(result.Problems).Message);
    }
}
