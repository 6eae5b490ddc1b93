namespace UlcAg.Data.Faces;

/// <summary>
/// The SSD anchors of a BlazeFace model, as MediaPipe's <c>SsdAnchorsCalculator</c> builds them for
/// its face detection graphs: four layers, one aspect ratio (1) plus the interpolated scale, so two
/// anchors per layer and cell; layers that share a stride share one feature map, so the short-range
/// model (128 px, strides 8, 16, 16, 16) has a 16 x 16 map with 2 anchors per cell and an 8 x 8 map
/// with 6, and the full-range model (256 px, strides 16, 32, 32, 32) the same counts at twice the
/// stride. Anchors sit at cell centres (offset 0.5) and have a fixed unit size
/// (<c>fixed_anchor_size</c>), so only their centres matter.
/// </summary>
internal sealed class BlazeFaceAnchors
{
    private const int AnchorsPerLayer = 2;

    private BlazeFaceAnchors(int inputSize, IReadOnlyList<FeatureMap> maps)
    {
        InputSize = inputSize;
        Maps = maps;
    }

    /// <summary>Side of the square model input in pixels.</summary>
    public int InputSize { get; }

    /// <summary>The feature maps in output order (finest first); the models output one score and one box tensor per map.</summary>
    public IReadOnlyList<FeatureMap> Maps { get; }

    /// <summary>Anchors of the model with a square input of <paramref name="inputSize"/> pixels (128 or 256).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a BlazeFace input size.</exception>
    public static BlazeFaceAnchors ForInputSize(int inputSize) => inputSize switch
    {
        128 => Build(inputSize, [8, 16, 16, 16]),
        256 => Build(inputSize, [16, 32, 32, 32]),
        _ => throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "BlazeFace models take 128 or 256 pixel inputs"),
    };

    /// <summary>MediaPipe's grouping: consecutive layers with the same stride become one map.</summary>
    internal static BlazeFaceAnchors Build(int inputSize, IReadOnlyList<int> strides)
    {
        var maps = new List<FeatureMap>();
        for (var layer = 0; layer < strides.Count;)
        {
            var stride = strides[layer];
            var perCell = 0;
            while (layer < strides.Count && strides[layer] == stride)
            {
                perCell += AnchorsPerLayer;
                layer++;
            }

            maps.Add(new FeatureMap((inputSize + stride - 1) / stride, perCell));
        }

        return new BlazeFaceAnchors(inputSize, maps);
    }

    /// <summary>
    /// One feature map: <see cref="Cells"/> x <see cref="Cells"/> cells, <see cref="PerCell"/> anchors in
    /// each, ordered row by row, then column, then anchor.
    /// </summary>
    internal readonly record struct FeatureMap(int Cells, int PerCell)
    {
        /// <summary>Anchors in this map.</summary>
        public int Count => Cells * Cells * PerCell;

        /// <summary>Centre of anchor <paramref name="index"/> in input pixels.</summary>
        public (float X, float Y) Centre(int index, int inputSize)
        {
            var cell = index / PerCell;
            var step = (float)inputSize / Cells;
            return (((cell % Cells) + 0.5f) * step, ((cell / Cells) + 0.5f) * step);
        }
    }
}
