using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Wetstoets.Domain;
using Wetstoets.Questionnaires;

namespace Wetstoets.Core.Tests.Questionnaires;

public class WorkbookReaderTests
{
    private static readonly Questionnaire Questionnaire = new("uitvoeringstoets", "Uitvoeringstoets",
    [
        new("oordeel", QuestionType.Choice, "Is dit uitvoerbaar?", [new("uitvoerbaar", "U"), new("niet-uitvoerbaar", "N")], null, null, null, true),
        new("kosten-eenmalig", QuestionType.Amount, "Eenmalige kosten", [], 0, null, null, false),
        new("fte", QuestionType.Number, "Formatie", [], 0, null, null, false),
    ]);

    private static readonly DraftChange[] Changes = [new("art-31", "Artikel 31", "Vrijlating.")];

    /// <summary>Fills cells the way Excel saves them: text as shared strings, numbers as numbers.</summary>
    private static byte[] Filled(params (string Cell, string Value, bool Number)[] values)
    {
        using var stream = new MemoryStream();
        stream.Write(QuestionnaireWorkbook.Create(Questionnaire, Changes, "WT-2026-0001", "GM0363", 1));
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var sheetId = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Vragenlijst").Id!.Value!;
            var data = ((WorksheetPart)workbook.GetPartById(sheetId)).Worksheet.GetFirstChild<SheetData>()!;
            foreach (var (reference, value, number) in values)
            {
                var row = data.Elements<Row>().Single(r => r.RowIndex!.Value == uint.Parse(reference[1..], System.Globalization.CultureInfo.InvariantCulture));
                var cell = number
                    ? new Cell(new CellValue(value)) { CellReference = reference }
                    : new Cell(new CellValue(strings.SharedStringTable.ChildElements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))) { CellReference = reference, DataType = CellValues.SharedString };
                if (!number)
                {
                    strings.SharedStringTable.AppendChild(new SharedStringItem(new Text(value)));
                }
                var after = row.Elements<Cell>().LastOrDefault(c => string.CompareOrdinal(c.CellReference!.Value, reference) < 0);
                if (after is null)
                {
                    row.PrependChild(cell);
                }
                else
                {
                    after.InsertAfterSelf(cell);
                }
            }
        }
        return stream.ToArray();
    }

    [Fact]
    public void A_filled_in_workbook_gives_answers_notes_comments_and_whose_it_is()
    {
        var read = WorkbookReader.Read("antwoord.xlsx", Filled(
            ("C2", "niet-uitvoerbaar", false), ("D2", "Te weinig tijd.", false),
            ("C3", "12500.5", true), ("C4", "1,5", false), ("C5", "Graag een overgangstermijn.", false)));

        Assert.True(read.IsSuccess, string.Join("; ", read.Problems));
        var (review, municipality, round, submission) = read.Value!;
        Assert.Equal(("WT-2026-0001", "GM0363", 1), (review, municipality, round));
        Assert.Equal("niet-uitvoerbaar", submission.Answers["oordeel"]);
        Assert.True(DutchNumber.TryParse(submission.Answers["kosten-eenmalig"], out var amount));
        Assert.Equal(12500.5m, amount);
        Assert.True(DutchNumber.TryParse(submission.Answers["fte"], out var fte));
        Assert.Equal(1.5m, fte);
        Assert.Equal("Te weinig tijd.", submission.Notes["oordeel"]);
        Assert.Equal("Graag een overgangstermijn.", submission.Comments["art-31"]);
        Assert.Contains("antwoord.xlsx#Vragenlijst:2:3", submission.ProblemAt("answers.oordeel", "x").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_workbook_answers_nothing()
    {
        var read = WorkbookReader.Read("leeg.xlsx", QuestionnaireWorkbook.Create(Questionnaire, Changes, "WT-2026-0001", "GM0363", 1));
        Assert.Empty(read.Value!.Submission.Answers);
        Assert.Empty(read.Value.Submission.Comments);
    }

    [Fact]
    public void A_damaged_file_is_refused_with_the_reason()
    {
        var bytes = QuestionnaireWorkbook.Create(Questionnaire, Changes, "WT-2026-0001", "GM0363", 1);
        Assert.Contains("damaged", WorkbookReader.Read("kapot.xlsx", bytes[..(bytes.Length / 2)]).Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("damaged", WorkbookReader.Read("tekst.xlsx", "geen werkmap"u8.ToArray()).Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_five_megabytes_is_refused()
    {
        var read = WorkbookReader.Read("groot.xlsx", new byte[WorkbookReader.MaxBytes + 1]);
        Assert.Contains("5 MB", read.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_is_refused_before_it_is_unpacked()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/bom.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 60; i++)
            {
                entry.Write(zeros);
            }
        }
        Assert.True(stream.Length < WorkbookReader.MaxBytes);
        Assert.Contains("zip bomb", WorkbookReader.Read("bom.xlsx", stream.ToArray()).Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workbook_without_its_meta_sheet_is_refused()
    {
        using var stream = new MemoryStream();
        stream.Write(QuestionnaireWorkbook.Create(Questionnaire, Changes, "WT-2026-0001", "GM0363", 1));
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var sheets = document.WorkbookPart!.Workbook.Sheets!;
            sheets.Elements<Sheet>().Single(s => s.Name == "Meta").Remove();
        }
        Assert.Contains("'Meta' are required", WorkbookReader.Read("zonder.xlsx", stream.ToArray()).Problems[0].Message, StringComparison.Ordinal);
    }
}
