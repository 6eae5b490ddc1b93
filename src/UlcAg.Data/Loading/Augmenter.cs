namespace UlcAg.Data.Loading;

/// <summary>
/// Applies <see cref="AugmentOptions"/> to one H x W x 3 image. Draws its random numbers in a fixed
/// order from the generator it is given, so a sample's augmentation depends only on that generator's seed.
/// Stateless apart from the options; safe to share between threads.
/// </summary>
internal sealed class Augmenter
{
    private const int MaxAttempts = 10;

    // Random resized crop: width/height ratio range (drawn log-uniformly), as torchvision's default.
    private const double CropRatioMin = 3.0 / 4.0;
    private const double CropRatioMax = 4.0 / 3.0;

    // Pad crop: padding on each side in pixels (the shift is uniform in [-padding, padding]).
    private const int CropPadding = 8;

    // Random erasing: area fraction and height/width ratio ranges, as torchvision's RandomErasing.
    private const double EraseAreaMin = 0.02;
    private const double EraseAreaMax = 0.25;
    private const double EraseRatioMin = 0.3;
    private const double EraseRatioMax = 3.3;

    // The ImageNet mean, which becomes 0 after the in-graph normalization: the same as erasing a normalized tensor with 0.
    private static readonly (byte R, byte G, byte B) EraseColor = (124, 116, 104);

    private readonly AugmentOptions _options;
    private readonly int _height;
    private readonly int _width;

    public Augmenter(AugmentOptions options, int height, int width)
    {
        options.Validate();
        _options = options;
        _height = height;
        _width = width;
    }

    public void Apply(ReadOnlySpan<byte> source, Span<byte> destination, SeededRandom rng)
    {
        // The flip draw is made whether or not flipping is on, so the crop and erase draws stay the same.
        var flip = rng.NextDouble() < (_options.Flip ? 0.5 : 0);
        switch (_options.Crop)
        {
            case CropMode.Resized:
                var (x, y, w, h) = SampleCrop(rng);
                ImageOps.ResizeCrop(source, _width, _height, x, y, w, h, flip, destination, _width, _height);
                break;
            case CropMode.Pad:
                const int p = CropPadding;
                var dx = rng.NextInt((2 * p) + 1) - p;
                var dy = rng.NextInt((2 * p) + 1) - p;
                ImageOps.Shift(source, _width, _height, dx, dy, flip, destination, _width, _height, (0, 0, 0));
                break;
            default:
                ImageOps.Shift(source, _width, _height, 0, 0, flip, destination, _width, _height, (0, 0, 0));
                break;
        }

        if (rng.NextDouble() < _options.Erase)
        {
            Erase(destination, rng);
        }
    }

    // Random resized crop (Szegedy et al. 2015, as torchvision samples it): area fraction uniform in
    // the scale range, aspect ratio log-uniform; up to 10 tries, else the largest centred crop whose
    // ratio lies in range.
    private (int X, int Y, int W, int H) SampleCrop(SeededRandom rng)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (w, h) = DrawSides(rng, _options.Scale[0], _options.Scale[1], CropRatioMin, CropRatioMax);
            if (w > 0 && h > 0 && w <= _width && h <= _height)
            {
                return (rng.NextInt(_width - w + 1), rng.NextInt(_height - h + 1), w, h);
            }
        }

        var imageRatio = (double)_width / _height;
        int cw, ch;
        if (imageRatio < CropRatioMin)
        {
            cw = _width;
            ch = Math.Clamp((int)Math.Round(cw / CropRatioMin), 1, _height);
        }
        else if (imageRatio > CropRatioMax)
        {
            ch = _height;
            cw = Math.Clamp((int)Math.Round(ch * CropRatioMax), 1, _width);
        }
        else
        {
            (cw, ch) = (_width, _height);
        }

        return ((_width - cw) / 2, (_height - ch) / 2, cw, ch);
    }

    // Random erasing (Zhong et al. 2020): one rectangle, area fraction uniform, height/width ratio
    // log-uniform; up to 10 tries to fit, else nothing is erased.
    private void Erase(Span<byte> image, SeededRandom rng)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The erasing ratio is height / width.
            var (h, w) = DrawSides(rng, EraseAreaMin, EraseAreaMax, EraseRatioMin, EraseRatioMax);
            if (w <= 0 || h <= 0 || w >= _width || h >= _height)
            {
                continue;
            }

            var x = rng.NextInt(_width - w + 1);
            var y = rng.NextInt(_height - h + 1);
            ImageOps.FillRectangle(image, _width, _height, x, y, w, h, EraseColor);
            return;
        }
    }

    // Sides (a, b) of a rectangle whose area is a uniform fraction in [areaMin, areaMax] of the image
    // and whose ratio a / b is log-uniform in [ratioMin, ratioMax].
    private (int A, int B) DrawSides(SeededRandom rng, double areaMin, double areaMax, double ratioMin, double ratioMax)
    {
        var target = (double)_width * _height * rng.Uniform(areaMin, areaMax);
        var ratio = Math.Exp(rng.Uniform(Math.Log(ratioMin), Math.Log(ratioMax)));
        return ((int)Math.Round(Math.Sqrt(target * ratio)), (int)Math.Round(Math.Sqrt(target / ratio)));
    }
}
