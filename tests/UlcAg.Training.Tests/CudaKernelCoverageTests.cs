using Onnx;
using UlcAg.Graph;
using UlcAg.Network.Models;
using UlcAg.Tools.TrainBench;
using UlcAg.Training.Tests.Cuda;
using Kind = UlcAg.Training.Tests.Cuda.CudaPlacement.FallbackKind;

namespace UlcAg.Training.Tests;

/// <summary>
/// Every node of every graph a run on <c>--device cuda</c> hands to ONNX Runtime has a CUDA kernel
/// for its op, opset and element types (ONNX Runtime's documented kernel table,
/// tests/fixtures/onnxruntime/cuda-kernels.tsv), so that nothing falls back to the CPU node by node.
/// No GPU is needed: the graphs are built in memory exactly as the trainer builds them for CUDA.
/// </summary>
[TestClass]
public sealed class CudaKernelCoverageTests
{
    private static readonly string[] MethodOverlays = ["", "baseline", "scn", "target-only", "aux-only", "random-edges"];

    /// <summary>
    /// Nodes that may run on the CPU under the CUDA provider, by graph-independent node name. Empty:
    /// the compiler emits static shapes, so no shape computation (which ONNX Runtime would keep on
    /// the CPU on purpose) exists in any graph. A node added here must say why.
    /// </summary>
    private static readonly HashSet<string> AllowedOnCpu = [];

    private static CudaKernelTable Table => CudaKernelTable.Load();

    [TestMethod]
    [DataRow("tables-synthetic", 0, DisplayName = "tables-synthetic preset (48 px)")]
    [DataRow("demo", 0, DisplayName = "demo preset (64 px)")]
    [DataRow("demo", 112, DisplayName = "demo preset at 112 px")]
    [DataRow("rafdb", 0, DisplayName = "rafdb preset (224 px)")]
    public void EveryMethodsTrainingGraphsRunOnTheGpu(string preset, int inputSize)
    {
        using var files = new ConfigTestFiles();
        var graphs = new List<CudaGraphs.Graph>();
        foreach (var overlay in MethodOverlays)
        {
            var yaml = DataYaml(files, preset) + (inputSize > 0 ? $"data:\n  input_size: {inputSize}\n" : "");
            var (o, net) = CudaGraphs.Run(files, overlay.Length == 0 ? [preset] : [preset, overlay], yaml);
            Assert.AreEqual(ConvLowering.None, net.ConvLowering, "the CUDA device emits ONNX Conv");
            graphs.AddRange(CudaGraphs.Training($"{preset}/{net.Method.Name()}/{net.InputSize}px", o, net));
        }
        AssertAllOnGpu(graphs);
    }

    [TestMethod]
    public void UlcAgSwitchesAndOptimizersRunOnTheGpu()
    {
        string[] variants =
        [
            "model:\n  semantic_feature: node_features\n",
            "model:\n  alpha_through_au_loss: true\n  au_loss_alpha: true\n",
            "model:\n  gcn_self_weight: false\n",
            "model:\n  au_loss: forward\n",
            "train:\n  optimizer: adam\n",
            "train:\n  optimizer: adamw\n",
            "train:\n  micro_batch_size: 16\n",
            "train:\n  optimizer: adam\n  micro_batch_size: 32\n",
        ];
        using var files = new ConfigTestFiles();
        var graphs = new List<CudaGraphs.Graph>();
        foreach (var variant in variants)
        {
            var (o, net) = CudaGraphs.Run(files, ["demo"], "data:\n  input_size: 112\n" + variant);
            graphs.AddRange(CudaGraphs.Training($"ulcag with {variant.ReplaceLineEndings(" ").Trim()}", o, net));
        }
        AssertAllOnGpu(graphs);
    }

    [TestMethod]
    public void TheExportedModelRunsOnTheGpu()
    {
        using var files = new ConfigTestFiles();
        var graphs = new List<CudaGraphs.Graph>();
        foreach (var size in new[] { 112, 224 })
        {
            foreach (var overlay in new[] { "", "baseline" })
            {
                var (_, net) = CudaGraphs.Run(files, overlay.Length == 0 ? ["demo"] : ["demo", overlay], $"data:\n  input_size: {size}\n");
                graphs.Add(CudaGraphs.Export($"{net.Method.Name()}/{size}px", net, float32: false));
                graphs.Add(CudaGraphs.Export($"{net.Method.Name()}/{size}px", net, float32: true));
            }
        }
        AssertAllOnGpu(graphs);
    }

