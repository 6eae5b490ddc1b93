namespace UlcAg.Training.Reporting;

/// <summary>A file or folder of the run the report points to (checkpoints, exported model, logs).</summary>
/// <param name="Label">What it is, e.g. "exported model".</param>
/// <param name="Path">Where it is; made relative to the report when it lies beside or below it.</param>
public sealed record ReportLink(string Label, string Path);
