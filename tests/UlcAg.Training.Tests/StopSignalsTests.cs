using System.Diagnostics;
using UlcAg.Training.Trainer;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class StopSignalsTests
{
    [TestMethod]
    public void SigtermCancelsTheTokenAndKeepsTheProcessAlive()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            Assert.Inconclusive("POSIX signals only");

        var messages = new StringWriter();
        using var stop = new StopSignals(messages, "stopping now");
        Assert.IsFalse(stop.Token.IsCancellationRequested);

        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {Environment.ProcessId}") { UseShellExecute = false }))
            kill!.WaitForExit();

        Assert.IsTrue(stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "SIGTERM did not cancel the token");
        Assert.AreEqual("stopping now", messages.ToString().Trim());
    }
}
