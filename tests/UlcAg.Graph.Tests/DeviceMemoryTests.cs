using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using UlcAg.Graph.Examples;
using UlcAg.Graph.Optim;
using UlcAg.Runtime;
using TrainingSession = UlcAg.Runtime.TrainingSession;

namespace UlcAg.Graph.Tests;

/// <summary>
/// What a train step moves between host and device. A fake device whose memory is host memory
/// but which counts every copy stands in for the GPU: state must stay on the device across steps;
/// per step only the feeds go in and the results come out.
/// </summary>
[TestClass]
public sealed class DeviceMemoryTests
{
    private const int Batch = 8;

    private static byte[] Model() => ToyCnn.TrainStepModel(Batch, new Sgd([new ParamGroup("default", 1e-4)], momentum: 0.9));

    private static void Feed(ITrainStepSession s, (float[] Images, long[] Labels) batch)
    {
        batch.Images.CopyTo(s.Feed<float>("images"));
        batch.Labels.CopyTo(s.Feed<long>("labels"));
        s.Feed<float>(Optimizer.LearningRateInput("default"))[0] = 0.05f;
    }

    /// <summary>One step of the same new batch in both sessions, the device's counts cleared before.</summary>
    private static void StepBoth(CountingMemory device, ITrainStepSession session, ITrainStepSession reference, Random rng)
    {
        device.Clear();
        var batch = ToyCnn.Batch(rng, Batch);
        Feed(session, batch);
        Feed(reference, batch);
        session.Step();
        reference.Step();
    }

    private static long Bytes(TrainingSession s, IEnumerable<string> names, Func<string, int> elementSize)
        => names.Sum(n => s.ShapeOf(n).Aggregate(1L, (a, b) => a * b) * elementSize(n));

    [TestMethod]
    public void AStepCopiesTheFeedsInAndTheResultsOutAndNothingElse()
    {
        using var device = new CountingMemory();
        using var session = new TrainingSession(Model(), Device.Cpu, ToyCnn.InitialState(3), threads: 1, memory: device);
        using var reference = new TrainingSession(Model(), Device.Cpu, ToyCnn.InitialState(3), threads: 1);
        Assert.AreEqual(1, device.ToDevice.Count, "the initial state goes in once, in one call");
        Assert.AreEqual(session.StateNames.Count(), device.ToDevice[0].Tensors);
        var stateBytes = session.StateNames.Sum(n => session.StateShape(n).Aggregate(1L, (a, b) => a * b) * 4);
        Assert.AreEqual(stateBytes, device.ToDevice[0].Bytes);

        var feedBytes = Bytes(session, session.FeedNames, n => n == "labels" ? 8 : 4);
        var resultBytes = Bytes(session, session.ResultNames, _ => 4);
        // A state tensor copied along would show in the counts and bytes below.
        var rng = new Random(4);
        for (var step = 1; step <= 4; step++)
        {
            StepBoth(device, session, reference, rng);
            Assert.AreEqual(1, device.ToDevice.Count, $"step {step}: one copy to the device");
            Assert.AreEqual(session.FeedNames.Count, device.ToDevice[0].Tensors);
            Assert.AreEqual(feedBytes, device.ToDevice[0].Bytes, $"step {step}: only the feeds go in");
            Assert.AreEqual(1, device.ToHost.Count, $"step {step}: one copy to the host");
            Assert.AreEqual(session.ResultNames.Count, device.ToHost[0].Tensors);
            Assert.AreEqual(resultBytes, device.ToHost[0].Bytes, $"step {step}: only the results come out");
            // The device path computes what the host path computes.
            Assert.AreEqual(reference.Result<float>("loss")[0], session.Result<float>("loss")[0]);
            CollectionAssert.AreEqual(reference.Result<float>("logits").ToArray(), session.Result<float>("logits").ToArray());
        }

        device.Clear();
        var state = session.ReadState();
        Assert.AreEqual(1, device.ToHost.Count);
        Assert.AreEqual(stateBytes, device.ToHost[0].Bytes, "reading the state copies it out once");
        var expected = reference.ReadState();
        foreach (var name in session.StateNames) CollectionAssert.AreEqual(expected[name], state[name], name);
        Assert.AreEqual(0, device.ToDevice.Count);
    }

