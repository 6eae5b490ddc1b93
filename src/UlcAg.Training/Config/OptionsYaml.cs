using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace UlcAg.Training.Config;

/// <summary>
/// Writes resolved <see cref="TrainOptions"/> as YAML with the same snake_case keys the loader reads,
/// every key present (defaults included), so that loading the text gives the same options back.
/// A run directory stores this as <c>config.yaml</c>.
/// </summary>
public static class OptionsYaml
{
    /// <summary>The options as YAML text.</summary>
    /// <param name="options">The options to write.</param>
    /// <param name="header">Comment lines written first (without '#'), or null.</param>
    public static string Write(TrainOptions options, string? header = null)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(options, text, header);
        return text.ToString();
    }

    /// <summary>Writes the options as YAML to <paramref name="writer"/>.</summary>
    public static void Write(TrainOptions options, TextWriter writer, string? header = null)
    {
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        foreach (var line in header?.Split('\n') ?? [])
        {
            emitter.Emit(new Comment(line.TrimEnd('\r'), isInline: false));
        }

        EmitSection(emitter, options);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    /// <summary>Writes the options to a file atomically (a temporary file in the same folder, then a move).</summary>
    public static void WriteFile(TrainOptions options, string path, string? header = null)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, Write(options, header));
        File.Move(temporary, full, overwrite: true);
    }

    private static void EmitSection(IEmitter emitter, object section)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
        foreach (var key in ConfigSchema.Keys(section.GetType()))
        {
            emitter.Emit(new Scalar(key.Name));
            EmitValue(emitter, key.Property.GetValue(section));
        }

        emitter.Emit(new MappingEnd());
    }

    private static void EmitValue(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null:
                emitter.Emit(Plain("null"));
                break;
            case string text:
                // Text that would read back as null, a boolean or a number is quoted.
                var ambiguous = text.Trim().Length == 0 || text is "~" or "null" or "Null" or "NULL"
                    || bool.TryParse(text, out _) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));
                break;
            case bool flag:
                emitter.Emit(Plain(flag ? "true" : "false"));
                break;
            case int whole:
                emitter.Emit(Plain(whole.ToString(CultureInfo.InvariantCulture)));
                break;
            case double number:
                emitter.Emit(Plain(Number(number)));
                break;
            case Enum member:
                emitter.Emit(Plain(EnumWords.ToWord(member)));
                break;
            case System.Collections.IEnumerable items:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow));
                foreach (var item in items)
                {
                    EmitValue(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                EmitSection(emitter, value);
                break;
        }
    }

    // Shortest text that reads back to the same double; whole numbers keep a ".0" so they read as numbers with a fraction.
    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static Scalar Plain(string text) => new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false);
}
