using UlcAg.Graph.Examples;
using UlcAg.Graph.Optim;
using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

/// <summary>Convolutions lowered to gathers and GEMMs (<see cref="ConvLowering.NhwcGemm"/>).</summary>
[TestClass]
public sealed class ConvGemmTests
{
    internal static float Small(Random r) => (float)(r.NextDouble() - 0.5);

    // The test maps are tiny: lower every convolution, whatever its number of positions.
    internal static GraphBuilder Lower(GraphBuilder g)
    {
        g.ConvLowering = ConvLowering.NhwcGemm;
        g.ConvLoweringMinPositions = 1;
        return g;
    }

    [TestMethod]
    public void DevicesPreferTheirLowering()
    {
        Assert.AreEqual(ConvLowering.NhwcGemm, Device.Cpu.PreferredConvLowering);
        Assert.AreEqual(ConvLowering.None, Device.Parse("cuda:1").PreferredConvLowering);
    }

    [TestMethod]
    public void SmallConvolutionsStayOnnxConv()
    {
        var g = new GraphBuilder { ConvLowering = ConvLowering.NhwcGemm };
        var x = g.Input("x", DType.Float, 2, 16, 8, 8);
        var w = g.Input("w", DType.Float, 16, 16, 3, 3);
        g.Output(g.Conv(g.Conv(x, w, null, 1, 1), w, null, 2, 1), "y");
        // 2 x 8 x 8 = 128 and 2 x 4 x 4 = 32 output positions, fewer than the default 256.
        CollectionAssert.AreEqual(new[] { "Conv", "Conv" }, g.ToModel().Graph.Node.Select(n => n.OpType).ToArray());
        g.ConvLoweringMinPositions = 100;
        Assert.IsNotNull(g.Conv(x, w, null, 1, 1).Producer!.Composite, "128 positions reach a threshold of 100");
        var single = g.Input("single", DType.Float, 1, 16, 16, 16);
        Assert.AreEqual("Conv", g.Conv(single, w, null, 1, 1).Producer!.OpType, "a single image stays ONNX Conv");
    }

    // The same cases as the ONNX Conv rule: ResNet-18's 3x3/s1, 3x3/s2, 1x1/s2 and 7x7/s2 on
    // even and odd sizes, a pointwise conv, bias and dilation; 16 input channels take the
    // gather-and-GEMM path, 3 (an RGB stem) the ONNX Conv forward with dW as a convolution.
    [TestMethod]
    [DataRow(3, 1, 1, 1, 6, 16)]
    [DataRow(3, 1, 1, 1, 5, 16)]
    [DataRow(3, 2, 1, 1, 8, 16)]
    [DataRow(3, 2, 1, 1, 7, 16)]
    [DataRow(1, 2, 0, 1, 8, 16)]
    [DataRow(1, 2, 0, 1, 7, 16)]
    [DataRow(1, 1, 0, 1, 5, 16)]
    [DataRow(7, 2, 3, 1, 9, 16)]
    [DataRow(3, 1, 2, 2, 7, 16)]
    [DataRow(3, 2, 2, 2, 9, 16)]
    [DataRow(3, 1, 1, 1, 6, 3)]
    [DataRow(3, 2, 1, 1, 7, 3)]
    [DataRow(7, 2, 3, 1, 10, 3)]
    [DataRow(7, 2, 3, 1, 9, 3)]
    [DataRow(3, 1, 2, 2, 7, 3)]
    [DataRow(3, 2, 2, 2, 9, 3)]
    public void Gradients(int k, int stride, int pad, int dilation, int size, int channels)
        => GradCheck.Check([[2, channels, size, size], [4, channels, k, k], [4]], (g, x) =>
        {
            Lower(g);
            return g.Conv(x[0], x[1], x[2], stride, pad, dilation);
        }, init: Small);

