using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Wetstoets.Common;
using Wetstoets.Features.Feedback;

namespace Wetstoets.Questionnaires;

/// <summary>A filled-in questionnaire workbook: whose it is (sheet <c>Meta</c>) and what it answers.</summary>
public sealed record WorkbookResponse(string ReviewId, string MunicipalityCode, int Round, ResponseSubmission Submission);

/// <summary>
/// Reads a workbook made by <see cref="QuestionnaireWorkbook"/> and filled in by a municipality, as Excel or
/// LibreOffice save it (shared strings, numbers as numbers). Column C holds the answers, D the explanations
/// (notes); <c>artikel:</c> rows hold the comments. A file that is too large, unpacks to far more than it
/// weighs (a zip bomb), or is no workbook of ours is refused with the reason.
/// </summary>
public static class WorkbookReader
{
    public const long MaxBytes = 5 * 1024 * 1024;
    private const long MaxUnpackedBytes = 50 * 1024 * 1024;
    private const int MaxRows = 1_000;

    public static Result<WorkbookResponse> Read(string name, byte[] content)
    {
        if (content.LongLength > MaxBytes)
        {
            return Result<WorkbookResponse>.Fail($"{name}: {content.LongLength / 1024 / 1024.0:0.0} MB is more than the 5 MB a workbook may have");
        }
        if (Unpacked(content) is not { } unpacked)
        {
            return Result<WorkbookResponse>.Fail($"{name}: not a workbook (.xlsx) or a damaged one");
        }
        if (unpacked > MaxUnpackedBytes)
        {
            return Result<WorkbookResponse>.Fail($"{name}: unpacks to {unpacked / 1024 / 1024} MB; refused as a possible zip bomb");
        }
        try
        {
            using var document = SpreadsheetDocument.Open(new MemoryStream(content), isEditable: false);
            return Read(name, document);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException or InvalidOperationException or System.Xml.XmlException)
        {
            return Result<WorkbookResponse>.Fail($"{name}: not a workbook (.xlsx) or a damaged one: {e.Message}");
        }
    }

    private static Result<WorkbookResponse> Read(string name, SpreadsheetDocument document)
    {
        var meta = Cells(document, QuestionnaireWorkbook.MetaSheet);
        var questions = Cells(document, QuestionnaireWorkbook.QuestionsSheet);
        if (meta is null || questions is null)
        {
            return Result<WorkbookResponse>.Fail($"{name}: the sheets '{QuestionnaireWorkbook.QuestionsSheet}' and '{QuestionnaireWorkbook.MetaSheet}' are required");
        }
        var review = Value(meta, "B1");
        var municipality = Value(meta, "B2");
        if (Value(meta, "A1") != "review" || Value(meta, "A2") != "gemeente" || review.Length == 0 || municipality.Length == 0
            || !int.TryParse(Value(meta, "B3"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var round))
        {
            return Result<WorkbookResponse>.Fail($"{name}: sheet '{QuestionnaireWorkbook.MetaSheet}' must name the review (B1), the municipality (B2) and the round (B3)");
        }
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var positions = new Dictionary<string, Diagnostic>(StringComparer.Ordinal);
        for (var row = 2; row <= MaxRows; row++)
        {
            var id = Value(questions, $"A{row}");
            if (id.Length == 0)
            {
                continue;
            }
            var (answer, note) = (Value(questions, $"C{row}"), Value(questions, $"D{row}"));
            var sheet = $"{name}#{QuestionnaireWorkbook.QuestionsSheet}";
            if (id.StartsWith("artikel:", StringComparison.Ordinal))
            {
                Put(comments, "comments", id["artikel:".Length..], answer, new Diagnostic(sheet, row, 3, ""));
            }
            else
            {
                Put(answers, "answers", id, answer, new Diagnostic(sheet, row, 3, ""));
                Put(notes, "notes", id, note, new Diagnostic(sheet, row, 4, ""));
            }
        }
        return Result<WorkbookResponse>.Ok(new WorkbookResponse(review, municipality, round,
            new ResponseSubmission(municipality, answers, comments, notes) { Positions = positions }));

        void Put(Dictionary<string, string> map, string kind, string key, string value, Diagnostic at)
        {
            if (value.Length > 0)
            {
                map[key] = value;
                positions[$"{kind}.{key}"] = at;
            }
        }
    }

    /// <summary>The cells of a sheet by reference, as text; null when the sheet is missing.</summary>
    private static Dictionary<string, string>? Cells(SpreadsheetDocument document, string sheetName)
    {
        var workbook = document.WorkbookPart;
        var sheet = workbook?.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault(s => s.Name == sheetName);
        if (workbook is null || sheet?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
        {
            return null;
        }
        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cell in part.Worksheet.Descendants<Cell>().Where(c => c.CellReference?.Value is not null))
        {
            cells[cell.CellReference!.Value!] = Text(cell, shared).Trim();
        }
        return cells;
    }

    private static string Text(Cell cell, List<string> shared)
    {
        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < shared.Count ? shared[index] : "";
        }
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }
        // Numbers are stored invariantly ("12500.5"); DutchNumber reads that form as well.
        return raw;
    }

    private static string Value(Dictionary<string, string> cells, string reference) => cells.GetValueOrDefault(reference, "");

    /// <summary>The unpacked size of all parts, or null when the bytes are no zip archive.</summary>
    private static long? Unpacked(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            return zip.Entries.Sum(e => e.Length);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
