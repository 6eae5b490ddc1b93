namespace UlcAg.Train.Cli;

/// <summary>
/// Turns Ctrl-C into a cancellation token: the first press asks the trainer to stop cleanly (it saves a
/// checkpoint and returns); a second press ends the process at once.
/// </summary>
internal sealed class CtrlCStop : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly TextWriter _messages;

    public CtrlCStop(TextWriter messages)
    {
        _messages = messages;
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Cancelled at the first Ctrl-C.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
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
        _messages.WriteLine("Stopping after the current step (press Ctrl-C again to quit at once)...");
        _source.Cancel();
    }
}
