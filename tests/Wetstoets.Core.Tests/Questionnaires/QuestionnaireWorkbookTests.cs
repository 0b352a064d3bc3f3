using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Wetstoets.Domain;
using Wetstoets.Questionnaires;

namespace Wetstoets.Core.Tests.Questionnaires;

public class QuestionnaireWorkbookTests
{
    private static readonly Questionnaire Questionnaire = new("uitvoeringstoets", "Uitvoeringstoets",
    [
        new("oordeel", QuestionType.Choice, "Is dit uitvoerbaar?", [new("uitvoerbaar", "Uitvoerbaar"), new("uitvoerbaar-mits", "Uitvoerbaar mits"), new("niet-uitvoerbaar", "Niet uitvoerbaar")], null, null, null, true),
        new("past-bij-taken", QuestionType.Scale, "Past dit bij uw taken?", [], 1, 5, null, false),
        new("kosten-eenmalig", QuestionType.Amount, "Eenmalige kosten", [], 0, null, null, false),
        new("toelichting", QuestionType.Text, "Toelichting", [], null, null, null, false),
    ]);

    private static readonly DraftChange[] Changes = [new("art-31", "Artikel 31, tweede lid", "Maandelijkse vrijlating."), new("art-34", "Artikel 34", "Vermogensgrens.")];

    private static SpreadsheetDocument Open() =>
        SpreadsheetDocument.Open(new MemoryStream(QuestionnaireWorkbook.Create(Questionnaire, Changes, "WT-2026-0001", "GM0363", 2)), isEditable: false);

    private static List<List<string>> Rows(SpreadsheetDocument document, string sheet)
    {
        var workbook = document.WorkbookPart!;
        var id = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!.Value!;
        var part = (WorksheetPart)workbook.GetPartById(id);
        return part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList()).ToList();
    }

    [Fact]
    public void The_questions_sheet_has_the_headers_one_row_per_question_in_order_then_one_per_article()
    {
        using var document = Open();
        Assert.Equal(["Vragenlijst", "Meta"], document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
        var rows = Rows(document, "Vragenlijst");
        Assert.Equal(["vraag-id", "vraag", "antwoord", "toelichting"], rows[0]);
        Assert.Equal(["oordeel", "past-bij-taken", "kosten-eenmalig", "toelichting", "artikel:art-31", "artikel:art-34"], rows.Skip(1).Select(r => r[0]));
        Assert.Contains("uitvoerbaar-mits = Uitvoerbaar mits", rows[1][1], StringComparison.Ordinal);
        Assert.Equal("Artikel 31, tweede lid: Maandelijkse vrijlating.", rows[5][1]);
    }

    [Fact]
    public void The_meta_sheet_names_review_municipality_and_round()
    {
        using var document = Open();
        Assert.Equal([["review", "WT-2026-0001"], ["gemeente", "GM0363"], ["ronde", "2"]], Rows(document, "Meta"));
    }

    [Fact]
    public void Choice_answers_have_a_list_of_option_codes_and_scales_a_whole_number_range()
    {
        using var document = Open();
        var part = document.WorkbookPart!.WorksheetParts.First(p => p.Worksheet.Descendants<DataValidation>().Any());
        var validations = part.Worksheet.Descendants<DataValidation>().ToDictionary(v => v.SequenceOfReferences!.InnerText!);
        Assert.Equal(["C2", "C3"], validations.Keys.Order());
        Assert.Equal(DataValidationValues.List, validations["C2"].Type!.Value);
        Assert.Equal("\"uitvoerbaar,uitvoerbaar-mits,niet-uitvoerbaar\"", validations["C2"].Formula1!.Text);
        Assert.Equal(("1", "5"), (validations["C3"].Formula1!.Text, validations["C3"].Formula2!.Text));
    }

    [Fact]
    public void The_workbook_is_valid_against_the_office_schema()
    {
        using var document = Open();
        var errors = new OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public void The_attachment_is_named_after_review_and_municipality() =>
        Assert.Equal("vragenlijst-WT-2026-0001-GM0363.xlsx", QuestionnaireWorkbook.FileName("WT-2026-0001", "GM0363"));
}
