using Spectre.Console;
using UlcAg.Training.Metrics;
using UlcAg.Training.Progress;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ProgressTests
{
    private static readonly Dictionary<string, double> Losses = new() { ["au"] = 0.5, ["wce"] = 1.25, ["total"] = 1.5 };

    private static EpochMetrics Summary() => new()
    {
        Epoch = 3,
        Seconds = 61.25,
        Losses = new Dictionary<string, double> { ["au"] = 0.5136, ["total"] = 1.1452, ["wce"] = 1.1981, ["rr"] = 0.0652 },
        TrainAccuracy = 0.85556,
        ValAccuracy = 0.8415,
        ValMeanClassAccuracy = 0.7515,
        Relabel = RelabelAudit.Compute([0, 1, 1, 2], [0, 1, 1, 2], [0, 0, 1, 1], [0, 0, 1, 2]),
        AlphaAuc = 0.87,
        ImagesPerSecond = 188.44,
    };

    [TestMethod]
    public void EpochLineStatesWhatTheEpochMeasured()
    {
        Assert.AreEqual(
            "epoch 3/30 done in 1:01  loss total 1.1452 (wce 1.1981 rr 0.0652 au 0.5136)  train 85.56%  val 84.15% (mean class 75.15%)  relabeled 2 (precision 50.0%, recall 100.0%)  alpha AUC 0.870  188.4 img/s",
            ProgressText.EpochLine(Summary(), 30));
        Assert.AreEqual("epoch 7 done", ProgressText.EpochLine(new EpochMetrics { Epoch = 7 }));
    }

    [TestMethod]
    public void DurationsReadAsClockTimes()
    {
        Assert.AreEqual("0:05", ProgressText.Duration(TimeSpan.FromSeconds(4.6)));
        Assert.AreEqual("2:03", ProgressText.Duration(TimeSpan.FromSeconds(123)));
        Assert.AreEqual("1:00:01", ProgressText.Duration(TimeSpan.FromSeconds(3601)));
    }

    [TestMethod]
    public void PlainReporterWritesEpochLinesAndRareStepLines()
    {
        var clock = new ProgressFakeClock();
        var output = new StringWriter();
        using var reporter = new PlainProgressReporter(output, TimeSpan.FromSeconds(30), clock);
        var timer = new StepTimer(clock);
        var start = new EpochStart(3, 30, 4, 64);

        reporter.EpochStarted(start);
        timer.Start(start);
        clock.Advance(20);
        reporter.StepCompleted(timer.Step(Losses));   // 20 s after the last line: quiet
        clock.Advance(16);
        reporter.StepCompleted(timer.Step(Losses));   // 36 s: a step line
        clock.Advance(16);
        reporter.StepCompleted(timer.Step(Losses));   // 16 s after it: quiet
        clock.Advance(40);
        reporter.StepCompleted(timer.Step(Losses));   // the last step: left to the summary
        clock.Advance(9);
        reporter.Message("checkpoint written");
        reporter.EpochCompleted(Summary());
        reporter.Message("loss is rising", ProgressMessageKind.Warning);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(5, lines);
        Assert.AreEqual("[10:00:00] epoch 3/30: 4 steps of 64 images", lines[0]);
        StringAssert.StartsWith(lines[1], "[10:00:36]   epoch 3/30  step 2/4 (50%)  ");
        StringAssert.EndsWith(lines[1], "loss total 1.5000 wce 1.2500 au 0.5000");
        Assert.AreEqual("[10:01:41] checkpoint written", lines[2]);
        StringAssert.StartsWith(lines[3], "[10:01:41] epoch 3/30 done in 1:01  loss total 1.1452");
        Assert.AreEqual("[10:01:41] warning: loss is rising", lines[4]);
    }

    [TestMethod]
    public void StepTimerMeasuresThroughputAndTimeLeft()
    {
        var clock = new ProgressFakeClock();
        var timer = new StepTimer(clock);
        timer.Start(new EpochStart(1, 2, 10, 64));
        StepProgress step = null!;
        for (var i = 0; i < 4; i++)
        {
            clock.Advance(2);
            step = timer.Step(Losses);
        }
        Assert.AreEqual(4, step.Step);
        Assert.AreEqual(0.4, step.Fraction, 1e-12);
        Assert.AreEqual(32.0, step.ImagesPerSecond!.Value, 1e-9);
        Assert.AreEqual(12.0, step.Remaining!.Value.TotalSeconds, 1e-6);
        Assert.AreEqual(1.5, step.Losses["total"], 1e-12);
    }

    [TestMethod]
    public void StepTimerForgetsASlowFirstStep()
    {
        var clock = new ProgressFakeClock();
        var timer = new StepTimer(clock);
        timer.Start(new EpochStart(1, 2, 100, 64));
        clock.Advance(30);
        var first = timer.Step(Losses);
        Assert.AreEqual(64 / 30.0, first.ImagesPerSecond!.Value, 1e-9);
        StepProgress later = first;
        for (var i = 0; i < 60; i++)
        {
            clock.Advance(1);
            later = timer.Step(Losses);
        }
        Assert.AreEqual(64.0, later.ImagesPerSecond!.Value, 1.0);
        Assert.ThrowsExactly<InvalidOperationException>(() => new StepTimer(clock).Step(Losses));
    }

    [TestMethod]
    public void AutoModeFollowsTheConsole()
    {
        var plain = Console(interactive: false);
        var terminal = Console(interactive: true);
        Assert.AreEqual(ProgressMode.Plain, ProgressReporters.Resolve(ProgressMode.Auto, plain.Console));
        Assert.AreEqual(ProgressMode.Live, ProgressReporters.Resolve(ProgressMode.Auto, terminal.Console));
        Assert.AreEqual(ProgressMode.Plain, ProgressReporters.Resolve(ProgressMode.Plain, terminal.Console));
        Assert.AreEqual(ProgressMode.Live, ProgressReporters.Resolve(ProgressMode.Live, plain.Console));
        using var quiet = ProgressReporters.Create(ProgressMode.Quiet);
        Assert.IsInstanceOfType<QuietProgressReporter>(quiet);
        using var lines = ProgressReporters.Create(ProgressMode.Auto, plain.Console, new StringWriter());
        Assert.IsInstanceOfType<PlainProgressReporter>(lines);
    }

    [TestMethod]
    public void LiveReporterLeavesOneSummaryLinePerEpoch()
    {
        var (console, output) = Console(interactive: true);
        using (var reporter = new LiveProgressReporter(console))
        {
            var timer = new StepTimer();
            for (var epoch = 1; epoch <= 2; epoch++)
            {
                var start = new EpochStart(epoch, 2, 3, 8);
                reporter.EpochStarted(start);
                timer.Start(start);
                for (var s = 0; s < 3; s++)
                    reporter.StepCompleted(timer.Step(Losses));
                reporter.Message($"note [{epoch}]");
                reporter.EpochCompleted(new EpochMetrics { Epoch = epoch, ValAccuracy = 0.5 });
            }
            reporter.EpochStarted(new EpochStart(3, 3, 3, 8));
        }
        var text = output.ToString();
        StringAssert.Contains(text, "epoch 1/2 done  val 50.00%");
        StringAssert.Contains(text, "epoch 2/2 done  val 50.00%");
        StringAssert.Contains(text, "note [2]");
        Assert.IsLessThan(text.IndexOf("epoch 2/2 done", StringComparison.Ordinal), text.IndexOf("epoch 1/2 done", StringComparison.Ordinal));
    }

    private static (IAnsiConsole Console, StringWriter Output) Console(bool interactive)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        return (console, output);
    }
}
