using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace UlcAg.Runtime;

/// <summary>Where ONNX Runtime executes: the CPU, or CUDA device <see cref="Index"/>.</summary>
public sealed record Device(bool IsCuda, int Index = 0)
{
    public static Device Cpu { get; } = new(false);

    /// <summary>Parses "cpu", "cuda" (device 0) or "cuda:N" (N = 0, 1, ...), ignoring case.</summary>
    /// <exception cref="DeviceException">The text is not a device.</exception>
    public static Device Parse(string text) =>
        TryParse(text, out var device) ? device : throw new DeviceException($"unknown device '{text}': expected cpu, cuda or cuda:N");

    /// <summary>Reads "cpu", "cuda" (device 0) or "cuda:N" (N = 0, 1, ...), ignoring case; false for anything else.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Device? device)
    {
        var t = text.Trim().ToLowerInvariant();
        device = t switch
        {
            "cpu" => Cpu,
            "cuda" => new Device(true),
            _ when t.StartsWith("cuda:", StringComparison.Ordinal) && t.Length > 5 && t.Skip(5).All(char.IsAsciiDigit)
                && int.TryParse(t.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) => new Device(true, index),
            _ => null,
        };
        return device is not null;
    }

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";

    /// <summary>
    /// How graphs run on this device should emit convolutions: lowered to NHWC gathers and
    /// GEMMs on the CPU (ONNX Runtime's CPU Conv runs one small GEMM per image; the lowered
    /// ResNet-18 train step is about 1.3x faster, docs/BENCHMARKS.md), ONNX Conv on CUDA (cuDNN).
    /// Set it on the <see cref="UlcAg.Graph.GraphBuilder"/> before building the graph.
    /// </summary>
    public UlcAg.Graph.ConvLowering PreferredConvLowering => IsCuda ? UlcAg.Graph.ConvLowering.None : UlcAg.Graph.ConvLowering.NhwcGemm;

    /// <summary>
    /// Session options for this device. For CUDA, a clear <see cref="DeviceException"/> names
    /// what is missing when the provider cannot be loaded.
    /// </summary>
    public SessionOptions CreateSessionOptions(int threads = 0)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (!IsCuda) return options;
        if (!BuildHasCuda)
        {
            // The CPU package has no CUDA provider at all: missing CUDA libraries are not the reason.
            options.Dispose();
            throw new DeviceException($"cannot use device {this}: this build of UlcAg has no GPU support (it runs the CPU package of ONNX Runtime); " +
                "build with the GPU package (bash tools/setup.sh -p:UlcAgGpu=true) or use --device cpu");
        }
        try
        {
            options.AppendExecutionProvider_CUDA(Index);
            return options;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            options.Dispose();
            throw new DeviceException(CudaUnavailableMessage(e.Message));
        }
    }

    /// <summary>Whether this build runs the GPU package of ONNX Runtime (the CPU package has no CUDA provider).</summary>
    public static bool BuildHasCuda => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    /// <summary>Which of the CUDA 13 / cuDNN 9 libraries that ONNX Runtime GPU 1.31 links cannot be loaded here.</summary>
    public static IReadOnlyList<string> MissingCudaLibraries()
    {
        string[] libraries = ["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcudnn.so.9", "libcufft.so.12"];
        var missing = new List<string>();
        foreach (var lib in libraries)
        {
            if (NativeLibrary.TryLoad(lib, out var handle)) NativeLibrary.Free(handle);
            else missing.Add(lib);
        }
        return missing;
    }

    private string CudaUnavailableMessage(string detail)
    {
        var missing = MissingCudaLibraries();
        var hint = missing.Count > 0
            ? $"missing libraries: {string.Join(", ", missing)} (ONNX Runtime GPU 1.31 needs CUDA 13 and cuDNN 9 on the library path)"
            : "the CUDA libraries load; check that UlcAg was built with the GPU package (dotnet build -p:UlcAgGpu=true) and that the GPU is visible";
        return $"cannot use device {this}: the CUDA execution provider did not load ({detail.Trim()}); {hint}";
    }
}

/// <summary>A device that cannot be used, with a message meant for the user.</summary>
public sealed class DeviceException(string message) : Exception(message);
