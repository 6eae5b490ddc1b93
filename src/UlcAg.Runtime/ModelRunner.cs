using Microsoft.ML.OnnxRuntime;
using UlcAg.Graph;

namespace UlcAg.Runtime;

/// <summary>
/// Runs a model by plain name-to-array feeds: for evaluation, export checks and tests, where
/// per-call allocation does not matter.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession _session;

    public ModelRunner(byte[] model, Device? device = null, int threads = 0)
    {
        using var options = (device ?? Device.Cpu).CreateSessionOptions(threads);
        _session = new InferenceSession(model, options);
    }

    public ModelRunner(GraphBuilder graph, Device? device = null) : this(graph.ToBytes(), device) { }

    public InferenceSession Session => _session;

    /// <summary>Runs with the given feeds (arrays with their shapes); returns every output as float[] (or long[] for int64).</summary>
    public Dictionary<string, Array> Run(IReadOnlyDictionary<string, (Array Data, long[] Shape)> feeds)
    {
        var names = feeds.Keys.ToArray();
        var values = names.Select(n => ToOrtValue(feeds[n].Data, feeds[n].Shape)).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, _session.OutputNames);
            var result = new Dictionary<string, Array>();
            for (var i = 0; i < outputs.Count; i++)
            {
                var o = outputs[i];
                var type = o.GetTensorTypeAndShape().ElementDataType;
                result[_session.OutputNames[i]] = type switch
                {
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float => o.GetTensorDataAsSpan<float>().ToArray(),
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 => o.GetTensorDataAsSpan<long>().ToArray(),
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Double => o.GetTensorDataAsSpan<double>().ToArray(),
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Bool => o.GetTensorDataAsSpan<bool>().ToArray(),
                    var t => throw new NotSupportedException($"output '{_session.OutputNames[i]}' has type {t}"),
                };
            }
            return result;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Shape of an output after the last run is not tracked; this reads the model's declared output dims.</summary>
    public int[] OutputDims(string name) => _session.OutputMetadata[name].Dimensions;

    public void Dispose() => _session.Dispose();

    private static OrtValue ToOrtValue(Array data, long[] shape) => data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
        double[] d => OrtValue.CreateTensorValueFromMemory(d, shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
        byte[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
        int[] i => OrtValue.CreateTensorValueFromMemory(i, shape),
        bool[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
        _ => throw new ArgumentException($"unsupported feed type {data.GetType().Name}"),
    };
}
