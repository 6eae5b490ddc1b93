using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class ProcessMemoryTests
{
    private static readonly string[] Status =
    [
        "Name:\tdotnet",
        "VmPeak:\t12000000 kB",
        "VmHWM:\t    1234 kB",
        "VmRSS:\t  987654 kB",
    ];

    [TestMethod]
    public void ReadsPaddedValues() => Assert.AreEqual(1234L, ProcessMemory.StatusKiB(Status, "VmHWM"));

    [TestMethod]
    public void ReadsValuesWithNoSpaceAfterTheTab()
    {
        // From 10 GB on the kernel writes eight or more digits right after the tab.
        Assert.AreEqual(12345678L, ProcessMemory.StatusKiB(["VmHWM:\t12345678 kB"], "VmHWM"));
        Assert.AreEqual(123456789012L, ProcessMemory.StatusKiB(["VmRSS:\t123456789012 kB"], "VmRSS"));
    }

    [TestMethod]
    public void MatchesTheWholeKey()
    {
        Assert.AreEqual(12000000L, ProcessMemory.StatusKiB(Status, "VmPeak"));
        Assert.IsNull(ProcessMemory.StatusKiB(Status, "VmHW"));
        Assert.IsNull(ProcessMemory.StatusKiB(Status, "VmSwap"));
    }

    [TestMethod]
    public void RejectsMalformedLines()
    {
        Assert.ThrowsExactly<FormatException>(() => ProcessMemory.StatusKiB(["VmHWM:\t12 MB"], "VmHWM"));
        Assert.ThrowsExactly<FormatException>(() => ProcessMemory.StatusKiB(["VmHWM:\tkB"], "VmHWM"));
    }

    [TestMethod]
    public void ThisProcessHasAPeakAtLeastItsResidentMemory()
    {
        if (!File.Exists("/proc/self/status")) Assert.Inconclusive("no /proc/self/status on this system");
        var resident = ProcessMemory.ResidentMiB();
        var peak = ProcessMemory.PeakResidentMiB();
        Assert.IsTrue(resident > 1 && peak >= resident, $"resident {resident} MiB, peak {peak} MiB");
    }
}
