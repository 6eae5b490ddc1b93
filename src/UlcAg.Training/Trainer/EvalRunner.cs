using UlcAg.Data.Loading;
using UlcAg.Network.Models;
using UlcAg.Runtime;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Trainer;

/// <summary>
/// The eval graph as the trainer runs it (validation, test, the clean pass over the training set):
/// built for one batch size, so that its convolutions are lowered like the train step's (on the CPU,
/// one batch-wide GEMM per convolution instead of ONNX Runtime's per-image Conv, which is what made
/// the clean pass cost more than half an epoch). A smaller last batch is padded with zero images;
/// their output rows are never read.
/// </summary>
public sealed class EvalRunner : IDisposable
{
    private readonly ModelRunner _runner;
    private readonly int _inputSize;
    private byte[]? _padded;

    public EvalRunner(NetworkOptions net, int batchSize, Device device, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
        _inputSize = net.InputSize;
        _runner = new ModelRunner(UlcAgNetwork.BuildEval(net, batchSize), device, threads);
    }

    /// <summary>Images per run; every <see cref="EvalLoader"/> batch must hold at most this many.</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Runs one batch with <paramref name="feeds"/> (weights and the method's inputs; the images are
    /// set here). Output rows 0..<c>batch.Count</c>-1 belong to the batch's images, in order.
    /// </summary>
    public Dictionary<string, Array> Run(Dictionary<string, (Array, long[])> feeds, LoaderBatch batch)
    {
        if (batch.Count > BatchSize) throw new ArgumentException($"a batch of {batch.Count} images does not fit the eval graph's {BatchSize}", nameof(batch));
        var images = batch.Images;
        if (batch.Count < BatchSize)
        {
            _padded ??= new byte[(long)BatchSize * _inputSize * _inputSize * LoaderBatch.Channels];
            images.CopyTo(_padded, 0);
            Array.Clear(_padded, images.Length, _padded.Length - images.Length);
            images = _padded;
        }
        feeds[N.Images] = (images, [BatchSize, _inputSize, _inputSize, LoaderBatch.Channels]);
        return _runner.Run(feeds);
    }

    public void Dispose() => _runner.Dispose();
}
