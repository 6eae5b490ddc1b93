using UlcAg.Graph.Examples;
using UlcAg.Graph.Optim;
using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class RuntimeTests
{
    private const int Batch = 32;

    private static Sgd Optimizer() => new([new ParamGroup("default", 1e-4)], momentum: 0.9);

    private static void Feed(TrainingSession s, (float[] Images, long[] Labels) batch, float lr)
    {
        batch.Images.CopyTo(s.Feed<float>("images"));
        batch.Labels.CopyTo(s.Feed<long>("labels"));
        s.Feed<float>(Optim.Optimizer.LearningRateInput("default"))[0] = lr;
    }

    [TestMethod]
    public void SmallCnnLearnsToyImages()
    {
        using var session = new TrainingSession(ToyCnn.TrainStepModel(Batch, Optimizer()), Device.Cpu, ToyCnn.InitialState(7));
        var rng = new Random(3);
        var firstLosses = new List<float>();
        var lastLosses = new List<float>();
        var correct = 0;
        const int steps = 200;
        for (var step = 0; step < steps; step++)
        {
            var batch = ToyCnn.Batch(rng, Batch);
            Feed(session, batch, 0.05f);
            session.Step();
            var loss = session.Result<float>("loss")[0];
            if (step < 10) firstLosses.Add(loss);
            if (step >= steps - 20)
            {
                lastLosses.Add(loss);
                // Accuracy on the batch before the step's update saw it: logits come from the forward pass.
                var logits = session.Result<float>("logits");
                for (var b = 0; b < Batch; b++)
                {
                    var row = logits.Slice(b * ToyCnn.Classes, ToyCnn.Classes);
                    var argmax = 0;
                    for (var k = 1; k < row.Length; k++) if (row[k] > row[argmax]) argmax = k;
                    if (argmax == batch.Labels[b]) correct++;
                }
            }
        }
        var accuracy = correct / (20.0 * Batch);
        Assert.IsGreaterThan(1.2, firstLosses.Average(), "the untrained loss should be near ln 4");
        Assert.IsLessThan(0.35, lastLosses.Average(), $"loss fell only to {lastLosses.Average():F3}");
        Assert.IsGreaterThan(0.9, accuracy, $"accuracy {accuracy:P1}, chance is 25%");
    }

    [TestMethod]
    public void PingPongEqualsCopyingThroughTheHost()
    {
        var model = ToyCnn.TrainStepModel(8, Optimizer());
        var init = ToyCnn.InitialState(11);
        using var session = new TrainingSession(model, Device.Cpu, init);
        using var runner = new ModelRunner(model);
        var state = init.ToDictionary(kv => kv.Key, kv => kv.Value);
        var stateNames = session.StateNames.ToList();
        foreach (var name in stateNames) state.TryAdd(name, new float[session.StateShape(name).Aggregate(1L, (a, b) => a * b)]);

        var rng = new Random(5);
        for (var step = 0; step < 5; step++)
        {
            var batch = ToyCnn.Batch(rng, 8);
            Feed(session, batch, 0.05f);
            session.Step();

            var feeds = new Dictionary<string, (Array, long[])>
            {
                ["images"] = (batch.Images, [8, 1, ToyCnn.Size, ToyCnn.Size]),
                ["labels"] = (batch.Labels, [8]),
                [Optim.Optimizer.LearningRateInput("default")] = (new[] { 0.05f }, []),
            };
            foreach (var name in stateNames) feeds[name] = (state[name], session.StateShape(name));
            var outputs = runner.Run(feeds);
            foreach (var name in stateNames) state[name] = (float[])outputs[TrainStep.NextName(name)];
            Assert.AreEqual(((float[])outputs["loss"])[0], session.Result<float>("loss")[0], 1e-6);
        }
        var final = session.ReadState();
        foreach (var name in stateNames) CollectionAssert.AreEqual(state[name], final[name], $"state '{name}' differs");
    }

    [TestMethod]
    public void StateCanBeReadAndWrittenBack()
    {
        var model = ToyCnn.TrainStepModel(8, Optimizer());
        using var a = new TrainingSession(model, Device.Cpu, ToyCnn.InitialState(1));
        var rng = new Random(2);
        for (var i = 0; i < 3; i++) { Feed(a, ToyCnn.Batch(rng, 8), 0.05f); a.Step(); }
        var snapshot = a.ReadState();

        using var b = new TrainingSession(model, Device.Cpu);
        b.WriteState(snapshot);
        var batch = ToyCnn.Batch(rng, 8);
        Feed(a, batch, 0.05f);
        Feed(b, batch, 0.05f);
        a.Step();
        b.Step();
        Assert.AreEqual(a.Result<float>("loss")[0], b.Result<float>("loss")[0]);
        CollectionAssert.AreEqual(a.ReadState("conv2.weight"), b.ReadState("conv2.weight"));
        var e = Assert.ThrowsExactly<ArgumentException>(() => b.WriteState(new Dictionary<string, float[]> { ["fc.weight"] = new float[3] }));
        StringAssert.Contains(e.Message, "fc.weight");
    }

    [TestMethod]
    public void EveryTrainableParameterReceivesAGradient()
    {
        var g = new GraphBuilder();
        var x = g.Input("images", DType.Float, 4, 1, ToyCnn.Size, ToyCnn.Size);
        var p = ToyCnn.ParameterShapes.Select(s => g.Input(s.Name, DType.Float, s.Shape)).ToArray();
        var stats = g.Constant(TensorData.Of(new float[16], 16));
        var h = g.MaxPool(g.Relu(g.BatchNormTrain(g.Conv(x, p[0], null, 1, 1), p[1], p[2], stats, stats).Y), 3, 2, 1);
        h = g.Relu(g.BatchNormTrain(g.Conv(h, p[3], null, 2, 1), p[4], p[5], stats, stats).Y);
        var logits = g.Linear(g.Flatten(g.GlobalAveragePool(h)), p[6], p[7]);
        var grads = UlcAg.Graph.Autodiff.Autodiff.Gradients(g.SumAll(g.Sigmoid(logits) * logits), p);
        for (var i = 0; i < p.Length; i++) g.Output(grads[i], $"{p[i].Name}_grad");

        using var runner = new ModelRunner(g);
        var init = ToyCnn.InitialState(4);
        var feeds = new Dictionary<string, (Array, long[])> { ["images"] = (ToyCnn.Batch(new Random(1), 4).Images, [4, 1, ToyCnn.Size, ToyCnn.Size]) };
        foreach (var (name, shape) in ToyCnn.ParameterShapes) feeds[name] = (init[name], shape);
        var outputs = runner.Run(feeds);
        foreach (var (name, _) in ToyCnn.ParameterShapes)
        {
            var grad = (float[])outputs[$"{name}_grad"];
            Assert.IsTrue(grad.Any(v => v != 0 && float.IsFinite(v)), $"parameter '{name}' got no gradient");
        }
    }

    [TestMethod]
    public void CudaDeviceReportsWhatIsMissing()
    {
        var gpuBuild = Device.BuildHasCuda;
        if (gpuBuild && Device.MissingCudaLibraries().Count == 0) Assert.Inconclusive("a GPU build with CUDA libraries; this checks the error paths of machines without them");
        var e = Assert.ThrowsExactly<DeviceException>(() => new Device(true).CreateSessionOptions());
        // The CPU build says so instead of blaming CUDA libraries that it would not use anyway.
        StringAssert.Contains(e.Message, gpuBuild ? "libcudart.so.13" : "this build of UlcAg has no GPU support");
    }
}
