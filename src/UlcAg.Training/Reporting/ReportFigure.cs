namespace UlcAg.Training.Reporting;

/// <summary>A rendered chart of the report.</summary>
/// <param name="Title">Heading and alt text.</param>
/// <param name="RelativePath">The PNG, relative to the report, with '/' separators.</param>
/// <param name="Caption">One sentence on how to read it.</param>
public sealed record ReportFigure(string Title, string RelativePath, string Caption);
