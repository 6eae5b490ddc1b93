using System.Text.Json;
using System.Text;
using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;
using UlcAg.IO;

namespace UlcAg.Data.Formats;

/// <summary>
/// Reads and writes a <see cref="ClassMap"/> as JSON:
/// <c>{"dataset": "rafdb", "classes": ["Surprise", ...], "sourceLabels": [{"code": "1", "name": "Surprise", "index": 0}, ...]}</c>.
/// </summary>
public static class ClassMapJson
{
    /// <summary>The JSON text of <paramref name="map"/>.</summary>
    public static string ToJson(ClassMap map)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("dataset", map.Dataset);
            json.WriteStartArray("classes");
            foreach (var name in map.ClassNames)
                json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("sourceLabels");
            foreach (var entry in map.Entries)
            {
                json.WriteStartObject();
                json.WriteString("code", entry.Code);
                json.WriteString("name", entry.SourceName);
                if (entry.Index is int index)
                    json.WriteNumber("index", index);
                else
                    json.WriteNull("index");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <paramref name="map"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ClassMap map) => AtomicFile.WriteAllText(path, ToJson(map));

    /// <summary>Reads a class map written by <see cref="Write"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing, is not JSON, or lacks or mistypes a member.</exception>
    public static ClassMap Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(new DataIssue(IssueKind.UnreadableFile, path, null, null, "the file cannot be read (" + e.Message + ")", "a class map JSON file"), e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses class map JSON; <paramref name="source"/> names the text in error messages.</summary>
    /// <exception cref="DataFormatException">The text is not JSON, or lacks or mistypes a member.</exception>
    public static ClassMap Parse(string text, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Bad(source, (int?)(e.LineNumber + 1), null, "it is not valid JSON (" + e.Message + ")", "a class map JSON object");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(source, null, null, "the top level is not an object", "a class map JSON object");
            var dataset = String(root, "dataset", source, "dataset");
            var classes = Array(root, "classes", source).Select((c, i) => StringValue(c, source, $"classes[{i}]")).ToArray();
            if (classes.Length == 0)
                throw Bad(source, null, "classes", "the list is empty", "at least one class name");
            var entries = new List<ClassMapEntry>();
            var n = 0;
            foreach (var item in Array(root, "sourceLabels", source))
            {
                var at = $"sourceLabels[{n++}]";
                if (item.ValueKind != JsonValueKind.Object)
                    throw Bad(source, null, at, "it is not an object", "an object with code, name and index");
                int? index = null;
                if (!item.TryGetProperty("index", out var indexValue))
                    throw Bad(source, null, at + ".index", "the member is missing", "a class index or null");
                if (indexValue.ValueKind != JsonValueKind.Null)
                {
                    if (indexValue.ValueKind != JsonValueKind.Number || !indexValue.TryGetInt32(out var i) || i < 0 || i >= classes.Length)
                        throw Bad(source, null, at + ".index", $"'{indexValue.GetRawText()}' is not a class index", $"null or an integer 0..{classes.Length - 1}");
                    index = i;
                }
                entries.Add(new ClassMapEntry(String(item, "code", source, at + ".code"), String(item, "name", source, at + ".name"), index));
            }
            return new ClassMap(dataset, classes, entries);
        }
    }

    private static string String(JsonElement owner, string member, string source, string at) =>
        owner.TryGetProperty(member, out var value)
            ? StringValue(value, source, at)
            : throw Bad(source, null, at, "the member is missing", "a string");

    private static string StringValue(JsonElement value, string source, string at) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Bad(source, null, at, $"'{value.GetRawText()}' is not a string", "a string");

    private static JsonElement.ArrayEnumerator Array(JsonElement owner, string member, string source) =>
        owner.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw Bad(source, null, member, "the member is missing or not an array", "an array");

    private static DataFormatException Bad(string source, int? line, string? field, string problem, string expected) =>
        new(new DataIssue(IssueKind.MalformedRow, source, line, field, problem, expected));
}
