using System.Text.Encodings.Web;
using System.Text.Json;
using UlcAg.Inference;

namespace UlcAg.Infer.Cli;

/// <summary>
/// The machine-readable output (<c>--json</c>): one JSON document with the model, every image with
/// its status and faces (box, crop kind, expression, probabilities by class name, alpha), and a summary.
/// </summary>
internal static class JsonReport
{
    /// <summary>Indented, with names and paths written as they are (no \u escapes for non-ASCII).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter writer, ExpressionModel model, string detector, IReadOnlyList<ImageResult> results, IReadOnlyDictionary<ImageResult, string> annotated, RunSummary summary)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            WriteModel(json, model);
            json.WriteString("device", model.Device.ToString());
            json.WriteString("detector", detector);
            json.WriteStartArray("images");
            foreach (var result in results)
            {
                WriteImage(json, result, model.Contract.Classes, annotated.GetValueOrDefault(result));
            }

            json.WriteEndArray();
            json.WriteStartObject("summary");
            json.WriteNumber("images", summary.Images);
            json.WriteNumber("faces", summary.Faces);
            json.WriteNumber("no_face", summary.NoFace);
            json.WriteNumber("failed", summary.Failed);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.Flush();
    }

    /// <summary>The <c>model</c> object: path, producer, classes and input.</summary>
    public static void WriteModel(Utf8JsonWriter json, ExpressionModel model)
    {
        var c = model.Contract;
        json.WriteStartObject("model");
        json.WriteString("path", model.Path);
        json.WriteString("producer", c.Producer);
        json.WriteStartArray("classes");
        foreach (var name in c.Classes)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteNumber("input_size", c.InputSize);
        json.WriteString("input_layout", c.Layout.ToString().ToUpperInvariant());
        json.WriteString("input_type", c.PixelType.ToString().ToLowerInvariant());
        json.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter json, ImageResult result, IReadOnlyList<string> classes, string? annotation)
    {
        json.WriteStartObject();
        json.WriteString("path", result.Input.Path);
        json.WriteString("status", result.Status switch
        {
            ImageStatus.Ok => "ok",
            ImageStatus.NoFace => "no_face",
            _ => "error",
        });
        if (result.Error is not null)
        {
            json.WriteString("error", result.Error);
        }
        else
        {
            json.WriteNumber("width", result.Width);
            json.WriteNumber("height", result.Height);
        }

        if (annotation is not null)
        {
            json.WriteString("annotated", annotation);
        }

        json.WriteStartArray("faces");
        foreach (var face in result.Faces)
        {
            json.WriteStartObject();
            WriteFace(json, face, classes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One face's properties (box, crop, detector score, expression, confidence, alpha, probabilities by class) into the open object.</summary>
    public static void WriteFace(Utf8JsonWriter json, FaceResult face, IReadOnlyList<string> classes)
    {
        var p = face.Prediction;
        if (face.Box is { } b)
        {
            json.WriteStartObject("box");
            json.WriteNumber("x", b.X);
            json.WriteNumber("y", b.Y);
            json.WriteNumber("width", b.Width);
            json.WriteNumber("height", b.Height);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("box");
        }

        json.WriteString("crop", face.Crop.ToString().ToLowerInvariant());
        json.WriteNumber("detector_score", face.DetectorScore);
        json.WriteString("expression", p.Label);
        json.WriteNumber("class_index", p.ClassIndex);
        json.WriteNumber("confidence", p.Confidence);
        NumberOrNull(json, "alpha", p.Alpha);

        json.WriteStartObject("probabilities");
        for (var k = 0; k < classes.Count; k++)
        {
            json.WriteNumber(classes[k], p.Probabilities[k]);
        }

        json.WriteEndObject();
    }

    /// <summary>A number, or null where there is none (a model without alpha).</summary>
    public static void NumberOrNull(Utf8JsonWriter json, string name, float? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
