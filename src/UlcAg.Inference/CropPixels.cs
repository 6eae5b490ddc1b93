using OpenCvSharp;

namespace UlcAg.Inference;

/// <summary>Copies an 8-bit BGR crop into a model input buffer, interleaved (HWC) or planar (CHW), optionally as RGB.</summary>
internal static class CropPixels
{
    public static void CopyInterleaved(Mat bgr, Span<byte> dst, bool toRgb)
    {
        var src = Pixels(bgr, dst.Length);
        if (!toRgb)
        {
            src.CopyTo(dst);
            return;
        }

        for (var i = 0; i < src.Length; i += 3)
        {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
    }

    public static void CopyInterleaved(Mat bgr, Span<float> dst, bool toRgb)
    {
        var src = Pixels(bgr, dst.Length);
        for (var i = 0; i < src.Length; i += 3)
        {
            dst[i] = src[toRgb ? i + 2 : i];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[toRgb ? i : i + 2];
        }
    }

    public static void CopyPlanar(Mat bgr, Span<float> dst, bool toRgb)
    {
        var src = Pixels(bgr, dst.Length);
        var plane = src.Length / 3;
        // Plane k of the output takes source channel k (BGR) or 2 - k (RGB).
        for (var k = 0; k < 3; k++)
        {
            var channel = toRgb ? 2 - k : k;
            var target = dst.Slice(k * plane, plane);
            for (var p = 0; p < plane; p++)
            {
                target[p] = src[(p * 3) + channel];
            }
        }
    }

    private static unsafe ReadOnlySpan<byte> Pixels(Mat bgr, int expected)
    {
        if (!bgr.IsContinuous() || bgr.Type() != MatType.CV_8UC3 || bgr.Total() * 3 != expected)
        {
            throw new ArgumentException($"expected a continuous 8-bit BGR image of {expected / 3} pixels, got {bgr.Type()} {bgr.Cols}x{bgr.Rows}", nameof(bgr));
        }

        return new ReadOnlySpan<byte>((void*)bgr.Data, expected);
    }
}
