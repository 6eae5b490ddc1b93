using System.Globalization;
using System.Text;
using UlcAg.Training.Config;

namespace UlcAg.Train.Cli;

/// <summary>The part of <c>dotnet ulcag-train --help</c> after the options: presets, examples, exit codes.</summary>
internal static class TrainHelp
{
    /// <summary>The sections, listing <paramref name="presets"/>.</summary>
    public static string Epilogue(IReadOnlyList<Preset> presets)
    {
        var text = new StringBuilder();
        text.AppendLine("Presets (--config NAME; combine a dataset preset with a method preset, e.g. --config rafdb --config scn):");
        if (presets.Count == 0)
        {
            text.AppendLine("  (none installed)");
        }

        var nameWidth = presets.Count == 0 ? 0 : presets.Max(p => p.Name.Length) + 2;
        foreach (var preset in presets)
        {
            text.Append("  ").Append(preset.Name.PadRight(nameWidth)).AppendLine(preset.Description);
        }

        text.AppendLine();
        text.AppendLine("Examples:");
        text.AppendLine("  dotnet ulcag-train                                   the demo: synthetic faces, 20% label noise");
        text.AppendLine("  dotnet ulcag-train --config demo --config baseline   the demo without ULC-AG");
        text.AppendLine("  dotnet ulcag-train --config rafdb --data-root data/RAF-DB --set data.au.path=data/RAF-DB/AU");
        text.AppendLine("  dotnet ulcag-train --set data.noise.rate=0.3 --epochs 4 --print-config");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Exit codes: {TrainExitCodes.Success} done, {TrainExitCodes.Failed} training failed, {TrainExitCodes.Usage} bad arguments or configuration,");
        text.AppendLine(CultureInfo.InvariantCulture, $"{TrainExitCodes.Diverged} training diverged (no model written), {TrainExitCodes.Interrupted} stopped by Ctrl-C.");
        text.AppendLine("Every configuration key is described in docs/configuration.md.");
        return text.ToString();
    }
}
