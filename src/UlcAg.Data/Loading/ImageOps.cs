using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

        Resample(source, sourceWidth, cropX, cropY, cropWidth, cropHeight, flip, destination, destinationWidth, destinationHeight);
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

    // Separable bilinear: each source row needed is interpolated horizontally once into a fixed-point
    // int row (two rows kept, as consecutive output rows mostly share them), then each output row is
    // the vertical blend of two such rows, vectorized. Same arithmetic as a direct 2-D blend:
    // out = (h0 (1 - wy) + h1 wy + round) >> 22 with h = p0 (1 - wx) + p1 wx, all weights in 1/2048.
    private static unsafe void Resample(
        ReadOnlySpan<byte> source, int sourceWidth, int cropX, int cropY, int cropWidth, int cropHeight, bool flip,
        Span<byte> destination, int destinationWidth, int destinationHeight)
    {
        var rowLength = destinationWidth * Channels;
        var small = destinationWidth <= 512;
        Span<int> taps = small ? stackalloc int[destinationWidth * 3] : new int[destinationWidth * 3];
        // Two interpolated rows, each with one spare int for the vector store of the last pixel.
        Span<int> rows = small ? stackalloc int[2 * (rowLength + 1)] : new int[2 * (rowLength + 1)];
        for (var x = 0; x < destinationWidth; x++)
        {
            var (lo, hi, w) = Tap(x, cropWidth, destinationWidth);
            var slot = flip ? destinationWidth - 1 - x : x;
            taps[3 * slot] = (cropX + lo) * Channels;
            taps[(3 * slot) + 1] = (cropX + hi) * Channels;
            taps[(3 * slot) + 2] = (One - w) | (w << 16);
        }

        fixed (byte* src = source)
        fixed (byte* dst = destination)
        fixed (int* tap = taps)
        fixed (int* rowPair = rows)
        {
            var upper = rowPair;
            var lower = rowPair + rowLength + 1;
            int upperIndex = -1, lowerIndex = -1;
            var sourceStride = sourceWidth * Channels;
            for (var y = 0; y < destinationHeight; y++)
            {
                var (top, bottom, wy) = Tap(y, cropHeight, destinationHeight);
                if (upperIndex != top)
                {
                    if (lowerIndex == top)
                    {
                        var swap = upper;
                        upper = lower;
                        lower = swap;
                        upperIndex = lowerIndex;
                        lowerIndex = -1;
                    }
                    else
                    {
                        HorizontalRow(src + ((long)(cropY + top) * sourceStride), tap, upper, destinationWidth, sourceStride);
                        upperIndex = top;
                    }
                }

                var output = dst + ((long)y * rowLength);
                if (wy == 0)
                {
                    VerticalRow(upper, upper, One, 0, output, rowLength);
                    continue;
                }

                if (lowerIndex != bottom)
                {
                    HorizontalRow(src + ((long)(cropY + bottom) * sourceStride), tap, lower, destinationWidth, sourceStride);
                    lowerIndex = bottom;
                }

                VerticalRow(upper, lower, One - wy, wy, output, rowLength);
            }
        }
    }

    // tap[3x .. 3x + 2] = byte offset of the left pixel, of the right pixel, and (1 - w) | w << 16,
    // the two 11-bit weights packed so one broadcast gives the (1 - w, w) pairs the vector path needs.
    private static unsafe void HorizontalRow(byte* row, int* tap, int* output, int width, int rowBytes)
    {
        if (Sse41.IsSupported)
        {
            // One 8-byte load covers the left pixel a and the right pixel b = a + 3; shuffled to
            // (a0, b0, a1, b1, a2, b2) and multiply-added with (1 - w, w) pairs this gives the three
            // channel sums of the scalar path, bit for bit. Where the tap is clamped (b = a) the weight
            // of b is 0, so reading the next pixel instead is harmless; a load that would run past the
            // row takes the scalar path.
            var pairs = Vector128.Create((byte)0, 3, 1, 4, 2, 5, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
            for (var x = 0; x < width; x++, tap += 3, output += 3)
            {
                if (tap[0] + 8 > rowBytes)
                {
                    HorizontalPixel(row, tap, output);
                    continue;
                }

                var bytes = Vector128.CreateScalarUnsafe(*(ulong*)(row + tap[0])).AsByte();
                var words = Sse41.ConvertToVector128Int16(Ssse3.Shuffle(bytes, pairs));
                var weights = Vector128.Create(tap[2]).AsInt16();
                // Writes a fourth int into the next pixel's slot; the row buffer has room for it.
                Vector128.Store(Sse2.MultiplyAddAdjacent(words, weights), output);
            }

            return;
        }

        for (var x = 0; x < width; x++, tap += 3, output += 3)
        {
            HorizontalPixel(row, tap, output);
        }
    }

    private static unsafe void HorizontalPixel(byte* row, int* tap, int* output)
    {
        var a = row + tap[0];
        var b = row + tap[1];
        var w0 = tap[2] & 0xFFFF;
        var w = tap[2] >> 16;
        output[0] = (a[0] * w0) + (b[0] * w);
        output[1] = (a[1] * w0) + (b[1] * w);
        output[2] = (a[2] * w0) + (b[2] * w);
    }

    private static unsafe void VerticalRow(int* upper, int* lower, int w0, int w1, byte* output, int length)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vw0 = Vector256.Create(w0);
            var vw1 = Vector256.Create(w1);
            var round = Vector256.Create(Round);
            for (; i + 16 <= length; i += 16)
            {
                var a = ((Vector256.Load(upper + i) * vw0) + (Vector256.Load(lower + i) * vw1) + round) >>> (2 * WeightBits);
                var b = ((Vector256.Load(upper + i + 8) * vw0) + (Vector256.Load(lower + i + 8) * vw1) + round) >>> (2 * WeightBits);
                // Values are 0..255, so narrowing keeps them exactly.
                var shorts = Vector256.Narrow(a.AsUInt32(), b.AsUInt32());
                Vector128.Store(Vector256.Narrow(shorts, shorts).GetLower(), output + i);
            }
        }

        for (; i < length; i++)
        {
            output[i] = (byte)(((upper[i] * w0) + (lower[i] * w1) + Round) >> (2 * WeightBits));
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