    // The 3x3 stride-1 cases above run as Winograd F(2x2, 3x3); these as im2col GEMMs.
    [TestMethod]
    [DataRow(6, 16)]
    [DataRow(5, 16)]
    [DataRow(6, 3)]
    public void ColumnGradientsOfThreeByThreeStrideOne(int size, int channels)
        => GradCheck.Check([[2, channels, size, size], [4, channels, 3, 3], [4]], (g, x) =>
        {
            Lower(g).ConvLoweringWinogradTile = 0;
            var y = g.Conv(x[0], x[1], x[2], 1, 1);
            Assert.AreNotEqual(GraphBuilder.ConvWinogradOp, y.Producer!.Composite?.OpType);
            return y;
        }, init: Small);

    // Cut into pieces of whole images (a budget of 50 kB gives 2 pieces of 2 images here, 1 byte
    // one piece per image): dW adds the pieces' GEMMs, forward and dX concatenate them.
    [TestMethod]
    [DataRow(3, 1, 1, 6, 50_000)]
    [DataRow(3, 2, 1, 7, 50_000)]
    [DataRow(1, 2, 0, 7, 1)]
    [DataRow(1, 1, 0, 5, 1)]
    [DataRow(3, 1, 1, 5, 1)]
    public void ChunkedGradients(int k, int stride, int pad, int size, int chunkBytes)
        => GradCheck.Check([[4, 16, size, size], [8, 16, k, k], [8]], (g, x) =>
        {
            Lower(g).ConvLoweringChunkBytes = chunkBytes;
            g.ConvLoweringWinogradTile = 0;
            var y = g.Conv(x[0], x[1], x[2], stride, pad);
            Assert.AreEqual(chunkBytes == 1 ? 4L : 2L, y.Producer!.Composite!.Int("chunks", 1));
            return y;
        }, init: Small);

    // Without a budget for kept im2col matrices, the backward pass gathers them again.
    [TestMethod]
    [DataRow(3, 1, 1, 6)]
    [DataRow(3, 2, 1, 7)]
    [DataRow(7, 2, 3, 9)]
    public void RecomputedColumnsGradients(int k, int stride, int pad, int size)
        => GradCheck.Check([[2, 16, size, size], [4, 16, k, k]], (g, x) =>
        {
            Lower(g).ConvLoweringKeepColumnsBytes = 0;
            g.ConvLoweringWinogradTile = 0;
            return g.Conv(x[0], x[1], null, stride, pad);
        }, init: Small);

    [TestMethod]
    public void KeptColumnsAreGatheredOnce()
    {
        int Gathers(long budget, long keepBytes = long.MaxValue)
        {
            var g = Lower(new GraphBuilder());
            g.ConvLoweringKeepColumnsBytes = budget;
            g.ConvLoweringKeepBytes = keepBytes;
            g.ConvLoweringWinogradTile = 0;
            var x = g.Input("x", DType.Float, 2, 16, 6, 6);
            var w = g.Input("w", DType.Float, 16, 16, 3, 3);
            var loss = g.SumAll(g.Conv(g.Conv(x, w, null, 1, 1), w, null, 1, 1));
            var grads = Autodiff.Autodiff.Gradients(loss, [w]);
            g.Output(grads[0], "dw");
            g.Output(loss, "loss");
            // Distinct gathers (ONNX Runtime merges equal ones): im2col of each input, and of dY for dX.
            return g.ToModel().Graph.Node.Where(n => n.OpType == "Gather").Select(n => string.Join(",", n.Input)).Distinct().Count();
        }
        // Each matrix here is 2 x 36 positions x 9 taps x 16 channels x 4 bytes = 41,472 bytes.
        var all = Gathers(1 << 20);
        Assert.AreEqual(all + 1, Gathers(41_472), "a budget of one matrix keeps the second convolution's (its rule runs first)");
        Assert.AreEqual(all + 2, Gathers(0));
        // The overall budget (train.memory_budget) bounds them as well.
        Assert.AreEqual(all + 1, Gathers(1 << 20, keepBytes: 41_472));
        Assert.AreEqual(all + 2, Gathers(1 << 20, keepBytes: 0));
    }

