using System.Runtime.InteropServices;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM (sent by <c>kill</c>, job schedulers and container runtimes before
/// they force a stop) into a cancellation token: the first signal asks the trainer to stop cleanly (it
/// saves a checkpoint and returns); a second Ctrl-C ends the process at once.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly TextWriter _messages;
    private readonly string _stopping;
    private readonly PosixSignalRegistration _terminate;

    /// <param name="messages">Where the "stopping" notice goes.</param>
    /// <param name="stopping">The notice, e.g. what is saved before the process ends.</param>
    public StopSignals(TextWriter messages, string stopping = "Stopping after the current step (press Ctrl-C again to quit at once)...")
    {
        _messages = messages;
        _stopping = stopping;
        Console.CancelKeyPress += OnCancelKeyPress;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
    }

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate.Dispose();
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested)
        {
            // Second press: let the runtime end the process.
            e.Cancel = false;
            return;
        }

        e.Cancel = true;
        RequestStop();
    }

    private void OnTerminate(PosixSignalContext context)
    {
        // Keep the process alive until the run has saved its checkpoint and returned.
        context.Cancel = true;
        if (!_source.IsCancellationRequested)
            RequestStop();
    }

    private void RequestStop()
    {
        _messages.WriteLine(_stopping);
        _source.Cancel();
    }
}
