using UlcAg.Network.Weights;

namespace UlcAg.Network.Tests.Fixtures;

/// <summary>
/// A plain C# forward pass of a torchvision basic-block ResNet backbone in inference mode
/// (symmetric padding, batch norm with running statistics, epsilon 1e-5), for one CHW image:
/// the independent reference the mapped weights are checked against.
/// </summary>
internal static class ReferenceResNet
{
    private const float Epsilon = 1e-5f;

    /// <summary>Returns the 512 pooled features.</summary>
    public static float[] Features(TensorMap weights, IReadOnlyList<int> blocksPerStage, float[] image, int size)
    {
        var x = new Map(image, 3, size, size);
        x = Relu(BatchNorm(Conv(x, weights["conv1.weight"], 2, 3), weights, "bn1"));
        x = MaxPool(x, 3, 2, 1);
        for (var stage = 0; stage < blocksPerStage.Count; stage++)
        {
            for (var block = 0; block < blocksPerStage[stage]; block++)
            {
                var prefix = ResNetLayout.BlockName(stage, block);
                var stride = ResNetLayout.BlockStride(stage, block);
                var y = Relu(BatchNorm(Conv(x, weights[$"{prefix}.conv1.weight"], stride, 1), weights, $"{prefix}.bn1"));
                y = BatchNorm(Conv(y, weights[$"{prefix}.conv2.weight"], 1, 1), weights, $"{prefix}.bn2");
                var shortcut = ResNetLayout.HasDownsample(stage, block)
                    ? BatchNorm(Conv(x, weights[$"{prefix}.downsample.0.weight"], stride, 0), weights, $"{prefix}.downsample.1")
                    : x;
                for (var i = 0; i < y.Data.Length; i++)
                {
                    y.Data[i] += shortcut.Data[i];
                }

                x = Relu(y);
            }
        }

        var plane = x.Height * x.Width;
        return [.. Enumerable.Range(0, x.Channels).Select(c => x.Data.AsSpan(c * plane, plane).ToArray().Average())];
    }

    private sealed record Map(float[] Data, int Channels, int Height, int Width);

    private static Map Conv(Map x, HostTensor weight, int stride, int pad)
    {
        var outChannels = (int)weight.Shape[0];
        var k = (int)weight.Shape[2];
        var oh = ((x.Height + (2 * pad) - k) / stride) + 1;
        var ow = ((x.Width + (2 * pad) - k) / stride) + 1;
        var y = new float[outChannels * oh * ow];
        var w = weight.Data;
        Parallel.For(0, outChannels, o =>
        {
            var yBase = o * oh * ow;
            for (var c = 0; c < x.Channels; c++)
            {
                for (var ky = 0; ky < k; ky++)
                {
                    for (var kx = 0; kx < k; kx++)
                    {
                        var wv = w[(((o * x.Channels) + c) * k * k) + (ky * k) + kx];

                        // Output columns whose input column ox*stride - pad + kx lies inside the image.
                        var oxStart = Math.Max(0, (pad - kx + stride - 1) / stride);
                        var oxEnd = Math.Min(ow, ((x.Width - 1 + pad - kx) / stride) + 1);
                        for (var oy = 0; oy < oh; oy++)
                        {
                            var iy = (oy * stride) - pad + ky;
                            if (iy < 0 || iy >= x.Height)
                            {
                                continue;
                            }

                            var row = ((c * x.Height) + iy) * x.Width;
                            var outRow = yBase + (oy * ow);
                            for (var ox = oxStart; ox < oxEnd; ox++)
                            {
                                y[outRow + ox] += wv * x.Data[row + (ox * stride) - pad + kx];
                            }
                        }
                    }
                }
            }
        });
        return new Map(y, outChannels, oh, ow);
    }

    private static Map BatchNorm(Map x, TensorMap weights, string name)
    {
        var gamma = weights[$"{name}.weight"].Data;
        var beta = weights[$"{name}.bias"].Data;
        var mean = weights[$"{name}.running_mean"].Data;
        var variance = weights[$"{name}.running_var"].Data;
        var plane = x.Height * x.Width;
        for (var c = 0; c < x.Channels; c++)
        {
            var scale = gamma[c] / MathF.Sqrt(variance[c] + Epsilon);
            var shift = beta[c] - (mean[c] * scale);
            var span = x.Data.AsSpan(c * plane, plane);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (span[i] * scale) + shift;
            }
        }

        return x;
    }

    private static Map Relu(Map x)
    {
        for (var i = 0; i < x.Data.Length; i++)
        {
            x.Data[i] = MathF.Max(0f, x.Data[i]);
        }

        return x;
    }

    private static Map MaxPool(Map x, int k, int stride, int pad)
    {
        var oh = ((x.Height + (2 * pad) - k) / stride) + 1;
        var ow = ((x.Width + (2 * pad) - k) / stride) + 1;
        var y = new float[x.Channels * oh * ow];
        for (var c = 0; c < x.Channels; c++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    var best = float.NegativeInfinity;
                    for (var ky = 0; ky < k; ky++)
                    {
                        var iy = (oy * stride) - pad + ky;
                        for (var kx = 0; kx < k; kx++)
                        {
                            var ix = (ox * stride) - pad + kx;
                            if (iy >= 0 && iy < x.Height && ix >= 0 && ix < x.Width)
                            {
                                best = MathF.Max(best, x.Data[(((c * x.Height) + iy) * x.Width) + ix]);
                            }
                        }
                    }

                    y[(((c * oh) + oy) * ow) + ox] = best;
                }
            }
        }

        return new Map(y, x.Channels, oh, ow);
    }
}
