using System.Runtime.ExceptionServices;
using Spectre.Console;
using Spectre.Console.Rendering;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Progress;

/// <summary>
/// Progress on an interactive terminal: a live Spectre.Console bar for the current epoch (throughput, time
/// left, smoothed losses beside it) that gives way to the epoch's summary line when the epoch ends, so the
/// terminal keeps one line per finished epoch.
/// </summary>
/// <remarks>
/// Spectre's progress display owns the calling thread until it finishes, while the trainer pushes updates;
/// so each epoch's display runs on its own thread, which the trainer's calls feed and end.
/// </remarks>
public sealed class LiveProgressReporter : IProgressReporter
{
    private readonly IAnsiConsole _console;
    private readonly object _gate = new();
    private Thread? _thread;
    private ProgressTask? _task;
    private ManualResetEventSlim? _finish;
    private ExceptionDispatchInfo? _failure;
    private volatile string _stats = "";
    private int _totalEpochs;

    /// <summary>Shows progress on <paramref name="console"/>.</summary>
    public LiveProgressReporter(IAnsiConsole console) => _console = console;

    /// <inheritdoc/>
    public void EpochStarted(EpochStart start)
    {
        lock (_gate)
        {
            StopDisplay();
            _totalEpochs = start.TotalEpochs;
            _stats = "";
            var ready = new ManualResetEventSlim();
            var finish = new ManualResetEventSlim();
            _finish = finish;
            _failure = null;
            _thread = new Thread(() =>
            {
                try
                {
                    _console.Progress()
                        .AutoClear(true)
                        .HideCompleted(false)
                        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = _console.Profile.Width < 120 ? 20 : 40 }, new PercentageColumn(), new StatsColumn(this))
                        .Start(context =>
                        {
                            _task = context.AddTask(Markup.Escape($"epoch {start.Epoch}/{start.TotalEpochs}"), maxValue: Math.Max(1, start.Steps));
                            ready.Set();
                            finish.Wait();
                            context.Refresh();
                        });
                }
                catch (Exception e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    ready.Set();
                }
            })
            {
                IsBackground = true,
                Name = "progress display",
            };
            _thread.Start();
            ready.Wait();
            ready.Dispose();
            _failure?.Throw();
        }
    }

    /// <inheritdoc/>
    public void StepCompleted(StepProgress progress)
    {
        // Below 120 columns the loss terms would wrap the bar onto several lines.
        _stats = ProgressText.StepStats(progress, mainLossOnly: _console.Profile.Width < 120);
        if (_task is { } task)
            task.Value = progress.Step;
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochMetrics metrics)
    {
        lock (_gate)
        {
            StopDisplay();
            var line = ProgressText.EpochLine(metrics, _totalEpochs > 0 ? _totalEpochs : null);
            _console.MarkupLine(Markup.Escape(line));
        }
    }

    /// <inheritdoc/>
    public void Message(string text, ProgressMessageKind kind = ProgressMessageKind.Info)
    {
        // Spectre draws other output above a running progress display.
        var escaped = Markup.Escape(text);
        _console.MarkupLine(kind == ProgressMessageKind.Warning ? $"[yellow]warning:[/] {escaped}" : escaped);
    }

    /// <summary>Ends a running display.</summary>
    public void Dispose()
    {
        lock (_gate)
            StopDisplay();
    }

    private void StopDisplay()
    {
        if (_thread is null)
            return;
        if (_task is { } task)
            task.Value = task.MaxValue;
        _finish!.Set();
        _thread.Join();
        _finish.Dispose();
        _thread = null;
        _task = null;
        _finish = null;
        _failure?.Throw();
    }

    /// <summary>Throughput, time left and losses of the latest step, beside the bar.</summary>
    private sealed class StatsColumn(LiveProgressReporter owner) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(owner._stats, new Style(Color.Grey));
    }
}
