using OpenCvSharp;
using UlcAg.Data.Loading;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class ImageOpsTests
{
    [TestMethod]
    public void ResizeCrop_MatchesOpenCvBilinearWithinOneLevel()
    {
        using var image = FaceTestImages.RandomBgr(40, 30, seed: 11);
        var source = FaceTestImages.Bytes(image);
        var destination = new byte[56 * 56 * 3];

        ImageOps.ResizeCrop(source, 40, 30, 5, 3, 28, 21, flip: false, destination, 56, 56);

        using var roi = new Mat(image, new Rect(5, 3, 28, 21));
        using var expected = new Mat();
        Cv2.Resize(roi, expected, new Size(56, 56), 0, 0, InterpolationFlags.Linear);
        var reference = FaceTestImages.Bytes(expected);
        for (var i = 0; i < destination.Length; i++)
        {
            Assert.IsLessThanOrEqualTo(1, Math.Abs(destination[i] - reference[i]), $"byte {i}");
        }
    }

    [TestMethod]
    public void ResizeCrop_KeepsALinearRampLinear_AndFlipMirrorsIt()
    {
        // A horizontal ramp 0, 10, 20, ... stays exact under bilinear 2x enlargement away from the edges.
        var source = new byte[8 * 2 * 3];
        for (var y = 0; y < 2; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                source[(((y * 8) + x) * 3) + 1] = (byte)(10 * x);
            }
        }

        var plain = new byte[16 * 2 * 3];
        var mirrored = new byte[16 * 2 * 3];
        ImageOps.ResizeCrop(source, 8, 2, 0, 0, 8, 2, flip: false, plain, 16, 2);
        ImageOps.ResizeCrop(source, 8, 2, 0, 0, 8, 2, flip: true, mirrored, 16, 2);

        // Output x samples input (x + 0.5) / 2 - 0.5, so value 10 * that = 5 x - 2.5 (rounded up).
        for (var x = 1; x < 15; x++)
        {
            Assert.AreEqual((byte)((5 * x) - 2), plain[(x * 3) + 1], $"x = {x}");
            Assert.AreEqual(plain[(x * 3) + 1], mirrored[((15 - x) * 3) + 1]);
        }

        Assert.AreEqual(0, plain[1]);
        Assert.AreEqual(70, plain[(15 * 3) + 1]);
    }

    [TestMethod]
    public void ResizeCrop_FlippedIsTheExactMirrorOfUnflipped()
    {
        using var image = FaceTestImages.RandomBgr(37, 29, seed: 12);
        var source = FaceTestImages.Bytes(image);
        var plain = new byte[45 * 31 * 3];
        var flipped = new byte[plain.Length];

        ImageOps.ResizeCrop(source, 37, 29, 6, 2, 31, 27, flip: false, plain, 45, 31);
        ImageOps.ResizeCrop(source, 37, 29, 6, 2, 31, 27, flip: true, flipped, 45, 31);

        for (var y = 0; y < 31; y++)
        {
            for (var x = 0; x < 45; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    Assert.AreEqual(plain[(((y * 45) + x) * 3) + c], flipped[(((y * 45) + 44 - x) * 3) + c]);
                }
            }
        }
    }

    [TestMethod]
    public void Shift_MovesPixelsAndFillsTheUncoveredBorder()
    {
        var source = new byte[4 * 3 * 3];
        for (var p = 0; p < 12; p++)
        {
            source[3 * p] = (byte)(p + 1);
        }

        var shifted = new byte[source.Length];
        ImageOps.Shift(source, 4, 3, offsetX: 1, offsetY: -1, flip: false, shifted, 4, 3, (99, 0, 0));

        // Row 0 comes from row -1 (fill); row 1 from row 0 shifted left by one: 2, 3, 4, fill.
        CollectionAssert.AreEqual(new byte[] { 99, 99, 99, 99, 2, 3, 4, 99, 6, 7, 8, 99 }, RedChannel(shifted));

        var flipped = new byte[source.Length];
        ImageOps.Shift(source, 4, 3, offsetX: 1, offsetY: -1, flip: true, flipped, 4, 3, (99, 0, 0));
        CollectionAssert.AreEqual(new byte[] { 99, 99, 99, 99, 99, 4, 3, 2, 99, 8, 7, 6 }, RedChannel(flipped));
    }

    [TestMethod]
    public void FillRectangle_TouchesExactlyTheRectangle()
    {
        var image = new byte[10 * 8 * 3];
        ImageOps.FillRectangle(image, 10, 8, 2, 3, 4, 2, (1, 2, 3));
        var filled = 0;
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 10; x++)
            {
                var inside = x is >= 2 and < 6 && y is >= 3 and < 5;
                var o = ((y * 10) + x) * 3;
                Assert.AreEqual(inside ? (byte)1 : (byte)0, image[o]);
                Assert.AreEqual(inside ? (byte)3 : (byte)0, image[o + 2]);
                filled += inside ? 1 : 0;
            }
        }

        Assert.AreEqual(8, filled);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageOps.FillRectangle(image, 10, 8, 8, 0, 4, 2, (0, 0, 0)));
    }

    private static byte[] RedChannel(byte[] rgb) => [.. rgb.Where((_, i) => i % 3 == 0)];
}
