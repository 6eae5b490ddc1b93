using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UlcAg.Data.Loading;

/// <summary>
/// Augmentation primitives on one interleaved 3-channel uint8 image (row-major, H x W x 3), written
/// on spans so a batch is filled in place without OpenCV round trips. Integer arithmetic only: the
/// same inputs give the same bytes on every machine.
/// </summary>
public static class ImageOps
{
    private const int Channels = 3;

    // Bilinear weights in 11-bit fixed point: 255 * 2^11 * 2^11 still fits an int.
    private const int WeightBits = 11;
    private const int One = 1 << WeightBits;
    private const int Round = 1 << ((2 * WeightBits) - 1);

    /// <summary>
    /// Resizes the rectangle (<paramref name="cropX"/>, <paramref name="cropY"/>, <paramref name="cropWidth"/>,
    /// <paramref name="cropHeight"/>) of <paramref name="source"/> to fill <paramref name="destination"/>, with
    /// bilinear interpolation (pixel centres aligned, edges clamped), mirrored left-right when
    /// <paramref name="flip"/> is set.
    /// </summary>
    public static void ResizeCrop(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight,
        int cropX, int cropY, int cropWidth, int cropHeight, bool flip,
        Span<byte> destination, int destinationWidth, int destinationHeight)
    {
        CheckImage(source, sourceWidth, sourceHeight, nameof(source));
        CheckImage(destination, destinationWidth, destinationHeight, nameof(destination));
        if (cropWidth <= 0 || cropHeight <= 0 || cropX < 0 || cropY < 0 || cropX + cropWidth > sourceWidth || cropY + cropHeight > sourceHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(cropX), $"crop ({cropX}, {cropY}, {cropWidth}, {cropHeight}) is not inside the {sourceWidth}x{sourceHeight} source");
        }

        if (cropWidth == destinationWidth && cropHeight == destinationHeight)
        {
            Shift(source, sourceWidth, sourceHeight, cropX, cropY, flip, destination, destinationWidth, destinationHeight, default);
            return;
        }

        Span<int> columns = destinationWidth <= 1024 ? stackalloc int[destinationWidth * 3] : new int[destinationWidth * 3];
        for (var x = 0; x < destinationWidth; x++)
        {
            var (lo, hi, w) = Tap(x, cropWidth, destinationWidth);
            var slot = flip ? destinationWidth - 1 - x : x;
            columns[3 * slot] = (cropX + lo) * Channels;
            columns[(3 * slot) + 1] = (cropX + hi) * Channels;
            columns[(3 * slot) + 2] = w;
        }

