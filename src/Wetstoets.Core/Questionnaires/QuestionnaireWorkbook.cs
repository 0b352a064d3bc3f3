using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Wetstoets.Domain;

namespace Wetstoets.Questionnaires;

/// <summary>
/// The questionnaire as an Excel workbook (SPEC.md §6), for municipalities that answer by reply mail. Sheet
/// <c>Vragenlijst</c>: headers <c>vraag-id</c>, <c>vraag</c>, <c>antwoord</c>, <c>toelichting</c>, one row per
/// question (choice answers as option codes, with a validation list), then one row per changed article
/// (<c>artikel:&lt;change-id&gt;</c>). Sheet <c>Meta</c>: review, municipality and round, so a reply can be
/// matched to its invitation whatever the mail's subject says.
/// </summary>
public static class QuestionnaireWorkbook
{
    public const string QuestionsSheet = "Vragenlijst";
    public const string MetaSheet = "Meta";
    public static readonly IReadOnlyList<string> Headers = ["vraag-id", "vraag", "antwoord", "toelichting"];

    public static string FileName(string reviewId, string municipalityCode) => $"vragenlijst-{reviewId}-{municipalityCode}.xlsx";

    public static byte[] Create(Questionnaire questionnaire, IReadOnlyList<DraftChange> changes, string reviewId, string municipalityCode, int round)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            // Explicit relationship ids: the library would draw random ones, and the same workbook would differ each time.
            var workbook = document.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rId1");
            workbook.Workbook = new Workbook(new Sheets());
            AddSheet(workbook, 1, QuestionsSheet, QuestionsWorksheet(questionnaire, changes));
            AddSheet(workbook, 2, MetaSheet, new Worksheet(new SheetData(
                Row(1, Text("A1", "review"), Text("B1", reviewId)),
                Row(2, Text("A2", "gemeente"), Text("B2", municipalityCode)),
                Row(3, Text("A3", "ronde"), Number("B3", round)))));
        }
        return WithFixedTimes(stream.ToArray());
    }

    // Any fixed moment will do; this is the earliest a zip entry can carry.
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The same archive with every entry stamped at one fixed moment: the packaging library stamps entries with
    /// the time of writing, and a workbook that differs by the second it was made cannot be compared with the
    /// one that was sent.
    /// </summary>
    private static byte[] WithFixedTimes(byte[] package)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = EntryTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }
        return output.ToArray();
    }

    private static Worksheet QuestionsWorksheet(Questionnaire questionnaire, IReadOnlyList<DraftChange> changes)
    {
        var rows = new SheetData(Row(1, Headers.Select((h, i) => Text($"{Column(i)}1", h)).ToArray()));
        var validations = new List<DataValidation>();
        var number = 1;
        foreach (var question in questionnaire.Questions)
        {
            number++;
            rows.Append(Row(number, Text($"A{number}", question.Id), Text($"B{number}", Describe(question))));
            if (Validation(question, $"C{number}") is { } validation)
            {
                validations.Add(validation);
            }
        }
        foreach (var change in changes)
        {
            number++;
            rows.Append(Row(number, Text($"A{number}", "artikel:" + change.Id), Text($"B{number}", $"{change.Article}: {change.Summary}")));
        }
        // Wide enough to read the question and to type an explanation; the order of elements is the schema's.
        var worksheet = new Worksheet(new Columns(
            new Column { Min = 1, Max = 1, Width = 28, CustomWidth = true },
            new Column { Min = 2, Max = 2, Width = 80, CustomWidth = true },
            new Column { Min = 3, Max = 3, Width = 24, CustomWidth = true },
            new Column { Min = 4, Max = 4, Width = 60, CustomWidth = true }), rows);
        if (validations.Count > 0)
        {
            worksheet.Append(new DataValidations(validations) { Count = (uint)validations.Count });
        }
        return worksheet;
    }

    /// <summary>The question in Dutch with what an answer may be: the option codes, or the range.</summary>
    private static string Describe(Question question) => question.Type switch
    {
        QuestionType.Choice => $"{question.Text} (vul de code in: {string.Join("; ", question.Options.Select(o => $"{o.Code} = {o.Label}"))})",
        QuestionType.Scale => $"{question.Text} (geheel getal van {Format(question.Min)} tot en met {Format(question.Max)})",
        QuestionType.Amount => $"{question.Text} (bedrag in euro's)",
        QuestionType.Number => $"{question.Text} (getal)",
        _ => question.Text,
    };

    private static DataValidation? Validation(Question question, string cell) => question.Type switch
    {
        QuestionType.Choice => new DataValidation(new Formula1($"\"{string.Join(",", question.Options.Select(o => o.Code))}\""))
        {
            Type = DataValidationValues.List,
            AllowBlank = true,
            ShowErrorMessage = true,
            ErrorTitle = "Ongeldige code",
            Error = "Kies een van de codes uit de lijst.",
            SequenceOfReferences = new ListValue<StringValue>([new StringValue(cell)]),
        },
        QuestionType.Scale when question.Min is { } min && question.Max is { } max => new DataValidation(
            new Formula1(Format(min)), new Formula2(Format(max)))
        {
            Type = DataValidationValues.Whole,
            Operator = DataValidationOperatorValues.Between,
            AllowBlank = true,
            ShowErrorMessage = true,
            ErrorTitle = "Buiten de schaal",
            Error = $"Vul een geheel getal in van {Format(min)} tot en met {Format(max)}.",
            SequenceOfReferences = new ListValue<StringValue>([new StringValue(cell)]),
        },
        _ => null,
    };

    private static void AddSheet(WorkbookPart workbook, uint id, string name, Worksheet worksheet)
    {
        var part = workbook.AddNewPart<WorksheetPart>($"rId{id}");
        part.Worksheet = worksheet;
        workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Row Row(int number, params Cell[] cells) => new(cells) { RowIndex = (uint)number };

    // Inline strings: no shared-string table to keep in step, and what is in a cell is in its row.
    private static Cell Text(string reference, string value) =>
        new(new InlineString(new Text(value) { Space = SpaceProcessingModeValues.Preserve })) { CellReference = reference, DataType = CellValues.InlineString };

    private static Cell Number(string reference, int value) =>
        new(new CellValue(value.ToString(CultureInfo.InvariantCulture))) { CellReference = reference };

    private static string Column(int index) => ((char)('A' + index)).ToString();

    private static string Format(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
