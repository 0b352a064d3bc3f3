using Wetstoets.Features.Drafts;

namespace Wetstoets.Core.Tests.Drafts;

public class DraftReaderTests
{
    private const string Draft = """
        title: "Wijziging Participatiewet"
        law: { id: participatiewet, bwb: BWBR0015703, name: Participatiewet }
        domains: [participatie]
        summary: Korte samenvatting.
        changes:
          - id: art-31
            article: "Artikel 31, tweede lid"
            summary: Inkomsten worden maandelijks vrijgelaten.
        assumptions:
          - id: BV1
            text: Gemeenten kunnen maandelijks verrekenen.
        deadline: 2027-01-15
        """;

    [Fact]
    public void Reads_every_field()
    {
        var result = DraftReader.Read("d.yaml", Draft);
        Assert.True(result.IsSuccess, string.Join("; ", result.Problems));
        var draft = result.Value!.Draft;
        Assert.Equal(("participatiewet", "BWBR0015703", "Participatiewet"), (draft.LawId, draft.Bwb, draft.LawName));
        Assert.Equal("art-31", Assert.Single(draft.Changes).Id);
        Assert.Equal("BV1", Assert.Single(draft.Assumptions).Id);
    }

    [Fact]
    public void A_date_deadline_means_the_end_of_that_day_in_Amsterdam()
    {
        var deadline = DraftReader.Read("d.yaml", Draft).Value!.Draft.Deadline!.Value;
        // 16 January 00:00 CET is 15 January 23:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 23, 0, 0, TimeSpan.Zero), deadline);
    }

    [Fact]
    public void A_date_time_deadline_needs_an_offset()
    {
        var result = DraftReader.Read("d.yaml", Draft.Replace("deadline: 2027-01-15", "deadline: 2027-01-15T17:00:00", StringComparison.Ordinal));
        Assert.False(result.IsSuccess);
        Assert.StartsWith("d.yaml:12:11:", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_names_file_line_and_column()
    {
        var result = DraftReader.Read("d.yaml", "title: \"open\nlaw: x\n");
        Assert.False(result.IsSuccess);
        Assert.Matches(@"^d\.yaml:\d+:\d+: ", result.Problems[0].Message);
    }

    [Fact]
    public void Missing_law_and_duplicate_change_ids_are_reported_together()
    {
        var text = Draft.Replace("law: { id: participatiewet, bwb: BWBR0015703, name: Participatiewet }\n", "", StringComparison.Ordinal)
            + "\n";
        text = text.Replace("changes:\n", "changes:\n  - { id: art-31, article: A }\n", StringComparison.Ordinal);
        var messages = DraftReader.Read("d.yaml", text).Problems.Select(p => p.Message).ToList();
        Assert.Contains(messages, m => m.Contains("'law' is required", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("change id 'art-31' appears twice", StringComparison.Ordinal));
    }
}