    [TestMethod]
    public void TheGpuBenchmarksTrainStepRunsOnTheGpu()
    {
        // tools/gpu-benchmark.sh measures TrainBench --device cuda at 112 and 224 px, batch 32 and 128.
        var options = BenchOptions.From(BenchOptions.Command().Parse(["--device", "cuda"]));
        Assert.AreEqual(ConvLowering.None, options.Lowering, "--device cuda emits ONNX Conv, as the trainer does there");
        var graphs = new List<CudaGraphs.Graph>();
        foreach (var (res, batch) in new[] { (112, 32), (224, 128) })
        {
            var model = ResNetGraphs.TrainStep(res, batch, options.Graph).Model;
            graphs.Add(new CudaGraphs.Graph($"TrainBench --device cuda: train step at {res} px, batch {batch}", ModelProto.Parser.ParseFrom(model)));
        }
        AssertAllOnGpu(graphs);
    }

    // The checker itself: each way a node can end up on the CPU is found.

    [TestMethod]
    public void AnOpWithoutCudaKernelIsNamed()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float, 4, 3);
        var labels = g.Input("labels", DType.Int64, 4);
        // The CPU-only loss that DESIGN.md rules out for the CUDA path.
        var loss = g.Op("SoftmaxCrossEntropyLoss", [x, labels], [(DType.Float, Shape.Scalar)], outputName: "loss").Outputs[0];
        g.Output(g.Relu(loss), "y");
        var f = Single(Analyze(g), Kind.NoKernel);
        StringAssert.Contains(f.Reason, "SoftmaxCrossEntropyLoss");
    }

    [TestMethod]
    public void AnElementTypeCudaLacksIsNamed()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Int64, 4, 3);
        // CUDA's ArgMax takes floating-point input only.
        g.Output(g.Op("ArgMax", [x], [(DType.Int64, new Shape(4))], new Dictionary<string, object> { ["axis"] = 1L, ["keepdims"] = 0L }).Outputs[0], "y");
        var f = Single(Analyze(g), Kind.NoKernel);
        StringAssert.Contains(f.Reason, "T = int64");
        Assert.AreEqual(0, Analyze(FloatArgMax()).Count, "the same op on float has a kernel");
    }

    [TestMethod]
    public void AnOpsetOutsideTheRegisteredRangesIsNamed()
    {
        var g = new GraphBuilder("t");
        g.Output(g.Relu(g.Input("x", DType.Float, 4)), "y");
        Assert.AreEqual(0, Analyze(g).Count);
        var f = Single(CudaPlacement.Analyze(g.ToModel(new OnnxExportOptions { Opset = 5 }), Table), Kind.NoKernel);
        StringAssert.Contains(f.Reason, "opset 5");
    }

    [TestMethod]
    public void AsymmetricConvTransposePadsAreNamed()
    {
        static GraphBuilder Graph(long[] pads)
        {
            var g = new GraphBuilder("t");
            var dy = g.Input("dy", DType.Float, 1, 2, 4, 4);
            var w = g.Input("w", DType.Float, 2, 3, 3, 3);
            g.Output(g.Op("ConvTranspose", [dy, w], [(DType.Float, new Shape(1, 3, 8, 8))],
                new Dictionary<string, object> { ["strides"] = new long[] { 2, 2 }, ["pads"] = pads, ["output_padding"] = new long[] { 1, 1 } }).Outputs[0], "dx");
            return g;
        }
        Assert.AreEqual(0, Analyze(Graph([1, 1, 1, 1])).Count);
        Single(Analyze(Graph([1, 1, 0, 0])), Kind.RejectedAttributes);
    }

    [TestMethod]
    public void ShapeComputationsAndHostReadsAreNamed()
    {
        // x -> Shape -> Gather(axis 0 of the shape) -> Concat -> Reshape(x, .): ONNX Runtime keeps
        // Gather and Concat on the CPU on purpose; they must be named, never passed silently.
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float, 4, 6);
        var shape = g.Op("Shape", [x], [(DType.Int64, new Shape(2))]).Outputs[0];
        var first = g.Op("Gather", [shape, g.Constant(TensorData.Of(new long[] { 0 }, 1))], [(DType.Int64, new Shape(1))], new Dictionary<string, object> { ["axis"] = 0L }).Outputs[0];
        var target = g.Op("Concat", [first, g.Constant(TensorData.Of(new long[] { -1 }, 1))], [(DType.Int64, new Shape(2))], new Dictionary<string, object> { ["axis"] = 0L }).Outputs[0];
        g.Output(g.Op("Reshape", [x, target], [(DType.Float, new Shape(4, 6))]).Outputs[0], "y");
        var findings = Analyze(g);
        CollectionAssert.AreEquivalent(new[] { "Gather", "Concat" }, findings.Select(f => f.Op).ToArray());
        Assert.IsTrue(findings.All(f => f.Kind == Kind.ShapeComputationOnCpu), string.Join("\n", findings));

        // A shape computed from float data on the GPU: Reshape must copy it to the host every run.
        var h = new GraphBuilder("t");
        var v = h.Input("v", DType.Float, 2);
        var dims = h.Cast(v, DType.Int64);
        h.Output(h.Op("Reshape", [h.Input("z", DType.Float, 4, 6), dims], [(DType.Float, new Shape(6, 4))]).Outputs[0], "y");
        var read = Single(Analyze(h), Kind.HostRead);
        StringAssert.Contains(read.Reason, "Cast");
    }

    [TestMethod]
    public void TheKernelTableReadsAsDocumented()
    {
        var table = Table;
        var conv = table.For("Conv", "ai.onnx");
        Assert.IsTrue(conv.Any(r => r.Covers(17) && r.Types["T"].Contains("float")));
        Assert.IsFalse(conv.Any(r => r.Covers(17) && r.Types["T"].Contains("int32")));
        Assert.AreEqual(0, table.For("SoftmaxCrossEntropyLoss", "ai.onnx").Count, "ONNX Runtime has no CUDA kernel for it");
        var reshape = table.For("Reshape", "ai.onnx").Single(r => r.Covers(17));
        Assert.AreEqual("14-18", reshape.Versions);
        CollectionAssert.AreEqual(new[] { 1 }, reshape.CpuInputs.ToArray());
        Assert.AreEqual("T", table.For("Concat", "ai.onnx")[0].Constraint(true, 7), "variadic inputs share T");
    }

    private static GraphBuilder FloatArgMax()
    {
        var g = new GraphBuilder("t");
        g.Output(g.Op("ArgMax", [g.Input("x", DType.Float, 4, 3)], [(DType.Int64, new Shape(4))], new Dictionary<string, object> { ["axis"] = 1L, ["keepdims"] = 0L }).Outputs[0], "y");
        return g;
    }

    private static IReadOnlyList<CudaPlacement.Finding> Analyze(GraphBuilder g) => CudaPlacement.Analyze(g.ToModel(), Table);

    private static CudaPlacement.Finding Single(IReadOnlyList<CudaPlacement.Finding> findings, Kind kind)
    {
        Assert.AreEqual(1, findings.Count, string.Join("\n", findings));
        Assert.AreEqual(kind, findings[0].Kind, findings[0].ToString());
        return findings[0];
    }

    private static string DataYaml(ConfigTestFiles files, string preset) => preset is "rafdb" or "affectnet"
        ? $"data:\n  root: {files.Folder("data")}\n  au:\n    path: {files.Folder("au")}\n"
        : "";

    private static void AssertAllOnGpu(List<CudaGraphs.Graph> graphs)
    {
        var table = Table;
        var problems = new List<string>();
        var nodes = 0;
        foreach (var graph in graphs)
        {
            nodes += graph.Model.Graph.Node.Count;
            foreach (var f in CudaPlacement.Analyze(graph.Model, table))
            {
                if (f.Kind == Kind.ShapeComputationOnCpu && AllowedOnCpu.Contains(f.Node)) continue;
                problems.Add($"{graph.Name}: {f}");
            }
        }
        Assert.IsTrue(nodes > 50 * graphs.Count, $"{graphs.Count} graphs hold only {nodes} nodes");
        Assert.AreEqual(0, problems.Count, $"{problems.Count} nodes would not run on the GPU:\n" + string.Join("\n", problems.Take(60)));
    }
}
