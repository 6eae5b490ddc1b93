using System.Runtime.InteropServices;
using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// Turns image files, raw pixel arrays and arbitrary Mats into 8-bit, 3-channel BGR Mats (OpenCV's
/// channel order), the one format the face pipeline works on.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes a sample's image source. The caller disposes the result.</summary>
    /// <exception cref="ImageDecodeException">The file is missing, empty or not a decodable image, or the pixel array is malformed.</exception>
    public static Mat Decode(ImageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source switch
        {
            ImageSource.File f => DecodeFile(f.Path),
            ImageSource.Pixels p => FromPixels(p),
            _ => throw new ArgumentException($"unknown image source type {source.GetType().Name}", nameof(source)),
        };
    }

    /// <summary>
    /// Reads and decodes an image file (any format OpenCV reads: JPEG, PNG, BMP, WebP, TIFF, ...).
    /// Grayscale becomes 3 gray channels, an alpha channel is dropped, 16-bit samples are scaled to
    /// 8 bits, and a JPEG's EXIF orientation is applied.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file is missing, empty or not a decodable image.</exception>
    public static Mat DecodeFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException(path, "the file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, $"the file cannot be read ({e.Message})", e);
        }

        if (bytes.Length == 0)
        {
            throw new ImageDecodeException(path, "the file is empty");
        }

        Mat image;
        try
        {
            // IMREAD_COLOR already yields 8-bit BGR from gray, BGRA and 16-bit inputs.
            image = Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            throw new ImageDecodeException(path, $"not a decodable image ({e.Message})", e);
        }

        if (image.Empty())
        {
            image.Dispose();
            throw new ImageDecodeException(path, "not a decodable image (corrupt or unsupported format; expected JPEG, PNG, BMP, WebP or TIFF)");
        }

        return image;
    }

    /// <summary>Copies raw 8-bit pixels (1 = gray, 3 = BGR channels) into a BGR Mat.</summary>
    /// <exception cref="ImageDecodeException">Dimensions or channel count do not match the data.</exception>
    public static Mat FromPixels(ImageSource.Pixels pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var what = $"raw pixels {pixels.Width}x{pixels.Height}x{pixels.Channels}";
        if (pixels.Width <= 0 || pixels.Height <= 0)
        {
            throw new ImageDecodeException(what, "width and height must be positive");
        }

        if (pixels.Channels is not (1 or 3))
        {
            throw new ImageDecodeException(what, "expected 1 (gray) or 3 (BGR) channels");
        }

        var expected = (long)pixels.Width * pixels.Height * pixels.Channels;
        if (pixels.Data.Length != expected)
        {
            throw new ImageDecodeException(what, $"expected {expected} bytes, got {pixels.Data.Length}");
        }

        using var raw = new Mat(pixels.Height, pixels.Width, pixels.Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
        Marshal.Copy(pixels.Data, 0, raw.Data, pixels.Data.Length);
        return ToBgr8(raw);
    }

    /// <summary>
    /// Converts any 1-, 3- or 4-channel Mat of depth 8U, 16U or 32F to a new 8-bit BGR Mat: gray is
    /// replicated, alpha dropped, 16-bit scaled by 255/65535, float taken as 0..1.
    /// </summary>
    public static Mat ToBgr8(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty())
        {
            throw new ArgumentException("the image is empty", nameof(image));
        }

        var depth = image.Depth();
        using var eight = new Mat();
        if (depth == MatType.CV_8U)
        {
            image.CopyTo(eight);
        }
        else if (depth == MatType.CV_16U)
        {
            image.ConvertTo(eight, MatType.MakeType(MatType.CV_8U, image.Channels()), 255.0 / 65535.0);
        }
        else if (depth == MatType.CV_32F || depth == MatType.CV_64F)
        {
            image.ConvertTo(eight, MatType.MakeType(MatType.CV_8U, image.Channels()), 255.0);
        }
        else
        {
            throw new ArgumentException($"unsupported pixel depth {image.Type()}; expected 8-bit, 16-bit or float", nameof(image));
        }

        var bgr = new Mat();
        switch (image.Channels())
        {
            case 1:
                Cv2.CvtColor(eight, bgr, ColorConversionCodes.GRAY2BGR);
                break;
            case 3:
                eight.CopyTo(bgr);
                break;
            case 4:
                Cv2.CvtColor(eight, bgr, ColorConversionCodes.BGRA2BGR);
                break;
            default:
                bgr.Dispose();
                throw new ArgumentException($"unsupported channel count {image.Channels()}; expected 1, 3 or 4", nameof(image));
        }

        return bgr;
    }
}