        var sourceStride = sourceWidth * Channels;
        var destinationStride = destinationWidth * Channels;
        ref var src = ref MemoryMarshal.GetReference(source);
        for (var y = 0; y < destinationHeight; y++)
        {
            var (top, bottom, wy) = Tap(y, cropHeight, destinationHeight);
            ref var row0 = ref Unsafe.Add(ref src, (cropY + top) * sourceStride);
            ref var row1 = ref Unsafe.Add(ref src, (cropY + bottom) * sourceStride);
            var output = destination.Slice(y * destinationStride, destinationStride);
            var wy0 = One - wy;
            for (var x = 0; x < destinationWidth; x++)
            {
                var a = columns[3 * x];
                var b = columns[(3 * x) + 1];
                var wx = columns[(3 * x) + 2];
                var wx0 = One - wx;
                for (var c = 0; c < Channels; c++)
                {
                    var upper = (Unsafe.Add(ref row0, a + c) * wx0) + (Unsafe.Add(ref row0, b + c) * wx);
                    var lower = (Unsafe.Add(ref row1, a + c) * wx0) + (Unsafe.Add(ref row1, b + c) * wx);
                    output[(x * Channels) + c] = (byte)(((upper * wy0) + (lower * wy) + Round) >> (2 * WeightBits));
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> shifted so that destination pixel (x, y) is source pixel
    /// (x + <paramref name="offsetX"/>, y + <paramref name="offsetY"/>), pixels from outside the source
    /// set to <paramref name="fill"/>, then mirrored left-right when <paramref name="flip"/> is set.
    /// With zero offsets this is a copy or a plain flip; with offsets in [-p, p] it is the random crop
    /// of an image padded by p.
    /// </summary>
    public static void Shift(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int offsetX, int offsetY, bool flip,
        Span<byte> destination, int destinationWidth, int destinationHeight, (byte R, byte G, byte B) fill)
    {
        CheckImage(source, sourceWidth, sourceHeight, nameof(source));
        CheckImage(destination, destinationWidth, destinationHeight, nameof(destination));
        var sourceStride = sourceWidth * Channels;
        var destinationStride = destinationWidth * Channels;
        // Destination columns [x0, x1) read source columns [x0 + offsetX, x1 + offsetX).
        var x0 = Math.Clamp(-offsetX, 0, destinationWidth);
        var x1 = Math.Clamp(sourceWidth - offsetX, x0, destinationWidth);
        for (var y = 0; y < destinationHeight; y++)
        {
            var output = destination.Slice(y * destinationStride, destinationStride);
            var sy = y + offsetY;
            if (sy < 0 || sy >= sourceHeight)
            {
                FillPixels(output, fill);
                continue;
            }

            var input = source.Slice((sy * sourceStride) + ((x0 + offsetX) * Channels), (x1 - x0) * Channels);
            if (!flip)
            {
                FillPixels(output[..(x0 * Channels)], fill);
                input.CopyTo(output[(x0 * Channels)..]);
                FillPixels(output[(x1 * Channels)..], fill);
                continue;
            }

            // Mirrored: destination column x goes to destinationWidth - 1 - x.
            FillPixels(output[((destinationWidth - x0) * Channels)..], fill);
            FillPixels(output[..((destinationWidth - x1) * Channels)], fill);
            var mirrored = output[((destinationWidth - x1) * Channels)..];
            var n = x1 - x0;
            for (var i = 0; i < n; i++)
            {
                var from = (n - 1 - i) * Channels;
                var to = i * Channels;
                mirrored[to] = input[from];
                mirrored[to + 1] = input[from + 1];
                mirrored[to + 2] = input[from + 2];
            }
        }
    }

    /// <summary>Sets the rectangle (x, y, w, h) of an image to one color.</summary>
    public static void FillRectangle(Span<byte> image, int width, int height, int x, int y, int w, int h, (byte R, byte G, byte B) color)
    {
        CheckImage(image, width, height, nameof(image));
        CheckRectangle(width, height, x, y, w, h);
        for (var row = y; row < y + h; row++)
        {
            FillPixels(image.Slice(((row * width) + x) * Channels, w * Channels), color);
        }
    }

    /// <summary>Sets the rectangle (x, y, w, h) of an image to bytes from <paramref name="noise"/> (consumed row by row).</summary>
    public static void CopyIntoRectangle(Span<byte> image, int width, int height, int x, int y, int w, int h, ReadOnlySpan<byte> noise)
    {
        CheckImage(image, width, height, nameof(image));
        CheckRectangle(width, height, x, y, w, h);
        if (noise.Length < w * h * Channels)
        {
            throw new ArgumentException($"need {w * h * Channels} bytes, got {noise.Length}", nameof(noise));
        }

        for (var row = 0; row < h; row++)
        {
            noise.Slice(row * w * Channels, w * Channels).CopyTo(image.Slice((((y + row) * width) + x) * Channels, w * Channels));
        }
    }

    // Bilinear tap for output index i of n over an input of length m: the two input indices and the
    // fixed-point weight of the second. Centres are aligned: input position = (i + 0.5) m / n - 0.5.
    private static (int Lo, int Hi, int Weight) Tap(int i, int m, int n)
    {
        var position = (((i + 0.5) * m) / n) - 0.5;
        if (position <= 0)
        {
            return (0, 0, 0);
        }

        if (position >= m - 1)
        {
            return (m - 1, m - 1, 0);
        }

        var lo = (int)position;
        var w = (int)(((position - lo) * One) + 0.5);
        return w >= One ? (lo + 1, lo + 1, 0) : (lo, lo + 1, w);
    }

    private static void FillPixels(Span<byte> pixels, (byte R, byte G, byte B) color)
    {
        for (var i = 0; i + 2 < pixels.Length; i += Channels)
        {
            pixels[i] = color.R;
            pixels[i + 1] = color.G;
            pixels[i + 2] = color.B;
        }
    }

    private static void CheckImage(ReadOnlySpan<byte> image, int width, int height, string name)
    {
        if (width <= 0 || height <= 0 || image.Length < (long)width * height * Channels)
        {
            throw new ArgumentException($"a {width}x{height}x{Channels} image needs {(long)width * height * Channels} bytes, got {image.Length}", name);
        }
    }

    private static void CheckRectangle(int width, int height, int x, int y, int w, int h)
    {
        if (w < 0 || h < 0 || x < 0 || y < 0 || x + w > width || y + h > height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"rectangle ({x}, {y}, {w}, {h}) is not inside the {width}x{height} image");
        }
    }
}
