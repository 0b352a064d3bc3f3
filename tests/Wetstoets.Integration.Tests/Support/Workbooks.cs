namespace Wetstoets.Integration.Tests.Support;

/// <summary>Questionnaire workbooks as municipalities return them.</summary>
public static class Workbooks
{
    /// <summary>Sets cells of a workbook as a person filling it in would (inline text replaces what was there).</summary>
    public static byte[] Fill(byte[] xlsx, params (string Sheet, string Cell, string Value)[] values)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            foreach (var (sheet, reference, value) in values)
            {
                var id = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == sheet).Id!.Value!;
                var data = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(id)).Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.SheetData>().Single();
                var row = data.Elements<DocumentFormat.OpenXml.Spreadsheet.Row>().Single(r => r.RowIndex!.Value == uint.Parse(reference[1..], System.Globalization.CultureInfo.InvariantCulture));
                row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().SingleOrDefault(c => c.CellReference == reference)?.Remove();
                var cell = new DocumentFormat.OpenXml.Spreadsheet.Cell(new DocumentFormat.OpenXml.Spreadsheet.InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(value)))
                {
                    CellReference = reference,
                    DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString,
                };
                var before = row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().LastOrDefault(c => string.CompareOrdinal(c.CellReference!.Value, reference) < 0);
                if (before is null)
                {
                    row.PrependChild(cell);
                }
                else
                {
                    before.InsertAfterSelf(cell);
                }
            }
        }
        return stream.ToArray();
    }
}
