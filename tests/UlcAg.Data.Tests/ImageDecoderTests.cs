using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class ImageDecoderTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void DecodeFile_GrayscaleBecomesThreeEqualChannels() =>
        Assert.AreEqual(new Vec3b(77, 77, 77), WriteAndDecodeCentre(MatType.CV_8UC1, Scalar.All(77)));

    [TestMethod]
    public void DecodeFile_AlphaIsDroppedAndColorsKept() =>
        Assert.AreEqual(new Vec3b(10, 20, 30), WriteAndDecodeCentre(MatType.CV_8UC4, new Scalar(10, 20, 30, 128)));

    [TestMethod]
    public void DecodeFile_SixteenBitIsScaledToEightBit() =>
        Assert.AreEqual(new Vec3b(255, 100, 0), WriteAndDecodeCentre(MatType.CV_16UC3, new Scalar(65535, 257 * 100, 0)));

    [TestMethod]
    public void DecodeFile_CorruptEmptyOrMissing_NamesTheFile()
    {
        var dir = _temp.Path;
        var corrupt = Path.Combine(dir, "corrupt.jpg");
        File.WriteAllBytes(corrupt, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7]);
        var empty = Path.Combine(dir, "empty.png");
        File.WriteAllBytes(empty, []);
        var missing = Path.Combine(dir, "missing.png");

        foreach (var (path, reason) in new[] { (corrupt, "not a decodable image"), (empty, "empty"), (missing, "does not exist") })
        {
            var e = Assert.ThrowsExactly<ImageDecodeException>(() => ImageDecoder.DecodeFile(path));
            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, reason);
        }
    }

    [TestMethod]
    public void FromPixels_ChecksTheLengthAndConvertsGray()
    {
        using var gray = ImageDecoder.FromPixels(new ImageSource.Pixels([1, 2, 3, 4, 5, 6], 3, 2, 1));
        Assert.AreEqual(MatType.CV_8UC3, gray.Type());
        Assert.AreEqual(new Vec3b(6, 6, 6), gray.At<Vec3b>(1, 2));

        var e = Assert.ThrowsExactly<ImageDecodeException>(() => ImageDecoder.FromPixels(new ImageSource.Pixels(new byte[47], 48, 1, 1)));
        StringAssert.Contains(e.Message, "expected 48 bytes");
        Assert.ThrowsExactly<ImageDecodeException>(() => ImageDecoder.FromPixels(new ImageSource.Pixels(new byte[8], 2, 2, 2)));
    }

    [TestMethod]
    public void ToBgr8_ConvertsFloatAndBgra()
    {
        using var f = new Mat(4, 4, MatType.CV_32FC3, new Scalar(0, 0.5, 1));
        using var fromFloat = ImageDecoder.ToBgr8(f);
        Assert.AreEqual(new Vec3b(0, 128, 255), fromFloat.At<Vec3b>(1, 1));

        using var bgra = new Mat(4, 4, MatType.CV_8UC4, new Scalar(1, 2, 3, 4));
        using var fromBgra = ImageDecoder.ToBgr8(bgra);
        Assert.AreEqual(new Vec3b(1, 2, 3), fromBgra.At<Vec3b>(0, 0));
    }

    // Writes a uniform 8 x 8 PNG of the given type and value, decodes it, and returns its centre pixel.
    private Vec3b WriteAndDecodeCentre(MatType type, Scalar value)
    {
        var path = Path.Combine(_temp.Path, $"uniform{type.Value}.png");
        using (var written = new Mat(8, 8, type, value))
        {
            Cv2.ImWrite(path, written);
        }

        using var image = ImageDecoder.DecodeFile(path);
        Assert.AreEqual(MatType.CV_8UC3, image.Type());
        return image.At<Vec3b>(4, 4);
    }
}
