using System.ComponentModel;
using System.Diagnostics;

namespace UlcAg.Inference.Tests;

/// <summary>
/// The deploy examples outside .NET (tools/deploy-check) and the programs they run in: Node.js,
/// and a Python 3 with OpenCV (Debian's python3-opencv) and, for the ONNX Runtime example, Pillow
/// (python3-pil). A test whose program is missing is inconclusive, with the reason and how to
/// install it.
/// </summary>
internal static class DeployCheck
{
    private static readonly Lazy<FoundPython> OpenCvPython =
        new(() => FindPython("import cv2; print(cv2.__version__)", "OpenCV's cv2 module", "python3-opencv"));

    private static readonly Lazy<FoundPython> PillowPython = new(() => FindPython(
        "import cv2, numpy, PIL; print(f'OpenCV {cv2.__version__}, numpy {numpy.__version__}, Pillow {PIL.__version__}')",
        "cv2, numpy and PIL (Pillow)",
        "python3-opencv python3-pil"));

    /// <summary>The repository's root folder (the one holding UlcAg.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UlcAg.sln")))
            {
                return dir.FullName;
            }
        }

        throw new AssertFailedException($"no UlcAg.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>tools/deploy-check: the JavaScript and the two Python examples of docs/deploy.md.</summary>
    public static string Folder => Path.Combine(RepoRoot(), "tools", "deploy-check");

    /// <summary>The Python OpenCV example, tools/deploy-check/classify_opencv.py.</summary>
    public static string OpenCvExample => Path.Combine(Folder, "classify_opencv.py");

    /// <summary>The Python ONNX Runtime example, tools/deploy-check/classify.py.</summary>
    public static string OnnxRuntimeExample => Path.Combine(Folder, "classify.py");

    /// <summary>
    /// tools/deploy-check/ort_standin: a Python package <c>onnxruntime</c> backed by OpenCV's DNN module,
    /// with only the calls <see cref="OnnxRuntimeExample"/> makes (Debian 12 has no onnxruntime for Python).
    /// </summary>
    public static string OnnxRuntimeStandIn => Path.Combine(Folder, "ort_standin");

    /// <summary>
    /// A Python 3 that imports cv2: <c>python3</c> on the PATH, else Debian's <c>/usr/bin/python3</c>
    /// (python3-opencv installs there, and a PATH may put another Python first). Inconclusive when
    /// there is no Python 3 or none of them has cv2.
    /// </summary>
    /// <returns>The Python and its OpenCV version, e.g. 4.6.0.</returns>
    public static (string Python, string OpenCvVersion) RequireOpenCvPython() => Require(OpenCvPython.Value);

    /// <summary>
    /// A Python 3 that imports cv2, numpy and PIL (Pillow), looked for as <see cref="RequireOpenCvPython"/>
    /// does; inconclusive when there is none.
    /// </summary>
    /// <returns>The Python and its OpenCV, numpy and Pillow versions.</returns>
    public static (string Python, string Versions) RequirePillowPython() => Require(PillowPython.Value);

    /// <summary>
    /// Runs <paramref name="program"/>, with <paramref name="environment"/> added to its environment;
    /// inconclusive with <paramref name="missing"/> when it cannot start; fails unless it exits with 0.
    /// </summary>
    /// <returns>The lines of its standard output.</returns>
    public static string[] Run(string program, IEnumerable<string> args, string workingDirectory, string missing, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, output, errors) = TryRun(program, args, workingDirectory, environment);
        if (code is null)
        {
            Assert.Inconclusive(missing);
        }

        Assert.AreEqual(0, code, $"{program} {string.Join(' ', args)} failed:\n{errors}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs a program to its end; a null exit code when it is not installed.</summary>
    private static (int? ExitCode, string Output, string Errors) TryRun(
        string program, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return (null, "", "");
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, errors.Result);
        }
    }

    private static (string Python, string Version) Require(FoundPython found)
    {
        if (found.Python is null || found.Version is null)
        {
            Assert.Inconclusive(found.Missing);
        }

        return (found.Python!, found.Version!);
    }

    /// <summary>
    /// The first Python 3 (on the PATH, else /usr/bin/python3) that runs <paramref name="probe"/>, with
    /// what it printed, or why none does: which <paramref name="modules"/> are missing and the Debian
    /// <paramref name="packages"/> that install them.
    /// </summary>
    private static FoundPython FindPython(string probe, string modules, string packages)
    {
        var tried = new List<string>();
        foreach (var python in new[] { "python3", "/usr/bin/python3" })
        {
            var (code, output, errors) = TryRun(python, ["-c", probe], Path.GetTempPath());
            if (code == 0)
            {
                return new FoundPython(python, output.Trim(), "");
            }

            tried.Add(code is null ? $"{python}: not found" : $"{python}: {errors.Trim().Split('\n')[^1]}");
        }

        return new FoundPython(null, null, $"Skipped: no Python 3 with {modules} ({string.Join("; ", tried)}); install with `apt-get install {packages}` (tools/install-deps.sh does).");
    }

    /// <summary>A Python and what its probe printed (versions), or null and why there is none.</summary>
    private sealed record FoundPython(string? Python, string? Version, string Missing);
}
