using UlcAg.Network.Tests.Fixtures;
using UlcAg.Network.Weights;
using UlcAg.Network.Weights.Torch;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class TorchCheckpointTests
{
    [TestMethod]
    public void StateDictCheckpointLoadsWithValuesStridesAndPrefixesResolved()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("model_best.pth.tar", TorchFixtures.StateDictCheckpoint());

        var contents = TorchCheckpoint.Read(path);

        Assert.AreEqual("state_dict", contents.WrapperKey);
        var tensors = contents.Tensors;
        CollectionAssert.AreEqual(
            new[] { "conv.weight", "bn.num_batches_tracked", "view", "half", "shared_row" }, tensors.Names.ToArray());
        AssertTensor(tensors["conv.weight"], [2, 3], [1.5f, -2f, 3.25f, 4f, 5f, 6f], TensorKind.Float32);
        AssertTensor(tensors["bn.num_batches_tracked"], [], [7f], TensorKind.Int64);

        // base.t()[1:3, 2:5] of arange(24).reshape(4, 6): element (i, j) = base[2 + j, 1 + i].
        AssertTensor(tensors["view"], [2, 2], [13f, 19f, 14f, 20f], TensorKind.Float32);
        AssertTensor(tensors["half"], [3], [0.5f, -1.25f, 2048f], TensorKind.Float32);
        AssertTensor(tensors["shared_row"], [3], [6f, 8f, 10f], TensorKind.Float32);

        Assert.IsTrue(contents.Notes.Any(n => n.Contains("'epoch' (int)")), string.Join("\n", contents.Notes));
        Assert.IsTrue(contents.Notes.Any(n => n.Contains("'module.'") && n.Contains("5 keys")), string.Join("\n", contents.Notes));
    }

    [TestMethod]
    public void ObjectOfAnotherClassOutsideTheStateDictIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("with_args.pth.tar", TorchFixtures.StateDictCheckpoint(withNamespace: true));

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "'argparse.Namespace'");
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "not allowed");
    }

    [TestMethod]
    public void ArchiveFolderNameDoesNotMatter()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("x.pth", TorchFixtures.StateDictCheckpoint(folder: "resnet18_msceleb"));

        Assert.AreEqual(5, TorchCheckpoint.Read(path).Tensors.Count);
    }

    [TestMethod]
    public void UntypedStorageWithExplicitDtypeIsReadAsFloats()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("v3.pt", TorchFixtures.UntypedStorageCheckpoint());

        var contents = TorchCheckpoint.Read(path);

        Assert.IsNull(contents.WrapperKey);
        AssertTensor(contents.Tensors["w"], [3], [10f, 11f, 12f], TensorKind.Float32);
    }

    [TestMethod]
    public void UnsupportedGlobalInStateDictIsNamed()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("numpy.pth", TorchFixtures.StateDictWithGlobal("numpy.core.multiarray", "_reconstruct"));

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "'numpy.core.multiarray._reconstruct'");
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void PickledModuleUnderModelKeyAsksForStateDict()
    {
        using var dir = new TempDirectory();
        var p = new PickleWriter().Proto().EmptyDict().String("model")
            .Global("torchvision.models.resnet", "ResNet").EmptyTuple().NewObj()
            .EmptyDict().String("training").False().SetItem().Build();
        var bytes = new TorchZipWriter().Add("archive/data.pkl", p.SetItem().Stop().ToArray()).Finish();
        var path = dir.Write("whole_model.pth", bytes);

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "torchvision.models.resnet.ResNet");
        StringAssert.Contains(error.Message, "state_dict()");
    }

    [TestMethod]
    public void NetWrapperIsUnwrapped()
    {
        using var dir = new TempDirectory();
        var p = new PickleWriter().Proto().EmptyDict().Mark().String("best_acc").Float(0.875).String("net")
            .Global("collections", "OrderedDict").EmptyTuple().Reduce().String("fc.bias");
        TorchFixtures.Tensor(p, "DoubleStorage", "0", 2, 0, [2], [1]);
        p.SetItem().SetItems();
        var bytes = new TorchZipWriter()
            .Add("archive/data.pkl", p.Stop().ToArray())
            .Add("archive/data/0", [.. BitConverter.GetBytes(0.25), .. BitConverter.GetBytes(-4.0)])
            .Finish();
        var path = dir.Write("net.pth", bytes);

        var contents = TorchCheckpoint.Read(path);

        Assert.AreEqual("net", contents.WrapperKey);
        AssertTensor(contents.Tensors["fc.bias"], [2], [0.25f, -4f], TensorKind.Float32);
        Assert.IsTrue(contents.Notes.Any(n => n.Contains("'best_acc' (float)")), string.Join("\n", contents.Notes));
    }

    [TestMethod]
    public void LegacyCheckpointIsRead()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("old.pth", TorchFixtures.LegacyCheckpoint());

        var contents = TorchCheckpoint.Read(path);

        Assert.AreEqual("state_dict", contents.WrapperKey);
        var tensors = contents.Tensors;
        CollectionAssert.AreEqual(new[] { "w", "t", "slice", "n", "h" }, tensors.Names.ToArray());
        AssertTensor(tensors["w"], [2, 3], [1f, 2f, 3f, 4f, 5f, 6f], TensorKind.Float32);
        AssertTensor(tensors["t"], [3, 2], [1f, 4f, 2f, 5f, 3f, 6f], TensorKind.Float32);

        // Elements 1 and 2 of the view that starts at element 2 of the storage.
        AssertTensor(tensors["slice"], [2], [4f, 5f], TensorKind.Float32);
        AssertTensor(tensors["n"], [], [42f], TensorKind.Int64);
        AssertTensor(tensors["h"], [2], [0.5f, -2f], TensorKind.Float32);
        Assert.IsTrue(contents.Notes.Any(n => n.Contains("'epoch' (int)")), string.Join("\n", contents.Notes));
        Assert.IsTrue(contents.Notes.Any(n => n.Contains("'module.'") && n.Contains("5 keys")), string.Join("\n", contents.Notes));
    }

    [TestMethod]
    public void LegacyCheckpointSavedFromTheGpuIsRead()
    {
        using var dir = new TempDirectory();
        var p = new PickleWriter().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().String("module.fc.bias");
        TorchFixtures.Tensor(p, "cuda.FloatStorage", "94315", 2, 0, [2], [1], legacy: true);
        var pickle = p.SetItem().Stop().ToArray();
        var path = dir.Write("gpu.pth", TorchFixtures.LegacyFile(pickle, ["94315"], [.. TorchFixtures.Longs(2), .. TorchFixtures.Floats(0.25f, -8f)]));

        var contents = TorchCheckpoint.Read(path);

        AssertTensor(contents.Tensors["fc.bias"], [2], [0.25f, -8f], TensorKind.Float32);
    }

    [TestMethod]
    public void TruncatedLegacyDataIsNamed()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("cut.pth", TorchFixtures.LegacyCheckpoint(cutData: 3));

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "storage '140004'");
        StringAssert.Contains(error.Message, "truncated");
    }

    [TestMethod]
    public void LegacyTarCheckpointAsksToResave()
    {
        using var dir = new TempDirectory();
        var tar = new byte[1024];
        "ustar"u8.CopyTo(tar.AsSpan(257));
        var path = dir.Write("older.pth.tar", tar);

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "torch >= 1.6");
    }

    [TestMethod]
    public void NonCheckpointFileIsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("notes.pth", "hello world"u8.ToArray());

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "not a PyTorch checkpoint");
    }

    [TestMethod]
    public void TruncatedPickleReportsByteOffset()
    {
        using var dir = new TempDirectory();
        var whole = new PickleWriter().Proto().EmptyDict().String("key").ToArray();
        var bytes = new TorchZipWriter().Add("archive/data.pkl", whole).Add("archive/version", "3\n"u8.ToArray()).Finish();
        var path = dir.Write("cut.pth", bytes);

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "archive/data.pkl");
        StringAssert.Contains(error.Message, "ends before its STOP");
    }

    [TestMethod]
    public void MissingStorageEntryIsNamed()
    {
        using var dir = new TempDirectory();
        var p = new PickleWriter().Proto().EmptyDict().String("w");
        TorchFixtures.Tensor(p, "FloatStorage", "7", 2, 0, [2], [1]);
        var bytes = new TorchZipWriter().Add("archive/data.pkl", p.SetItem().Stop().ToArray()).Finish();
        var path = dir.Write("nostorage.pth", bytes);

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "archive/data/7");
    }

    [TestMethod]
    public void ViewPastTheStorageEndIsRejected()
    {
        using var dir = new TempDirectory();
        var p = new PickleWriter().Proto().EmptyDict().String("w");
        TorchFixtures.Tensor(p, "FloatStorage", "0", 4, 2, [3], [1]);
        var bytes = new TorchZipWriter()
            .Add("archive/data.pkl", p.SetItem().Stop().ToArray())
            .Add("archive/data/0", TorchFixtures.Floats(1, 2, 3, 4))
            .Finish();
        var path = dir.Write("overrun.pth", bytes);

        var error = Assert.ThrowsExactly<WeightsException>(() => TorchCheckpoint.Read(path));

        StringAssert.Contains(error.Message, "storage '0'");
    }

    [TestMethod]
    public void WeightFilesTellFormatsApartByContent()
    {
        using var dir = new TempDirectory();
        var torchPath = dir.Write("weights.bin", TorchFixtures.StateDictCheckpoint());
        var fromTorch = WeightFiles.Read(torchPath, out var notes);
        var safePath = dir.File("weights.pth");
        SafeTensorsFile.Write(safePath, fromTorch);

        var fromSafe = WeightFiles.Read(safePath, out var safeNotes);

        Assert.IsNotEmpty(notes);
        Assert.IsEmpty(safeNotes);
        CollectionAssert.AreEqual(fromTorch.Names.ToArray(), fromSafe.Names.ToArray());
        CollectionAssert.AreEqual(fromTorch["view"].Data, fromSafe["view"].Data);
        Assert.AreEqual(TensorKind.Int64, fromSafe["bn.num_batches_tracked"].Kind);
    }

    private static void AssertTensor(HostTensor tensor, long[] shape, float[] values, TensorKind kind)
    {
        CollectionAssert.AreEqual(shape, tensor.Shape, $"shape {HostTensor.FormatShape(tensor.Shape)}");
        CollectionAssert.AreEqual(values, tensor.Data);
        Assert.AreEqual(kind, tensor.Kind);
    }
}
