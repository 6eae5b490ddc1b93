using UlcAg.Training.Metrics;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ReportingExampleTests
{
    /// <summary>
    /// Writes a complete example report (logs, charts, report.md) from the sample run. Set
    /// ULCAG_EXAMPLE_REPORT to a folder to keep it (e.g. artifacts/example-report) for a look.
    /// </summary>
    [TestMethod]
    public void WritesACompleteExampleReport()
    {
        using var scratch = new ReportingScratch();
        var folder = Environment.GetEnvironmentVariable("ULCAG_EXAMPLE_REPORT") is { Length: > 0 } kept ? Path.GetFullPath(kept) : scratch.Path;
        var report = ReportingSampleRun.Report(folder: folder);
        File.Delete(Path.Combine(folder, RunFolder.MetricsFile));
        using (var writer = new MetricsLogWriter(Path.Combine(folder, RunFolder.MetricsFile)))
        {
            foreach (var entry in report.Epochs)
                writer.Append(entry);
        }
        var fromLog = report with { Epochs = MetricsLog.Read(Path.Combine(folder, RunFolder.MetricsFile)).Entries };

        var path = RunReportWriter.Write(fromLog, folder);

        var markdown = File.ReadAllText(path);
        foreach (var figure in new[] { "accuracy.png", "loss.png", "confusion.png", "alpha-epoch-30.png", "relabel.png", "schedule.png" })
        {
            StringAssert.Contains(markdown, "](plots/" + figure + ")");
            Assert.IsTrue(File.Exists(Path.Combine(folder, "plots", figure)), figure);
        }
        StringAssert.Contains(markdown, "[metrics.jsonl](metrics.jsonl)");
    }
}
