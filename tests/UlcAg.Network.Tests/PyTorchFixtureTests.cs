using System.Text.Json;
using UlcAg.Network.Weights;
using UlcAg.Network.Weights.Torch;

namespace UlcAg.Network.Tests;

/// <summary>
/// Checkpoints saved by PyTorch 1.13 itself, in the zip and the legacy format, against the values
/// PyTorch reports for them (Fixtures/torch-checkpoints/README.md).
/// </summary>
[TestClass]
public sealed class PyTorchFixtureTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch-checkpoints");

    [TestMethod]
    [DataRow("state_dict_zip.pth")]
    [DataRow("state_dict_legacy.pth")]
    [DataRow("wrapped_zip.pth.tar")]
    [DataRow("wrapped_legacy.pth.tar")]
    public void EveryTensorMatchesPyTorch(string file)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        var reference = expected.RootElement.GetProperty("tensors");

        var contents = TorchCheckpoint.Read(Path.Combine(Folder, file));

        var tensors = contents.Tensors;
        CollectionAssert.AreEqual(reference.EnumerateObject().Select(t => t.Name).ToArray(), tensors.Names.ToArray());
        foreach (var tensor in reference.EnumerateObject())
        {
            var actual = tensors[tensor.Name];
            var shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var values = tensor.Value.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            CollectionAssert.AreEqual(shape, actual.Shape, $"{tensor.Name}: shape {HostTensor.FormatShape(actual.Shape)}");
            Assert.AreEqual(KindOf(tensor.Value.GetProperty("dtype").GetString()), actual.Kind, tensor.Name);
            CollectionAssert.AreEqual(values, actual.Data, $"{tensor.Name}: values");
        }
    }

    [TestMethod]
    [DataRow("state_dict_zip.pth")]
    [DataRow("state_dict_legacy.pth")]
    public void BareStateDictHasNoNotes(string file)
    {
        var contents = TorchCheckpoint.Read(Path.Combine(Folder, file));

        Assert.IsNull(contents.WrapperKey);
        Assert.IsEmpty(contents.Notes);
    }

    [TestMethod]
    [DataRow("wrapped_zip.pth.tar")]
    [DataRow("wrapped_legacy.pth.tar")]
    public void WrappedStateDictIsFoundAndItsPrefixRemoved(string file)
    {
        var contents = WeightFiles.Read(Path.Combine(Folder, file), out var notes);

        Assert.AreEqual(10, contents.Count);
        var all = string.Join("\n", notes);
        CollectionAssert.AreEqual(
            new[]
            {
                "Ignored top-level entry 'arch' (str).",
                "Ignored top-level entry 'best_prec1' (float).",
                "Ignored top-level entry 'epoch' (int).",
                "Ignored top-level entry 'optimizer' (dict of 2 entries).",
                "Removed the 'module.' prefix (nn.DataParallel) from 10 keys.",
            },
            notes.ToArray(),
            all);
    }

    // The reader keeps floating-point tensors as float32 and integer ones as int64 values.
    private static TensorKind KindOf(string? dtype) => dtype switch
    {
        "float32" or "float16" or "float64" => TensorKind.Float32,
        "int64" => TensorKind.Int64,
        _ => throw new AssertFailedException($"expected.json has dtype '{dtype}', which this test does not know."),
    };
}
