using System.Text;

namespace UlcAg.Training.Config;

/// <summary>The <c>--help</c> text of <c>dotnet ulcag-train</c>: usage, options, presets, exit codes.</summary>
public static class TrainHelp
{
    private const int LineWidth = 100;

    /// <summary>The help text listing <paramref name="presets"/>.</summary>
    public static string Text(IReadOnlyList<Preset> presets)
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: dotnet ulcag-train [options]");
        text.AppendLine();
        text.AppendLine("Trains a facial-expression recognizer with ULC-AG (or a comparison method) and");
        text.AppendLine("exports it as an ONNX model. The configuration is built in layers, later wins:");
        text.AppendLine("built-in defaults <- --config files in order <- --set and shortcut options in order.");
        text.AppendLine($"Without --config and --resume the '{TrainCommandLine.DefaultPreset}' preset is used.");
        text.AppendLine();
        text.AppendLine("Options:");
        var rows = TrainCommandLine.Options.Select(o => (
            Left: (o.Short is null ? "    " : o.Short + ", ") + o.Name + (o.Value is null ? "" : " " + o.Value),
            Right: o.Key is null ? o.Help : $"{o.Help} Same as --set {o.Key}=...")).ToList();
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, right) in rows)
        {
            var lines = Wrap(right, LineWidth - 2 - width);
            text.Append("  ").Append(left.PadRight(width)).AppendLine(lines[0]);
            foreach (var line in lines.Skip(1))
            {
                text.Append(' ', 2 + width).AppendLine(line);
            }
        }

        text.AppendLine();
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
        text.AppendLine($"Exit codes: {TrainExitCodes.Success} done, {TrainExitCodes.Failed} training failed, {TrainExitCodes.Usage} bad arguments or configuration,");
        text.AppendLine($"{TrainExitCodes.NonFiniteLoss} the loss became NaN or infinite, {TrainExitCodes.Interrupted} stopped by Ctrl-C.");
        text.AppendLine("Every configuration key is described in docs/configuration.md.");
        return text.ToString();
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string> { "" };
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > width)
            {
                lines.Add("");
            }

            lines[^1] = lines[^1].Length == 0 ? word : lines[^1] + " " + word;
        }

        return lines;
    }
}
