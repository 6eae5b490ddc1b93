using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace UlcAg.Training.Config;

/// <summary>
/// Reads YAML into <see cref="ConfigNode"/>s with their file, line and column. Scalars stay text (the
/// binder types them against the schema); a duplicate key, a second document, a non-scalar key or a
/// syntax error is a <see cref="ConfigException"/> at its line.
/// </summary>
internal static partial class YamlConfigReader
{
    /// <summary>Reads a whole configuration file; an empty file or a document of only comments is an empty mapping.</summary>
    public static ConfigMapping ReadDocument(TextReader text, string source)
    {
        var node = ReadSingle(text, source, positions: true);
        return node switch
        {
            null => new ConfigMapping(new ConfigLocation(source, 1, 1)),
            ConfigScalar { Text: null } => new ConfigMapping(node.Location),
            ConfigMapping mapping => mapping,
            _ => throw new ConfigException(new ConfigMessage("", $"the file holds {node.Describe()}; expected a mapping of keys (key: value lines)", node.Location)),
        };
    }

    /// <summary>
    /// Reads one value (scalar, flow list or flow mapping), as given to <c>--set key=value</c>; empty text
    /// is null. Locations name the argument without a line.
    /// </summary>
    public static ConfigNode ReadValue(string text, string source) =>
        ReadSingle(new StringReader(text), source, positions: false) ?? new ConfigScalar(null, new ConfigLocation(source));

    private static ConfigNode? ReadSingle(TextReader text, string source, bool positions)
    {
        var parser = new Parser(text);
        var last = Mark.Empty;
        ConfigLocation At(Mark mark)
        {
            last = mark;
            return positions ? new ConfigLocation(source, (int)mark.Line, (int)mark.Column) : new ConfigLocation(source);
        }

        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var node = ReadNode(parser, At, anchors, "");
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                throw new ConfigException(new ConfigMessage("", "a second YAML document ('---') follows; expected one document per file", At(second.Start)));
            }

            return node;
        }
        catch (YamlException e)
        {
            throw new ConfigException(new ConfigMessage("", "invalid YAML: " + WithoutPosition(e.Message), At(e.Start)));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) for some unterminated flow collections.
            var after = last;
            throw new ConfigException(new ConfigMessage("", "invalid YAML: an unterminated or malformed value after this point", At(after)));
        }
    }

    private static ConfigNode ReadNode(IParser parser, Func<Mark, ConfigLocation> at, Dictionary<string, ConfigNode> anchors, string path)
    {
        var start = parser.Current ?? throw new ConfigException(new ConfigMessage(path, "the YAML ends early", at(Mark.Empty)));
        ConfigNode node;
        switch (start)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new ConfigException(new ConfigMessage("", $"the alias *{alias.Value} has no anchor before it", at(alias.Start)));
            case Scalar scalar:
                parser.MoveNext();
                node = new ConfigScalar(IsNull(scalar) ? null : scalar.Value, at(scalar.Start));
                break;
            case SequenceStart sequenceStart:
                parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, at, anchors, ConfigPath.Item(path, items.Count)));
                }

                node = new ConfigSequence(items, at(sequenceStart.Start));
                break;
            case MappingStart mappingStart:
                parser.MoveNext();
                var mapping = new ConfigMapping(at(mappingStart.Start));
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyLocation = at(parser.Current!.Start);
                    if (ReadNode(parser, at, anchors, path) is not ConfigScalar { Text: { } key })
                    {
                        throw new ConfigException(new ConfigMessage(path, "a key is not a plain name; expected key: value", keyLocation));
                    }

                    var keyPath = ConfigPath.Child(path, key);
                    if (mapping.Find(key) is { } earlier)
                    {
                        throw new ConfigException(new ConfigMessage(keyPath, $"appears twice in one section (first at line {earlier.KeyLocation.Line}); expected each key once", keyLocation));
                    }

                    mapping.Add(new ConfigEntry(key, keyLocation, ReadNode(parser, at, anchors, keyPath)));
                }

                node = mapping;
                break;
            default:
                throw new ConfigException(new ConfigMessage("", $"unexpected YAML event {start.GetType().Name}", at(start.Start)));
        }

        if (start is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            anchors[anchored.Anchor.Value] = node;
        }

        return node;
    }

    // YAML 1.2 core schema nulls; a quoted "null" is text.
    private static bool IsNull(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static string WithoutPosition(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