    [TestMethod]
    public void AnAccumulatedStepKeepsItsGradientsOnTheDevice()
    {
        // Batch 8 as 4 micro-batches of 2: per micro-batch only its feeds go in and its results come out; the
        // accumulated gradients, like the weights, never cross (the same binding CUDA's memory gets).
        const int micro = 2;
        var (microModel, apply) = ToyCnn.AccumulatingModels(micro, Batch, new Sgd([new ParamGroup("default", 1e-4)], momentum: 0.9));
        using var device = new CountingMemory();
        using var session = new AccumulatingTrainingSession(microModel, apply, Device.Cpu, ToyCnn.InitialState(3), threads: 1, memory: device);
        using var reference = new AccumulatingTrainingSession(microModel, apply, Device.Cpu, ToyCnn.InitialState(3), threads: 1);
        var stateBytes = session.StateNames.Sum(n => session.StateShape(n).Aggregate(1L, (a, b) => a * b) * 4);
        var gradientBytes = ToyCnn.ParameterShapes.Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b) * 4);
        Assert.AreEqual(stateBytes + gradientBytes, device.ToDevice.Sum(c => c.Bytes), "the initial state and the zero accumulators go in once");
        var microFeedBytes = (long)micro * ToyCnn.Size * ToyCnn.Size * 4 + micro * 8;
        var microResultBytes = 4L + micro * ToyCnn.Classes * 4;
        var rng = new Random(4);
        for (var step = 1; step <= 3; step++)
        {
            StepBoth(device, session, reference, rng);
            Assert.AreEqual(Batch / micro * microFeedBytes + 4, device.ToDevice.Sum(c => c.Bytes), $"step {step}: only the micro-batches' feeds and the learning rate go in");
            Assert.AreEqual(Batch / micro * microResultBytes, device.ToHost.Sum(c => c.Bytes), $"step {step}: only the micro-batches' results come out");
            Assert.AreEqual(reference.Result<float>("loss")[0], session.Result<float>("loss")[0]);
            CollectionAssert.AreEqual(reference.Result<float>("logits").ToArray(), session.Result<float>("logits").ToArray());
        }
        var expected = reference.ReadState();
        foreach (var (name, value) in session.ReadState()) CollectionAssert.AreEqual(expected[name], value, name);
    }

    [TestMethod]
    public void StateLivesInHostMemoryOnTheCpu()
    {
        using var session = new TrainingSession(Model(), Device.Cpu, ToyCnn.InitialState(3));
        var locations = session.StateLocations().ToList();
        Assert.AreEqual(2 * session.StateNames.Count(), locations.Count, "two ping-pong buffers per state tensor");
        Assert.IsTrue(locations.All(l => l.Allocator == "Cpu"), string.Join(", ", locations.Select(l => l.Allocator).Distinct()));
    }

    [TestMethod]
    public void StateLivesInCudaMemoryOnTheGpu()
    {
        if (!Device.BuildHasCuda) Assert.Inconclusive("this build runs the CPU package of ONNX Runtime (build with -p:UlcAgGpu=true)");
        var missing = Device.MissingCudaLibraries();
        if (missing.Count > 0) Assert.Inconclusive($"no CUDA here: missing {string.Join(", ", missing)}");
        var cuda = new Device(true);
        TrainingSession session;
        try
        {
            session = new TrainingSession(Model(), cuda, ToyCnn.InitialState(3));
        }
        catch (DeviceException e)
        {
            Assert.Inconclusive(e.Message);
            return;
        }
        using (session)
        {
            var locations = session.StateLocations().ToList();
            Assert.AreEqual(2 * session.StateNames.Count(), locations.Count);
            foreach (var (name, allocator, id) in locations)
            {
                Assert.AreEqual("Cuda", allocator, $"state '{name}' lives in {allocator} memory");
                Assert.AreEqual(cuda.Index, id, name);
            }
            Feed(session, ToyCnn.Batch(new Random(1), Batch));
            session.Step();
            Assert.IsTrue(float.IsFinite(session.Result<float>("loss")[0]));
        }
    }

    /// <summary>A "device" whose memory is host memory, counting every copy the session asks for.</summary>
    private sealed class CountingMemory : IDeviceMemory
    {
        private readonly List<OrtValue> _allocated = [];

        public List<(int Tensors, long Bytes)> ToDevice { get; } = [];
        public List<(int Tensors, long Bytes)> ToHost { get; } = [];

        public void Clear()
        {
            ToDevice.Clear();
            ToHost.Clear();
        }

        public OrtValue Allocate(TensorElementType type, long[] shape)
        {
            var n = (int)shape.Aggregate(1L, (a, b) => a * b);
            var value = type switch
            {
                TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(new float[n], shape),
                TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(new long[n], shape),
                TensorElementType.UInt8 => OrtValue.CreateTensorValueFromMemory(new byte[n], shape),
                TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(new int[n], shape),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
            };
            _allocated.Add(value);
            return value;
        }

        public void CopyToDevice(IReadOnlyList<OrtValue> host, IReadOnlyList<OrtValue> device) => ToDevice.Add(Copy(host, device));

        public void CopyToHost(IReadOnlyList<OrtValue> device, IReadOnlyList<OrtValue> host) => ToHost.Add(Copy(device, host));

        private static (int, long) Copy(IReadOnlyList<OrtValue> from, IReadOnlyList<OrtValue> to)
        {
            Assert.AreEqual(from.Count, to.Count);
            long bytes = 0;
            for (var i = 0; i < from.Count; i++)
            {
                var source = from[i].GetTensorMutableRawData();
                var target = to[i].GetTensorMutableRawData();
                Assert.AreEqual(source.Length, target.Length);
                source.CopyTo(target);
                bytes += source.Length;
            }
            return (from.Count, bytes);
        }

        public void Dispose()
        {
            foreach (var v in _allocated) v.Dispose();
        }
    }
}
