namespace UlcAg.Inference;

/// <summary>Finds the model to run: the one given, or the newest <c>model.onnx</c> that training wrote.</summary>
public static class ModelLocator
{
    /// <summary>The file name of the uint8 export in a run folder.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>Where training writes its runs, relative to the working directory.</summary>
    public static readonly string RunsFolder = Path.Combine("artifacts", "runs");

    /// <summary>The most recently written <c>model.onnx</c> anywhere under <paramref name="root"/>, or null when there is none.</summary>
    public static string? FindNewest(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            return null;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive };
        return new DirectoryInfo(root).EnumerateFiles(ModelFileName, options)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.FullName, StringComparer.Ordinal)
            .FirstOrDefault()?.FullName;
    }

    /// <summary>
    /// The model file to use: <paramref name="given"/> when it is a file; the newest <c>model.onnx</c>
    /// under it when it is a folder; with nothing given, the newest under
    /// <paramref name="workingDirectory"/>/artifacts/runs.
    /// </summary>
    /// <exception cref="ModelNotFoundException">Nothing was found; the message says how to train a model.</exception>
    public static string Resolve(string? given, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(workingDirectory);
        if (given is not null)
        {
            var full = Path.GetFullPath(given, workingDirectory);
            if (File.Exists(full))
            {
                return full;
            }

            if (Directory.Exists(full))
            {
                return FindNewest(full) ?? throw new ModelNotFoundException($"The folder '{given}' holds no {ModelFileName}.");
            }

            throw new ModelNotFoundException($"Model file '{given}' does not exist.");
        }

        var runs = Path.Combine(workingDirectory, RunsFolder);
        return FindNewest(runs) ?? throw new ModelNotFoundException(
            $"No trained model found: '{runs}' holds no {ModelFileName}. Train one with `dotnet ulcag-train` " +
            $"(it exports {RunsFolder}/<run>/{ModelFileName}), or pass --model PATH.");
    }
}
