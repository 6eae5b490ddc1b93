namespace UlcAg.Training.Trainer;

/// <summary>
/// Marks a run folder as in use by a live run: an exclusive OS lock on its <c>run.lock</c> file, held
/// until the run ends. The operating system releases it when the process dies, however it dies, so a
/// killed run never leaves its folder locked; the file itself stays and means nothing unlocked.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="folder"/> (creating the folder).</summary>
    /// <exception cref="RunFolderBusyException">Another process (or another run in this one) holds it.</exception>
    public static RunLock Acquire(RunFolder folder)
    {
        Directory.CreateDirectory(folder.Root);
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix and a sharing lock on Windows.
            return new RunLock(new FileStream(folder.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RunFolderBusyException(
                $"'{folder.Root}' is in use by another training run (cannot lock {RunFolder.LockFile}: {e.Message}); " +
                "wait for it to end, or choose another run_name (--set run_name=NAME)");
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>The run folder is taken: it holds an earlier run, or a live run holds its lock (<see cref="Config.TrainExitCodes.RunFolderBusy"/>).</summary>
public sealed class RunFolderBusyException(string message) : Exception(message);
