using System.Globalization;
using Spectre.Console;
using UlcAg.Inference;

namespace UlcAg.Infer.Cli;

/// <summary>The human-readable output: per image a heading and one table row per face.</summary>
internal static class TableReport
{
    /// <summary>Model, device and crop settings, printed once before the images.</summary>
    public static void WriteHeader(IAnsiConsole console, ExpressionModel model, string detector)
    {
        var c = model.Contract;
        console.MarkupLine(
            $"[grey]Model[/] {Markup.Escape(model.Path)} [grey]({Markup.Escape(c.Producer ?? "unknown producer")}, {c.Classes.Count} classes, " +
            $"{c.InputSize} px {c.PixelType.ToString().ToLowerInvariant()} {c.Layout.ToString().ToUpperInvariant()}, {model.Device}, faces: {Markup.Escape(detector)})[/]");
    }

    /// <summary>One image: its heading and face table (nothing for failed or faceless images; those go to the error stream).</summary>
    public static void Write(IAnsiConsole console, ImageResult result, IReadOnlyList<string> classes)
    {
        if (result.Status != ImageStatus.Ok)
        {
            return;
        }

        console.WriteLine();
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(result.Input.Path)}[/]  {result.Width}x{result.Height}, {result.Faces.Count} face{(result.Faces.Count == 1 ? "" : "s")}"));
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("#", c => c.RightAligned());
        table.AddColumn("Box x, y, w, h");
        table.AddColumn("Expression");
        table.AddColumn("Alpha", c => c.RightAligned());
        foreach (var name in classes)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        for (var i = 0; i < result.Faces.Count; i++)
        {
            var face = result.Faces[i];
            var p = face.Prediction;
            var cells = new List<string>
            {
                (i + 1).ToString(CultureInfo.InvariantCulture),
                face.Box is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b.X:F0}, {b.Y:F0}, {b.Width:F0}, {b.Height:F0}") : "whole image",
                $"[bold]{Markup.Escape(p.Label)}[/]",
                p.Alpha is { } a ? a.ToString("F2", CultureInfo.InvariantCulture) : "-",
            };
            for (var k = 0; k < p.Probabilities.Length; k++)
            {
                var text = p.Probabilities[k].ToString("F3", CultureInfo.InvariantCulture);
                cells.Add(k == p.ClassIndex ? $"[bold]{text}[/]" : text);
            }

            table.AddRow(cells.ToArray());
        }

        console.Write(table);
    }

    /// <summary>The closing count of images, faces and problems.</summary>
    public static void WriteSummary(IAnsiConsole console, RunSummary summary)
    {
        console.WriteLine();
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Images} image{(summary.Images == 1 ? "" : "s")}: {summary.Faces} face{(summary.Faces == 1 ? "" : "s")} classified, " +
            $"{summary.NoFace} without a face, {summary.Failed} failed"));
    }
}
