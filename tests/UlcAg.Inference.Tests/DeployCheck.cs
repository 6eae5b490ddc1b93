using System.ComponentModel;
using System.Diagnostics;

namespace UlcAg.Inference.Tests;

/// <summary>
/// The deploy examples outside .NET (tools/deploy-check) and the programs they run in: Node.js,
/// and a Python 3 with OpenCV (Debian's python3-opencv). A test whose program is missing is
/// inconclusive, with the reason and how to install it.
/// </summary>
internal static class DeployCheck
{
    private static readonly Lazy<(string? Python, string? Version, string? Missing)> OpenCvPython = new(FindOpenCvPython);

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

    /// <summary>tools/deploy-check: the JavaScript and the Python (OpenCV) examples of docs/deploy.md.</summary>
    public static string Folder => Path.Combine(RepoRoot(), "tools", "deploy-check");

    /// <summary>The Python OpenCV example, tools/deploy-check/classify_opencv.py.</summary>
    public static string OpenCvExample => Path.Combine(Folder, "classify_opencv.py");

    /// <summary>
    /// A Python 3 that imports cv2: <c>python3</c> on the PATH, else Debian's <c>/usr/bin/python3</c>
    /// (python3-opencv installs there, and a PATH may put another Python first). Inconclusive when
    /// there is no Python 3 or none of them has cv2.
    /// </summary>
    /// <returns>The Python and its OpenCV version, e.g. 4.6.0.</returns>
    public static (string Python, string OpenCvVersion) RequireOpenCvPython()
    {
        var (python, version, missing) = OpenCvPython.Value;
        if (python is null || version is null)
        {
            Assert.Inconclusive(missing ?? "Skipped: no Python 3 with cv2.");
        }

        return (python!, version!);
    }

    /// <summary>Runs <paramref name="program"/>; inconclusive with <paramref name="missing"/> when it cannot start; fails unless it exits with 0.</summary>
    /// <returns>The lines of its standard output.</returns>
    public static string[] Run(string program, IEnumerable<string> args, string workingDirectory, string missing)
    {
        var (code, output, errors) = TryRun(program, args, workingDirectory);
        if (code is null)
        {
            Assert.Inconclusive(missing);
        }

        Assert.AreEqual(0, code, $"{program} {string.Join(' ', args)} failed:\n{errors}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs a program to its end; a null exit code when it is not installed.</summary>
    private static (int? ExitCode, string Output, string Errors) TryRun(string program, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
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

    /// <summary>The first Python 3 that imports cv2 and its OpenCV version, or why none does.</summary>
    private static (string? Python, string? Version, string? Missing) FindOpenCvPython()
    {
        var tried = new List<string>();
        foreach (var python in new[] { "python3", "/usr/bin/python3" })
        {
            var (code, output, errors) = TryRun(python, ["-c", "import cv2; print(cv2.__version__)"], Path.GetTempPath());
            if (code == 0)
            {
                return (python, output.Trim(), null);
            }

            tried.Add(code is null ? $"{python}: not found" : $"{python}: {errors.Trim().Split('\n')[^1]}");
        }

        return (null, null, $"Skipped: no Python 3 with OpenCV's cv2 module ({string.Join("; ", tried)}); install it with `apt-get install python3-opencv` (tools/install-deps.sh does).");
    }
}
