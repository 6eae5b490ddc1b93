using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using UlcAg.Graph;

namespace UlcAg.Runtime;

/// <summary>
/// The memory of a device other than the host, as a <see cref="TrainingSession"/> uses it: state
/// (parameters, optimizer buffers, both ping-pong sets), the feeds and the results live there, and
/// every copy between it and the host goes through <see cref="CopyToDevice"/> and
/// <see cref="CopyToHost"/>. A step makes one call of each: the feeds in, the results out; state
/// crosses only when read or written as a whole (checkpoints, export). The CUDA device's memory
/// comes from ONNX Runtime's CUDA allocator; a test can implement this to count the copies.
/// </summary>
public interface IDeviceMemory : IDisposable
{
    /// <summary>A new tensor in device memory.</summary>
    OrtValue Allocate(TensorElementType type, long[] shape);

    /// <summary>Copies each host tensor into the device tensor at the same position (equal types and shapes).</summary>
    void CopyToDevice(IReadOnlyList<OrtValue> host, IReadOnlyList<OrtValue> device);

    /// <summary>Copies each device tensor into the host tensor at the same position (equal types and shapes).</summary>
    void CopyToHost(IReadOnlyList<OrtValue> device, IReadOnlyList<OrtValue> host);
}

/// <summary>
/// CUDA device memory: tensors from the session's CUDA allocator; copies run an identity graph
/// whose inputs and outputs are bound on the two devices, so that ONNX Runtime copies across the
/// binding (one graph per list of tensor types and shapes, kept for the next copy of the same list).
/// </summary>
internal sealed class CudaMemory : IDeviceMemory
{
    private readonly Device _device;
    private readonly OrtAllocator _allocator;
    private readonly OrtMemoryInfo _info;
    private readonly Dictionary<string, InferenceSession> _copiers = [];
    private readonly RunOptions _run = new();

    public CudaMemory(InferenceSession session, Device device)
    {
        _device = device;
        _info = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, device.Index, OrtMemType.Default);
        _allocator = new OrtAllocator(session, _info);
    }

    public OrtValue Allocate(TensorElementType type, long[] shape) => OrtValue.CreateAllocatedTensorValue(_allocator, type, shape);

    public void CopyToDevice(IReadOnlyList<OrtValue> host, IReadOnlyList<OrtValue> device) => Copy(host, device);

    public void CopyToHost(IReadOnlyList<OrtValue> device, IReadOnlyList<OrtValue> host) => Copy(device, host);

    private void Copy(IReadOnlyList<OrtValue> from, IReadOnlyList<OrtValue> to)
    {
        if (from.Count != to.Count) throw new ArgumentException($"{from.Count} sources for {to.Count} destinations");
        if (from.Count == 0) return;
        var signature = from.Select(v => v.GetTensorTypeAndShape()).Select(t => (Type: t.ElementDataType, Shape: t.Shape)).ToArray();
        var key = string.Join(";", signature.Select(s => $"{s.Type}:{string.Join("x", s.Shape)}"));
        if (!_copiers.TryGetValue(key, out var session)) _copiers[key] = session = IdentitySession(signature);
        using var binding = session.CreateIoBinding();
        for (var i = 0; i < from.Count; i++)
        {
            binding.BindInput($"in{i}", from[i]);
            binding.BindOutput($"out{i}", to[i]);
        }
        session.RunWithBinding(_run, binding);
        binding.SynchronizeBoundOutputs();
    }

    private InferenceSession IdentitySession((TensorElementType Type, long[] Shape)[] signature)
    {
        var g = new GraphBuilder("copy");
        for (var i = 0; i < signature.Length; i++)
        {
            var x = g.Input($"in{i}", ToDType(signature[i].Type), signature[i].Shape);
            g.Output(g.Identity(x), $"out{i}");
        }
        using var options = _device.CreateSessionOptions(1);
        return new InferenceSession(g.ToBytes(), options);
    }

    private static DType ToDType(TensorElementType type) => type switch
    {
        TensorElementType.Float => DType.Float,
        TensorElementType.UInt8 => DType.UInt8,
        TensorElementType.Int32 => DType.Int32,
        TensorElementType.Int64 => DType.Int64,
        TensorElementType.Bool => DType.Bool,
        TensorElementType.Double => DType.Double,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no device copy for this element type"),
    };

    public void Dispose()
    {
        foreach (var s in _copiers.Values) s.Dispose();
        _run.Dispose();
        _allocator.Dispose();
        _info.Dispose();
    }
}
