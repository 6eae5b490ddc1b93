using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using UlcAg.Inference;

namespace UlcAg.Infer.Cli;

/// <summary>
/// A video's timeline in JSON (the image report's model and face fields, per classified frame, with
/// each face's track id), in CSV (one row per face, one row with empty face fields for a frame
/// without faces), and as a table of the tracks for people.
/// </summary>
internal static class VideoReport
{
    /// <summary>The JSON document.</summary>
    public static string Json(ExpressionModel model, string detector, VideoRun run)
    {
        var classes = model.Contract.Classes;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonReport.WriterOptions))
        {
            json.WriteStartObject();
            JsonReport.WriteModel(json, model);
            json.WriteString("device", model.Device.ToString());
            json.WriteString("detector", detector);
            json.WriteStartObject("video");
            json.WriteString("path", run.Path);
            json.WriteNumber("width", run.Width);
            json.WriteNumber("height", run.Height);
            json.WriteNumber("fps", run.Fps);
            json.WriteString("codec", run.Codec);
            json.WriteNumber("frames", run.FramesRead);
            json.WriteNumber("every", run.Every);
            if (run.Annotated is not null)
            {
                json.WriteString("annotated", run.Annotated);
            }

            json.WriteEndObject();
            json.WriteStartArray("frames");
            foreach (var frame in run.Frames)
            {
                json.WriteStartObject();
                json.WriteNumber("frame", frame.FrameIndex);
                json.WriteNumber("time", frame.TimeSeconds);
                json.WriteStartArray("faces");
                foreach (var face in frame.Faces)
                {
                    json.WriteStartObject();
                    json.WriteNumber("id", face.TrackId);
                    JsonReport.WriteFace(json, face.Face, classes);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("tracks");
            foreach (var track in run.Tracks)
            {
                json.WriteStartObject();
                json.WriteNumber("id", track.Id);
                json.WriteNumber("first_time", track.FirstSeconds);
                json.WriteNumber("last_time", track.LastSeconds);
                json.WriteNumber("frames", track.Frames);
                json.WriteString("expression", track.Expression);
                JsonReport.NumberOrNull(json, "mean_alpha", track.MeanAlpha);

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("summary");
            json.WriteNumber("frames_read", run.FramesRead);
            json.WriteNumber("frames_classified", run.Frames.Count);
            json.WriteNumber("frames_with_faces", run.FramesWithFaces);
            json.WriteNumber("faces", run.Faces);
            json.WriteNumber("tracks", run.Tracks.Count);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// The CSV lines: <c>time,frame,face_id,x,y,width,height,crop,detector_score,expression,class_index,confidence,alpha,p_CLASS...</c>;
    /// numbers in invariant culture, written as JSON writes them (shortest round-trip form).
    /// </summary>
    public static IEnumerable<string> Csv(IReadOnlyList<string> classes, VideoRun run)
    {
        var fixedColumns = new[] { "time", "frame", "face_id", "x", "y", "width", "height", "crop", "detector_score", "expression", "class_index", "confidence", "alpha" };
        yield return string.Join(',', fixedColumns.Concat(classes.Select(c => Quote("p_" + c))));
        foreach (var frame in run.Frames)
        {
            var head = $"{Number(frame.TimeSeconds)},{frame.FrameIndex.ToString(CultureInfo.InvariantCulture)}";
            if (frame.Faces.Count == 0)
            {
                yield return head + new string(',', fixedColumns.Length - 2 + classes.Count);
                continue;
            }

            foreach (var tracked in frame.Faces)
            {
                var face = tracked.Face;
                var p = face.Prediction;
                var b = face.Box!.Value;
                var cells = new List<string>
                {
                    tracked.TrackId.ToString(CultureInfo.InvariantCulture), Number(b.X), Number(b.Y), Number(b.Width), Number(b.Height),
                    face.Crop.ToString().ToLowerInvariant(), Number(face.DetectorScore), Quote(p.Label),
                    p.ClassIndex.ToString(CultureInfo.InvariantCulture), Number(p.Confidence), p.Alpha is { } a ? Number(a) : "",
                };
                cells.AddRange(p.Probabilities.Select(Number));
                yield return head + "," + string.Join(',', cells);
            }
        }
    }

    /// <summary>The human-readable report: the video, one row per tracked person, and where the files went.</summary>
    public static void WriteTable(IAnsiConsole console, VideoRun run, string csv, string json)
    {
        var inv = CultureInfo.InvariantCulture;
        console.WriteLine();
        console.MarkupLine(string.Create(inv,
            $"[bold]{Markup.Escape(run.Path)}[/]  {run.Width}x{run.Height}, {run.Fps:0.##} fps, {run.FramesRead} frames{(run.Codec.Length > 0 ? $" ({Markup.Escape(run.Codec)})" : "")}; " +
            $"{Every(run.Every)} classified: {run.Frames.Count} frame{(run.Frames.Count == 1 ? "" : "s")}, {run.FramesWithFaces} with faces"));
        var tracks = run.Tracks;
        if (tracks.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("Id", c => c.RightAligned());
            table.AddColumn("From s", c => c.RightAligned());
            table.AddColumn("To s", c => c.RightAligned());
            table.AddColumn("Frames", c => c.RightAligned());
            table.AddColumn("Most often");
            table.AddColumn("Mean alpha", c => c.RightAligned());
            foreach (var t in tracks)
            {
                table.AddRow(
                    t.Id.ToString(inv), t.FirstSeconds.ToString("F2", inv), t.LastSeconds.ToString("F2", inv), t.Frames.ToString(inv),
                    $"[bold]{Markup.Escape(t.Expression)}[/]", t.MeanAlpha is { } a ? a.ToString("F2", inv) : "-");
            }

            console.Write(table);
        }

        console.MarkupLine($"[grey]Timeline[/] {Markup.Escape(csv)}, {Markup.Escape(json)}");
        if (run.Annotated is not null)
        {
            console.MarkupLine($"[grey]Annotated[/] {Markup.Escape(run.Annotated)}");
        }
    }

    // "every frame", "every 2nd frame", "every 11th frame", "every 21st frame".
    private static string Every(int n)
    {
        if (n == 1)
        {
            return "every frame";
        }

        var suffix = (n % 100) is >= 11 and <= 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return string.Create(CultureInfo.InvariantCulture, $"every {n}{suffix} frame");
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    // RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
