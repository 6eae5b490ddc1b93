using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using UlcAg.Runtime;
using UlcAg.Tools.TrainBench;

namespace UlcAg.Training.Tests;

/// <summary>
/// The GPU benchmark (tools/gpu-benchmark.sh, TrainBench --device cuda, tools/TrainBench/torch_train_bench.py)
/// where no GPU is: each part stops with its documented exit code and a message that says what is
/// missing, and PyTorch's script measures a tiny workload on the CPU. The measurement itself needs an
/// NVIDIA GPU; these checks take seconds.
/// </summary>
[TestClass]
public sealed class GpuBenchmarkTests
{
    private static readonly Lazy<(string? Python, bool Cuda, string Reason)> TorchPython = new(FindTorchPython);
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "ulcag-gpubench-" + Guid.NewGuid().ToString("N"));

    private static string Script => Path.Combine(ConfigTestFiles.RepoRoot, "tools", "gpu-benchmark.sh");

    private static string TorchScript => Path.Combine(ConfigTestFiles.RepoRoot, "tools", "TrainBench", "torch_train_bench.py");

    [TestInitialize]
    public void Init() => Directory.CreateDirectory(_temp);

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_temp, recursive: true);

    [TestMethod]
    public void TheScriptWithoutNvidiaSmiSaysThereIsNoGpu()
    {
        if (Run("sh", ["-c", "command -v nvidia-smi"]).ExitCode == 0) Assert.Inconclusive("nvidia-smi is installed here; the failing-nvidia-smi test covers the same path");
        var run = Run("bash", [Script]);
        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Errors, "no NVIDIA GPU here: nvidia-smi is not installed");
    }

    [TestMethod]
    public void TheScriptWhenNvidiaSmiFailsSaysThereIsNoGpu()
    {
        var bin = FakeProgram("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9");
        var run = Run("bash", [Script], bin);
        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Errors, "no NVIDIA GPU 0 here: nvidia-smi says: NVIDIA-SMI has failed");
    }

    [TestMethod]
    public void TheScriptWithAPythonWithoutPyTorchStopsBeforeBuilding()
    {
        var bin = FakeProgram("nvidia-smi", "echo '0, Some GPU, 16384 MiB, 580.00'");
        var python = Path.Combine(FakeProgram("python-without-torch", "echo \"ModuleNotFoundError: No module named 'torch'\" >&2; exit 1"), "python-without-torch");
        var run = Run("bash", [Script, "--python", python], bin);
        Assert.AreEqual(4, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Errors, "cannot import torch and torchvision: ModuleNotFoundError: No module named 'torch'");
        Assert.DoesNotContain("building", run.Output, "no build without a PyTorch to compare with");
    }

    [TestMethod]
    public void TheScriptWithACpuOnlyPyTorchSaysSo()
    {
        var python = RequireTorchPython(out var cuda);
        if (cuda) Assert.Inconclusive($"{python}'s PyTorch has CUDA");
        var bin = FakeProgram("nvidia-smi", "echo '0, Some GPU, 16384 MiB, 580.00'");
        var run = Run("bash", [Script, "--python", python], bin);
        Assert.AreEqual(4, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Errors, "cannot use CUDA GPU 0 (cuda available: False");
    }

    [TestMethod]
    [DataRow("--rounds", "0")]
    [DataRow("--res", "big")]
    [DataRow("--batch")]
    [DataRow("--frobnicate")]
    public void TheScriptRefusesBadArgumentsWithItsUsage(params string[] args)
    {
        var run = Run("bash", [Script, .. args]);
        Assert.AreEqual(2, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Errors, "usage: bash tools/gpu-benchmark.sh");
    }

    [TestMethod]
    public void TrainBenchOnCudaWithoutAGpuStopsWithTheTrainersMessage()
    {
        var cuda = new Device(true);
        string expected;
        try
        {
            cuda.CreateSessionOptions().Dispose();
            Assert.Inconclusive("CUDA can be used here: this checks machines without it");
            return;
        }
        catch (DeviceException e)
        {
            // The trainer writes "error: " and this message (UlcAgTrainer).
            expected = $"error: {e.Message}";
        }

        var trainBench = typeof(BenchOptions).Assembly.Location;
        var run = Run("dotnet", [trainBench, "--device", "cuda", "--res", "32", "--batch", "2", "--runs", "1", "--train-only"]);
        Assert.AreEqual(BenchOptions.DeviceUnavailableExitCode, run.ExitCode, run.ToString());
        Assert.AreEqual(3, BenchOptions.DeviceUnavailableExitCode, "the exit code docs/BENCHMARKS.md and gpu-benchmark.sh name");
        Assert.AreEqual(expected, run.Errors.Trim(), "one line, as the trainer says it, and no stack trace");
    }

    [TestMethod]
    public void ThePyTorchScriptMeasuresATinyStepOnTheCpu()
    {
        var python = RequireTorchPython(out _);
        var run = Run(python, [TorchScript, "--device", "cpu", "--res", "32", "--batch", "2", "--warmup", "1", "--steps", "2", "--threads", "1"]);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, run.Output);
        using var json = JsonDocument.Parse(lines[0]);
        var result = json.RootElement;
        Assert.AreEqual("pytorch", result.GetProperty("tool").GetString());
        Assert.AreEqual("cpu", result.GetProperty("device").GetString());
        Assert.AreEqual(32, result.GetProperty("res").GetInt32());
        Assert.AreEqual(2, result.GetProperty("batch").GetInt32());
        Assert.AreEqual(2, result.GetProperty("steps").GetInt32());
        Assert.IsGreaterThan(0.0, result.GetProperty("img_per_s").GetDouble());
        Assert.IsGreaterThanOrEqualTo(result.GetProperty("img_per_s").GetDouble(), result.GetProperty("fastest_img_per_s").GetDouble());
        Assert.IsTrue(double.IsFinite(result.GetProperty("loss").GetDouble()));
        Assert.IsGreaterThan(0.0, result.GetProperty("peak_rss_mib").GetDouble());
    }

    [TestMethod]
    public void ThePyTorchScriptOnCudaWithoutCudaSaysSo()
    {
        var python = RequireTorchPython(out var cuda);
        if (cuda) Assert.Inconclusive($"{python}'s PyTorch has CUDA");
        var run = Run(python, [TorchScript, "--device", "cuda", "--res", "32", "--batch", "2"]);
        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Errors, "cannot use device cuda: this PyTorch");
        Assert.AreEqual("", run.Output);
    }

    /// <summary>A folder holding an executable shell script <paramref name="name"/> that runs <paramref name="body"/>.</summary>
    private string FakeProgram(string name, string body)
    {
        var folder = Path.Combine(_temp, name + "-bin");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    /// <summary>A Python with torch and torchvision (inconclusive without one), and whether its PyTorch has CUDA.</summary>
    private static string RequireTorchPython(out bool cuda)
    {
        var (python, hasCuda, reason) = TorchPython.Value;
        if (python is null) Assert.Inconclusive(reason);
        cuda = hasCuda;
        return python!;
    }

    /// <summary>Debian's /usr/bin/python3 (python3-torch installs there), else python3 on the PATH, if it imports torch and torchvision.</summary>
    private static (string? Python, bool Cuda, string Reason) FindTorchPython()
    {
        var tried = new List<string>();
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            var run = Run(python, ["-c", "import torch, torchvision; print(torch.cuda.is_available())"]);
            if (run.ExitCode == 0) return (python, run.Output.Trim() == "True", "");
            tried.Add(run.ExitCode is null ? $"{python}: not found" : $"{python}: {run.Errors.Trim().Split('\n')[^1]}");
        }
        return (null, false, $"Skipped: no Python 3 with torch and torchvision ({string.Join("; ", tried)}); Debian: apt-get install python3-torch python3-torchvision");
    }

    /// <summary>Runs a program to its end, <paramref name="pathFirst"/> first on its PATH; a null exit code when it cannot start.</summary>
    private static ProcessRun Run(string program, IEnumerable<string> args, string? pathFirst = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (pathFirst is not null) start.Environment["PATH"] = $"{pathFirst}:{Environment.GetEnvironmentVariable("PATH")}";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return new ProcessRun(null, "", "");
        }

        using (process)
        {
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new ProcessRun(process.ExitCode, output, errors.Result);
        }
    }

    private sealed record ProcessRun(int? ExitCode, string Output, string Errors)
    {
        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
    }
}
