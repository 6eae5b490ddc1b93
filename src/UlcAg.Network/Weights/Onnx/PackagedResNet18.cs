namespace UlcAg.Network.Weights.Onnx;

/// <summary>
/// The default pretrained backbone: the ImageNet ResNet-18 from NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (a CNTK 2.6 ONNX export, opset 8). The build
/// copies the package's <c>DnnImageModels/</c> folder next to every application that references
/// UlcAg.Network; it is found relative to <see cref="AppContext.BaseDirectory"/>.
/// </summary>
public static class PackagedResNet18
{
    /// <summary>The NuGet package that ships the model.</summary>
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>Folder of the packaged models in the build output.</summary>
    public static string ModelDirectory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>The backbone: input <c>Input247</c> [1, 3, 224, 224], output 512 x 1 x 1.</summary>
    public static string ModelPath => Path.Combine(ModelDirectory, "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The preprocessing model: RGB 0-255 in, BGR minus the mean image out.</summary>
    public static string PreprocessPath => Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>Reads the backbone's weights under torchvision names.</summary>
    /// <exception cref="WeightsException">The model file is missing or does not have the expected structure.</exception>
    public static ImportedBackbone LoadBackbone() => ResNetOnnxImporter.Import(Require(ModelPath));

    /// <summary>Reads the input convention (channel order and mean image).</summary>
    /// <exception cref="WeightsException">The preprocessing file is missing or does not have the expected structure.</exception>
    public static ImageInputConvention LoadInputConvention() => ResNetPreprocessReader.Read(Require(PreprocessPath));

    private static string Require(string path) =>
        File.Exists(path)
            ? path
            : throw new WeightsException(
                $"The packaged ResNet-18 file '{path}' is missing. It comes from NuGet package {PackageId}, whose build props copy " +
                "DnnImageModels/ into the output of UlcAg.Network and of every project referencing it; restore and rebuild.");
}
