using System.Globalization;
using System.Text.Json;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// Writes the synthetic dataset to disk in RAF-DB's basic layout, so the regular RAF-DB adapter
/// and OpenFace AU reader load it like the real thing. Images are written in parallel as they are
/// rendered; every file is written atomically.
/// </summary>
public static class SyntheticDatasetWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Writes both splits under <paramref name="root"/> and returns the image descriptions (training first).</summary>
    public static IReadOnlyList<SyntheticFaceInfo> Write(SyntheticFaceGenerator generator, string root, int maxDegreeOfParallelism = -1)
    {
        var full = Path.GetFullPath(root);
        foreach (var dir in new[] { "EmoLabel", SyntheticDatasetLayout.AlignedImages, "AU" })
            CreateDirectory(Path.Combine(full, dir));
        var imageDir = Path.Combine(full, SyntheticDatasetLayout.AlignedImages);

        var infos = new List<SyntheticFaceInfo>();
        foreach (var split in new[] { SynthSplit.Train, SynthSplit.Test })
        {
            var part = new SyntheticFaceInfo[generator.Count(split)];
            Parallel.For(0, part.Length, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i =>
            {
                var face = generator.Generate(split, i);
                SyntheticFiles.WriteBytes(Path.Combine(imageDir, face.Info.AlignedFileName), face.Jpeg);
                part[i] = face.Info;
            });
            infos.AddRange(part);
        }

        SyntheticFiles.WriteLines(Path.Combine(full, SyntheticDatasetLayout.LabelList),
            infos.Select(f => $"{f.FileName} {(int)f.Label + 1}"));
        OpenFaceAuCsv.Write(Path.Combine(full, SyntheticDatasetLayout.PseudoAus), infos.Select(f => (f.FileName, f.PseudoAus)));
        OpenFaceAuCsv.Write(Path.Combine(full, SyntheticDatasetLayout.TrueAus), infos.Select(f => (f.FileName, AuDetection.Exact(f.TrueAus))));
        SyntheticFiles.WriteLines(Path.Combine(full, SyntheticDatasetLayout.Details),
            infos.Select(f => string.Join(',', f.FileName, f.Label, f.BlendedWith?.ToString() ?? "",
                    f.BlendRatio.ToString("0.000", CultureInfo.InvariantCulture), f.Spec.Scene.Occlusion))
                .Prepend("file,label,blended_with,blend_ratio,occlusion"));
        SyntheticFiles.WriteLines(Path.Combine(full, SyntheticDatasetLayout.Options),
            [JsonSerializer.Serialize(generator.Options, JsonOptions)]);
        return infos;
    }

    private static void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SyntheticDataException($"Could not create the synthetic dataset folder '{path}': {e.Message}", e);
        }
    }
}
