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
        console.Write(console.Profile.Width >= WideWidth(classes) ? FacesAsRows(result, classes) : FacesAsColumns(result, classes));
    }

    /// <summary>One row per face, one column per class: for terminals wide enough to show it unwrapped.</summary>
    private static Table FacesAsRows(ImageResult result, IReadOnlyList<string> classes)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("#", c => c.RightAligned());
        table.AddColumn("Box x,y wxh");
        table.AddColumn("Expression");
        table.AddColumn("Alpha", c => c.RightAligned());
        foreach (var name in classes)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        for (var i = 0; i < result.Faces.Count; i++)
        {
            var p = result.Faces[i].Prediction;
            var cells = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture), Box(result.Faces[i]), $"[bold]{Markup.Escape(p.Label)}[/]", Alpha(p) };
            cells.AddRange(p.Probabilities.Select((_, k) => Probability(p, k)));
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    /// <summary>One column per face, one row per class: fits narrow terminals.</summary>
    private static Table FacesAsColumns(ImageResult result, IReadOnlyList<string> classes)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Face");
        for (var i = 0; i < result.Faces.Count; i++)
        {
            table.AddColumn(new TableColumn((i + 1).ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        var faces = result.Faces;
        table.AddRow(Row("Box x,y wxh", faces.Select(Box)));
        table.AddRow(Row("Expression", faces.Select(f => $"[bold]{Markup.Escape(f.Prediction.Label)}[/]")));
        table.AddRow(Row("Alpha", faces.Select(f => Alpha(f.Prediction))));
        for (var k = 0; k < classes.Count; k++)
        {
            var c = k;
            table.AddRow(Row(Markup.Escape(classes[k]), faces.Select(f => Probability(f.Prediction, c))));
        }

        return table;
    }

    /// <summary>Widest text of the face-per-row table's columns before the classes: #, box, expression, alpha.</summary>
    private static readonly int[] FixedColumnWidths = [3, 16, 12, 5];

    /// <summary>Characters the face-per-row table needs: each column's widest text plus padding and a border.</summary>
    private static int WideWidth(IReadOnlyList<string> classes) =>
        1 + FixedColumnWidths.Concat(classes.Select(c => Math.Max(c.Length, 5))).Sum(w => w + 3);

    private static string[] Row(string head, IEnumerable<string> cells) => [head, .. cells];

    private static string Box(FaceResult face) => face.Box is { } b
        ? string.Create(CultureInfo.InvariantCulture, $"{b.X:F0},{b.Y:F0} {b.Width:F0}x{b.Height:F0}")
        : "whole image";

    private static string Alpha(ExpressionPrediction p) => p.Alpha is { } a ? a.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Probability(ExpressionPrediction p, int k)
    {
        var text = p.Probabilities[k].ToString("F3", CultureInfo.InvariantCulture);
        return k == p.ClassIndex ? $"[bold]{text}[/]" : text;
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