    [TestMethod]
    public void KeepBytesRejectsNegativeBudgets()
        => Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new GraphBuilder().ConvLoweringKeepBytes = -1);

    [TestMethod]
    public void NonSquareInputGradients()
        => GradCheck.Check([[2, 16, 6, 5], [3, 16, 3, 3]], (g, x) =>
        {
            Lower(g);
            return g.Conv(x[0], x[1], null, 2, 1);
        }, init: Small);

    [TestMethod]
    [DataRow(3, 1, 1, 1, 6, 16)]
    [DataRow(3, 2, 1, 1, 7, 16)]
    [DataRow(1, 2, 0, 1, 7, 16)]
    [DataRow(7, 2, 3, 1, 9, 16)]
    [DataRow(3, 1, 2, 2, 7, 16)]
    [DataRow(7, 2, 3, 1, 9, 3)]
    public void ForwardEqualsOnnxConv(int k, int stride, int pad, int dilation, int size, int channels)
    {
        var rng = new Random(k * 100 + size);
        var x = Enumerable.Range(0, 2 * channels * size * size).Select(_ => Small(rng)).ToArray();
        var w = Enumerable.Range(0, 5 * channels * k * k).Select(_ => Small(rng)).ToArray();
        float[] Run(ConvLowering lowering)
            => ConvOutput(new GraphBuilder { ConvLowering = lowering, ConvLoweringMinPositions = 1 }, (x, [2, channels, size, size]), (w, [5, channels, k, k]), stride, pad, dilation);
        var expected = Run(ConvLowering.None);
        var actual = Run(ConvLowering.NhwcGemm);
        Assert.HasCount(expected.Length, actual);
        for (var i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-5, $"y[{i}]");
    }

    /// <summary>One convolution of <paramref name="x"/> with <paramref name="w"/>, built by <paramref name="g"/> (with its lowering settings) and run.</summary>
    internal static float[] ConvOutput(GraphBuilder g, (float[] Data, long[] Shape) x, (float[] Data, long[] Shape) w, int stride, int pad, int dilation)
    {
        g.Output(g.Conv(g.Input("x", DType.Float, x.Shape), g.Input("w", DType.Float, w.Shape), null, stride, pad, dilation), "y");
        using var runner = new ModelRunner(g);
        return (float[])runner.Run(new Dictionary<string, (Array, long[])> { ["x"] = (x.Data, x.Shape), ["w"] = (w.Data, w.Shape) })["y"];
    }

    [TestMethod]
    public void ConstantWeightsStayOnnxConv()
    {
        var g = Lower(new GraphBuilder());
        var w = g.Initializer("w", TensorData.Of(new float[2 * 3 * 9], 2, 3, 3, 3));
        g.Output(g.Conv(g.Input("x", DType.Float, 1, 3, 5, 5), w, null, 1, 1), "y");
        CollectionAssert.AreEqual(new[] { "Conv" }, g.ToModel().Graph.Node.Select(n => n.OpType).ToArray());
    }

    // A whole train step (conv, batch norm, relu, max pool, stride-2 conv, linear, SGD) gives the
    // same losses and state with and without lowering.
    [TestMethod]
    public void TrainStepsEqualUnloweredSteps()
    {
        var optimizer = new Sgd([new ParamGroup("default", 1e-4)], momentum: 0.9);
        using var plain = new TrainingSession(ToyCnn.TrainStepModel(8, optimizer), Device.Cpu, ToyCnn.InitialState(3));
        using var lowered = new TrainingSession(ToyCnn.TrainStepModel(8, optimizer, g => Lower(g)), Device.Cpu, ToyCnn.InitialState(3));
        var rng = new Random(9);
        for (var step = 0; step < 4; step++)
        {
            var (images, labels) = ToyCnn.Batch(rng, 8);
            foreach (var s in new[] { plain, lowered })
            {
                images.CopyTo(s.Feed<float>("images"));
                labels.CopyTo(s.Feed<long>("labels"));
                s.Feed<float>(Optimizer.LearningRateInput("default"))[0] = 0.05f;
                s.Step();
            }
            Assert.AreEqual(plain.Result<float>("loss")[0], lowered.Result<float>("loss")[0], 1e-4, $"loss of step {step}");
        }
        var a = plain.ReadState();
        var b = lowered.ReadState();
        foreach (var (name, values) in a)
        {
            for (var i = 0; i < values.Length; i++) Assert.AreEqual(values[i], b[name][i], 1e-4, $"{name}[{i}]");
        }
    }

    // A residual block (conv-bn-relu-conv-bn, add, relu) and its backward: the export's layout
    // pass leaves no transpose of an activation between the two convolutions, and the values
    // and gradients equal those of the ONNX Conv graph.
    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void LayoutPassRemovesActivationTransposesAndKeepsValues(bool winograd)
    {
        const int n = 2, c = 16, size = 6;
        var rng = new Random(4);
        var feeds = new Dictionary<string, (Array, long[])>
        {
            ["x"] = (Enumerable.Range(0, n * c * size * size).Select(_ => Small(rng)).ToArray(), [n, c, size, size]),
            ["w1"] = (Enumerable.Range(0, c * c * 9).Select(_ => Small(rng)).ToArray(), [c, c, 3, 3]),
            ["w2"] = (Enumerable.Range(0, c * c * 9).Select(_ => Small(rng)).ToArray(), [c, c, 3, 3]),
        };
        (GraphBuilder Graph, Dictionary<string, Array> Outputs) Run(ConvLowering lowering)
        {
            var g = new GraphBuilder { ConvLowering = lowering, ConvLoweringMinPositions = 1, ConvLoweringWinogradTile = winograd ? 4 : 0 };
            var x = g.Input("x", DType.Float, n, c, size, size);
            var w1 = g.Input("w1", DType.Float, c, c, 3, 3);
            var w2 = g.Input("w2", DType.Float, c, c, 3, 3);
            var ones = g.Constant(TensorData.Of(Enumerable.Repeat(1f, c).ToArray(), c));
            var zeros = g.Constant(TensorData.Of(new float[c], c));
            var h = g.Relu(g.BatchNormTrain(g.Conv(x, w1, null, 1, 1), ones, zeros, zeros, ones).Y);
            h = g.BatchNormTrain(g.Conv(h, w2, null, 1, 1), ones, zeros, zeros, ones).Y;
            var y = g.Relu(h + x);
            var loss = g.SumAll(g.GlobalAveragePool(y * y));
            var grads = Autodiff.Autodiff.Gradients(loss, [x, w1, w2]);
            g.Output(loss, "loss");
            g.Output(grads[0], "dx");
            g.Output(grads[1], "dw1");
            g.Output(grads[2], "dw2");
            using var runner = new ModelRunner(g);
            return (g, runner.Run(feeds));
        }
        var (_, expected) = Run(ConvLowering.None);
        var (lowered, actual) = Run(ConvLowering.NhwcGemm);
        foreach (var name in new[] { "loss", "dx", "dw1", "dw2" })
        {
            var e = (float[])expected[name];
            var a = (float[])actual[name];
            for (var i = 0; i < e.Length; i++) Assert.AreEqual(e[i], a[i], 1e-4 * Math.Max(1, Math.Abs(e[i])), $"{name}[{i}]");
        }
        // Transposes of activations left: x to NHWC, y*y to NCHW for the global pool, and dx to
        // NCHW for its output; none between the convolutions. (The others transpose weights, or
        // swap the last two axes of a Winograd product, which ONNX Runtime folds into FusedMatMul.)
        var weightGradients = new[] { "dw1", "dw2" };
        var activationTransposes = lowered.ToModel().Graph.Node
            .Where(node => node.OpType == "Transpose" && node.Input[0] is not ("w1" or "w2") && !weightGradients.Contains(node.Output[0])
                && node.Attribute.Single(a => a.Name == "perm").Ints.Count == 4)
            .Select(node => node.Output[0])
            .ToArray();
        Assert.HasCount(3, activationTransposes, string.Join(", ", activationTransposes));
    }
}
