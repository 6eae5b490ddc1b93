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
        var node = ReadSingle(text, source);
        return node switch
        {
            null => new ConfigMapping(new ConfigLocation(source, 1, 1)),
            ConfigScalar { Text: null } => new ConfigMapping(node.Location),
            ConfigMapping mapping => mapping,
            _ => throw new ConfigException(new ConfigMessage("", $"the file holds {node.Describe()}; expected a mapping of keys (key: value lines)", node.Location)),
        };
    }

    /// <summary>Reads one value (scalar, flow list or flow mapping), as given to <c>--set key=value</c>; empty text is null.</summary>
    public static ConfigNode ReadValue(string text, string source) =>
        ReadSingle(new StringReader(text), source) ?? new ConfigScalar(null, new ConfigLocation(source));

    private static ConfigNode? ReadSingle(TextReader text, string source)
    {
        var parser = new Parser(text);
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var node = ReadNode(parser, source, anchors, "");
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                throw new ConfigException(new ConfigMessage("", "a second YAML document ('---') follows; expected one document per file", At(source, second.Start)));
            }

            return node;
        }
        catch (YamlException e)
        {
            throw new ConfigException(new ConfigMessage("", "invalid YAML: " + WithoutPosition(e.Message), At(source, e.Start)));
        }
    }

    private static ConfigNode ReadNode(IParser parser, string source, Dictionary<string, ConfigNode> anchors, string path)
    {
        var start = parser.Current ?? throw new ConfigException(new ConfigMessage("", "the YAML ends early", new ConfigLocation(source)));
        ConfigNode node;
        switch (start)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new ConfigException(new ConfigMessage("", $"the alias *{alias.Value} has no anchor before it", At(source, alias.Start)));
            case Scalar scalar:
                parser.MoveNext();
                node = new ConfigScalar(IsNull(scalar) ? null : scalar.Value, At(source, scalar.Start));
                break;
            case SequenceStart sequenceStart:
                parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, source, anchors, ConfigPath.Item(path, items.Count)));
                }

                node = new ConfigSequence(items, At(source, sequenceStart.Start));
                break;
            case MappingStart mappingStart:
                parser.MoveNext();
                var mapping = new ConfigMapping(At(source, mappingStart.Start));
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyLocation = At(source, parser.Current!.Start);
                    if (ReadNode(parser, source, anchors, path) is not ConfigScalar { Text: { } key })
                    {
                        throw new ConfigException(new ConfigMessage(path, "a key is not a plain name; expected key: value", keyLocation));
                    }

                    var keyPath = ConfigPath.Child(path, key);
                    if (mapping.Find(key) is { } earlier)
                    {
                        throw new ConfigException(new ConfigMessage(keyPath, $"appears twice in one section (first at line {earlier.KeyLocation.Line}); expected each key once", keyLocation));
                    }

                    mapping.Add(new ConfigEntry(key, keyLocation, ReadNode(parser, source, anchors, keyPath)));
                }

                node = mapping;
                break;
            default:
                throw new ConfigException(new ConfigMessage("", $"unexpected YAML event {start.GetType().Name}", At(source, start.Start)));
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

    private static ConfigLocation At(string source, Mark mark) => new(source, (int)mark.Line, (int)mark.Column);

    private static string WithoutPosition(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
