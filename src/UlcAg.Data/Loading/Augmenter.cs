namespace UlcAg.Data.Loading;

/// <summary>
/// Applies <see cref="AugmentOptions"/> to one H x W x 3 image. Draws its random numbers in a fixed
/// order from the generator it is given, so a sample's augmentation depends only on that generator's seed.
/// Stateless apart from the options; safe to share between threads.
/// </summary>
internal sealed class Augmenter
{
    private const int MaxAttempts = 10;

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

    public void Apply(ReadOnlySpan<byte> source, Span<byte> destination, ref LoaderRandom rng)
    {
        var flip = rng.NextDouble() < _options.FlipProbability;
        switch (_options.Crop)
        {
            case CropMode.RandomResizedCrop:
                var (x, y, w, h) = SampleCrop(ref rng);
                ImageOps.ResizeCrop(source, _width, _height, x, y, w, h, flip, destination, _width, _height);
                break;
            case CropMode.PadCrop:
                var p = _options.CropPadding;
                var dx = rng.NextInt((2 * p) + 1) - p;
                var dy = rng.NextInt((2 * p) + 1) - p;
                ImageOps.Shift(source, _width, _height, dx, dy, flip, destination, _width, _height, (0, 0, 0));
                break;
            default:
                ImageOps.Shift(source, _width, _height, 0, 0, flip, destination, _width, _height, (0, 0, 0));
                break;
        }

        if (rng.NextDouble() < _options.EraseProbability)
        {
            Erase(destination, ref rng);
        }
    }

    // Random resized crop (Szegedy et al. 2015, as torchvision samples it): area fraction uniform in
    // the scale range, aspect ratio log-uniform; up to 10 tries, else the largest centred crop whose
    // ratio lies in range.
    private (int X, int Y, int W, int H) SampleCrop(ref LoaderRandom rng)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (w, h) = DrawSides(ref rng, _options.CropScaleMin, _options.CropScaleMax, _options.CropRatioMin, _options.CropRatioMax);
            if (w > 0 && h > 0 && w <= _width && h <= _height)
            {
                return (rng.NextInt(_width - w + 1), rng.NextInt(_height - h + 1), w, h);
            }
        }

        var imageRatio = (double)_width / _height;
        int cw, ch;
        if (imageRatio < _options.CropRatioMin)
        {
            cw = _width;
            ch = Math.Clamp((int)Math.Round(cw / _options.CropRatioMin), 1, _height);
        }
        else if (imageRatio > _options.CropRatioMax)
        {
            ch = _height;
            cw = Math.Clamp((int)Math.Round(ch * _options.CropRatioMax), 1, _width);
        }
        else
        {
            (cw, ch) = (_width, _height);
        }

        return ((_width - cw) / 2, (_height - ch) / 2, cw, ch);
    }

    // Random erasing (Zhong et al. 2020): one rectangle, area fraction uniform, height/width ratio
    // log-uniform; up to 10 tries to fit, else nothing is erased.
    private void Erase(Span<byte> image, ref LoaderRandom rng)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The erasing ratio is height / width.
            var (h, w) = DrawSides(ref rng, _options.EraseAreaMin, _options.EraseAreaMax, _options.EraseRatioMin, _options.EraseRatioMax);
            if (w <= 0 || h <= 0 || w >= _width || h >= _height)
            {
                continue;
            }

            var x = rng.NextInt(_width - w + 1);
            var y = rng.NextInt(_height - h + 1);
            if (_options.EraseRandomFill)
            {
                var noise = w * h * 3 <= 65536 ? stackalloc byte[w * h * 3] : new byte[w * h * 3];
                for (var i = 0; i < noise.Length; i += 8)
                {
                    var bits = rng.NextUInt64();
                    for (var k = 0; k < 8 && i + k < noise.Length; k++)
                    {
                        noise[i + k] = (byte)(bits >> (8 * k));
                    }
                }

                ImageOps.CopyIntoRectangle(image, _width, _height, x, y, w, h, noise);
            }
            else
            {
                ImageOps.FillRectangle(image, _width, _height, x, y, w, h, _options.EraseColor);
            }

            return;
        }
    }

    // Sides (a, b) of a rectangle whose area is a uniform fraction in [areaMin, areaMax] of the image
    // and whose ratio a / b is log-uniform in [ratioMin, ratioMax].
    private (int A, int B) DrawSides(ref LoaderRandom rng, double areaMin, double areaMax, double ratioMin, double ratioMax)
    {
        var target = (double)_width * _height * rng.Uniform(areaMin, areaMax);
        var ratio = Math.Exp(rng.Uniform(Math.Log(ratioMin), Math.Log(ratioMax)));
        return ((int)Math.Round(Math.Sqrt(target * ratio)), (int)Math.Round(Math.Sqrt(target / ratio)));
    }
}
