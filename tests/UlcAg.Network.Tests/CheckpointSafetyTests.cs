using System.Text;
using UlcAg.Network.Tests.Fixtures;
using UlcAg.Network.Weights;
using UlcAg.Network.Weights.Torch;

namespace UlcAg.Network.Tests;

/// <summary>
/// Checkpoints whose pickles name Python globals other than those of tensors and containers: in
/// Python, torch.load would import and call them. The reader refuses them, naming the file and
/// the global, and runs nothing.
/// </summary>
[TestClass]
public sealed class CheckpointSafetyTests
{
    [TestMethod]
    [DataRow("zip", "os", "system")]
    [DataRow("legacy", "os", "system")]
    [DataRow("zip", "posix", "system")]
    [DataRow("zip", "builtins", "eval")]
    [DataRow("legacy", "builtins", "exec")]
    [DataRow("zip", "subprocess", "call")]
    public void GlobalCalledWithACommandIsRefusedAndNothingRuns(string format, string module, string name)
    {
        using var dir = new TempDirectory();
        var marker = dir.File("ran");
        var command = name is "eval" or "exec" ? $"__import__('os').system('touch {marker}')" : $"touch {marker}";
        var path = Write(dir, format, p => p.Global(module, name).String(command).Tuple1().Reduce());

        AssertRefused(path, $"{module}.{name}");
        Assert.IsFalse(File.Exists(marker), "the pickled command ran");
    }

    [TestMethod]
    [DataRow("zip")]
    [DataRow("legacy")]
    public void GlobalLeftAsAValueIsRefused(string format)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, format, p => p.Global("os", "system"));

        AssertRefused(path, "os.system");
    }

    [TestMethod]
    public void GlobalPassedToAnAllowedOneIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "zip", p => p.Global("collections", "OrderedDict")
            .EmptyList().String("k").Global("os", "system").Tuple2().Append().Tuple1().Reduce());

        AssertRefused(path, "os.system");
    }

    [TestMethod]
    public void ObjectBuiltWithoutArgumentsIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "legacy", p => p.Global("torch.nn.modules.linear", "Linear").EmptyTuple().NewObj()
            .EmptyDict().String("in_features").Int(4).SetItem().Build());

        var message = AssertRefused(path, "torch.nn.modules.linear.Linear");

        StringAssert.Contains(message, "state_dict()");
    }

    [TestMethod]
    public void ExceptionClassIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "zip", p => p.Global("builtins", "ValueError").String("x").Tuple1().Reduce());

        AssertRefused(path, "builtins.ValueError");
    }

    [TestMethod]
    [DataRow("builtins", "set")]
    [DataRow("builtins", "bytearray")]
    [DataRow("datetime", "timedelta")]
    [DataRow("decimal", "Decimal")]
    public void GlobalThatThePickleLibraryKnowsIsRefused(string module, string name)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "zip", p => p.Global(module, name).EmptyList().Tuple1().Reduce());

        AssertRefused(path, $"{module}.{name}");
    }

    [TestMethod]
    public void ProtocolZeroInstanceIsRefused()
    {
        using var dir = new TempDirectory();
        var marker = dir.File("ran");

        // MARK, the argument, INST os system: protocol 0's way to call a class.
        var path = Write(dir, "zip", p => p.Mark().String($"touch {marker}").Raw(Encoding.ASCII.GetBytes("ios\nsystem\n")));

        AssertRefused(path, "os.system");
        Assert.IsFalse(File.Exists(marker), "the pickled command ran");
    }

    // Reading fails with a message that names the file and the global; returns the message.
    private static string AssertRefused(string path, string global)
    {
        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));
        StringAssert.Contains(error.Message, $"'{global}'");
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "not allowed");
        return error.Message;
    }

    // {'w': tensor([1.]), 'evil': <value>} as a zip or legacy checkpoint.
    private static string Write(TempDirectory dir, string format, Action<PickleWriter> value)
    {
        var legacy = format == "legacy";
        var p = new PickleWriter().Proto().EmptyDict().String("w");
        TorchFixtures.Tensor(p, "FloatStorage", "0", 1, 0, [1], [1], legacy);
        p.SetItem().String("evil");
        value(p);
        var pickle = p.SetItem().Stop().ToArray();
        var bytes = legacy
            ? TorchFixtures.LegacyFile(pickle, ["0"], [.. TorchFixtures.Longs(1), .. TorchFixtures.Floats(1f)])
            : new TorchZipWriter()
                .Add("archive/data.pkl", pickle)
                .Add("archive/data/0", TorchFixtures.Floats(1f))
                .Add("archive/version", "3\n"u8.ToArray())
                .Finish();
        return dir.Write(format + ".pth", bytes);
    }
}
