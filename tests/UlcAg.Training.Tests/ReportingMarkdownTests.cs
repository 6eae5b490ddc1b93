using UlcAg.Training.Metrics;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ReportingMarkdownTests
{
    private static readonly string[] Classes = ["Happy", "Sad|Low", "Fear"];

    // Test rows: Happy 4 of 5 right, Sad|Low 2 of 4, Fear 1 of 1 -> accuracy 7/10, mean class (0.8+0.5+1)/3.
    private static readonly int[,] TestCounts = { { 4, 1, 0 }, { 2, 2, 0 }, { 0, 0, 1 } };

    private static RunReport Report(string folder) => new()
    {
        Method = "ULC-AG",
        Dataset = "Synthetic faces",
        Noise = "20% symmetric",
        ClassNames = Classes,
        Test = new ConfusionMatrix(TestCounts),
        Epochs =
        [
            new EpochMetrics { Epoch = 1, Losses = new Dictionary<string, double> { ["total"] = 2.5, ["wce"] = 2 }, ValAccuracy = 0.5, LearningRates = new Dictionary<string, double> { ["backbone"] = 0.01 }, Seconds = 30 },
            new EpochMetrics { Epoch = 2, Losses = new Dictionary<string, double> { ["total"] = 1.5, ["wce"] = 1 }, ValAccuracy = 0.75, ValMeanClassAccuracy = 0.6, LearningRates = new Dictionary<string, double> { ["backbone"] = 0.001 }, Seconds = 31.5,
                Relabel = RelabelAudit.Compute([0, 1, 1, 2], [0, 1, 1, 2], [0, 0, 1, 1], [0, 0, 1, 2]) },
            new EpochMetrics { Epoch = 3, Losses = new Dictionary<string, double> { ["total"] = 1.25, ["wce"] = 0.75 }, ValAccuracy = 0.7, LearningRates = new Dictionary<string, double> { ["backbone"] = 0.0001 }, Seconds = 29 },
        ],
        Files = [new("metrics", Path.Combine(folder, "metrics.jsonl")), new("weights", "/elsewhere/resnet18.onnx")],
        Settings = [new("Batch size", "32")],
    };

    [TestMethod]
    public void SummaryStatesTheRunsNumbers()
    {
        var text = RunReportMarkdown.Build(Report("/runs/a"), [], "/runs/a");
        StringAssert.StartsWith(text, "# ULC-AG on Synthetic faces, 20% symmetric label noise\n");
        StringAssert.Contains(text, "| Final test accuracy | 70.00% |");
        StringAssert.Contains(text, "| Final test mean class accuracy | 76.67% |");
        StringAssert.Contains(text, "| Test samples | 10 |");
        StringAssert.Contains(text, "| Best validation epoch | 2 (75.00%, mean class 60.00%) |");
        StringAssert.Contains(text, "| Relabel precision (all changes) | 50.00% |");
        StringAssert.Contains(text, "| Relabel recall (noisy labels fixed) | 100.00% (1 of 1) |");
        StringAssert.Contains(text, "| Clean labels broken | 1 |");
        StringAssert.Contains(text, "| Noise rate: start -> end | 25.00% -> 25.00% |");
        StringAssert.Contains(text, "| Training time | 1 min 30 s |");
        StringAssert.Contains(text, "| Batch size | 32 |");
    }

    [TestMethod]
    public void PerClassTableNamesEveryClass()
    {
        var text = RunReportMarkdown.Build(Report("/runs/a"), []);
        StringAssert.Contains(text, "| Class | Samples | Times predicted | Accuracy (recall) | Precision | Most often mistaken for |");
        StringAssert.Contains(text, "| Happy | 5 | 6 | 80.00% | 66.67% | Sad\\|Low (20.0%) |");
        StringAssert.Contains(text, "| Sad\\|Low | 4 | 3 | 50.00% | 66.67% | Happy (50.0%) |");
        StringAssert.Contains(text, "| Fear | 1 | 1 | 100.00% | 100.00% | - |");
    }

    [TestMethod]
    public void CorrectionTableCountsFixesAndBreakagesPerClass()
    {
        // 6 samples. Clean: 0 0 1 1 2 2. Given: 1 0 1 0 2 2 (samples 0 and 3 wrong). Final: 0 0 1 1 0 2:
        // both wrong labels corrected, and sample 4's clean Fear label broken to Happy.
        var report = Report("/runs/a") with
        {
            Labels = new TrainingLabels([1, 0, 1, 0, 2, 2], [0, 0, 1, 1, 0, 2], [0, 0, 1, 1, 2, 2]),
            Epochs = [new EpochMetrics { Epoch = 1, EstimatedNoise = 0.3 }],
        };
        var text = RunReportMarkdown.Build(report, []);
        StringAssert.Contains(text, "| Class | Truly of the class | Wrongly labelled as it | Of those corrected | Changed to it | Precision of changes to it | Its clean labels broken |");
        StringAssert.Contains(text, "| Happy | 2 | 1 | 1 | 2 | 50.00% | 0 |");
        StringAssert.Contains(text, "| Sad\\|Low | 2 | 1 | 1 | 1 | 100.00% | 0 |");
        StringAssert.Contains(text, "| Fear | 2 | 0 | 0 | 0 |  | 1 |");
        StringAssert.Contains(text, "| Estimated share of wrong labels (robust correction) | 30.00% (epoch 1) |");
        Assert.DoesNotContain("Label correction per class", RunReportMarkdown.Build(Report("/runs/a"), []));
    }

    [TestMethod]
    public void EpochTableHasOnlyColumnsWithValues()
    {
        var text = RunReportMarkdown.Build(Report("/runs/a"), []);
        StringAssert.Contains(text, "| Epoch | lr backbone | loss total | loss wce | val acc | val mean class acc | relabeled | relabel precision | relabel recall | noisy still wrong | seconds |");
        StringAssert.Contains(text, "| 1 | 0.01 | 2.5000 | 2.0000 | 50.00% |  |  |  |  |  | 30.0 |");
        StringAssert.Contains(text, "| 2 | 0.001 | 1.5000 | 1.0000 | **75.00%** | 60.00% | 2 | 50.0% | 100.0% | 0.0% | 31.5 |");
        StringAssert.Contains(text, "| 3 | 0.0001 | 1.2500 | 0.7500 | 70.00% |");
        Assert.IsFalse(text.Contains("alpha AUC"));
        Assert.IsFalse(text.Contains("lambda1"));
    }

    [TestMethod]
    public void FiguresAndFilesAreLinkedRelatively()
    {
        ReportFigure[] figures = [new("Accuracy", "plots/accuracy.png", "Read it."), new("Loss terms", "plots/loss terms.png", "")];
        var text = RunReportMarkdown.Build(Report("/runs/a"), figures, "/runs/a");
        StringAssert.Contains(text, "## Accuracy\n\n![Accuracy](plots/accuracy.png)\n\nRead it.\n");
        StringAssert.Contains(text, "![Loss terms](plots/loss%20terms.png)");
        StringAssert.Contains(text, "- metrics: [metrics.jsonl](metrics.jsonl)");
        StringAssert.Contains(text, "- weights: [/elsewhere/resnet18.onnx](/elsewhere/resnet18.onnx)");
    }

    [TestMethod]
    public void RunWithoutTestOrRelabelingStillReports()
    {
        var report = Report("/runs/a") with { Test = null, Noise = null, Epochs = [new EpochMetrics { Epoch = 1 }] };
        var text = RunReportMarkdown.Build(report, []);
        StringAssert.StartsWith(text, "# ULC-AG on Synthetic faces\n");
        StringAssert.Contains(text, "| Label noise | none added |");
        Assert.IsFalse(text.Contains("Final test"));
        Assert.IsFalse(text.Contains("Per-class"));
        Assert.IsFalse(text.Contains("Relabel precision"));
    }

    [TestMethod]
    public void MismatchedClassNamesAreRefused()
    {
        var report = Report("/runs/a") with { ClassNames = ["A", "B"] };
        var e = Assert.ThrowsExactly<ArgumentException>(() => RunReportMarkdown.Build(report, []));
        StringAssert.Contains(e.Message, "3 classes but the report names 2");
    }

    [TestMethod]
    public void WriterRendersOnlyChartsWithData()
    {
        using var scratch = new ReportingScratch();
        var baseline = Report(scratch.Path) with { Method = "cross-entropy baseline" };
        var path = RunReportWriter.Write(baseline, scratch.Path);
        Assert.AreEqual(Path.Combine(scratch.Path, "report.md"), path);
        var written = Directory.GetFiles(Path.Combine(scratch.Path, "plots")).Select(Path.GetFileName).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "accuracy.png", "confusion.png", "loss.png", "relabel.png", "schedule.png" }, written);
        var text = File.ReadAllText(path);
        StringAssert.Contains(text, "![Confusion matrix (test)](plots/confusion.png)");
        Assert.IsFalse(text.Contains("alpha-epoch"));
        Assert.IsEmpty(Directory.GetFiles(scratch.Path, "*.tmp", SearchOption.AllDirectories));
    }
}
