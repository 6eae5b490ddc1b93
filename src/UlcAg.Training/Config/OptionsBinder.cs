using System.Globalization;

namespace UlcAg.Training.Config;

/// <summary>
/// Binds a merged <see cref="ConfigMapping"/> to <see cref="TrainOptions"/>: keys the schema does not know,
/// values of the wrong type and unknown enum words become <see cref="ConfigMessage"/>s naming the key
/// path and location; keys left out keep the record's default. Binding goes on after an error so that
/// one run reports every problem. Records where each bound value came from for later validation messages.
/// </summary>
internal sealed class OptionsBinder
{
    private readonly List<ConfigMessage> _errors = [];

    public IReadOnlyList<ConfigMessage> Errors => _errors;

    /// <summary>Key path -> where its value was set, for every key and list item bound.</summary>
    public Dictionary<string, ConfigLocation> Locations { get; } = new(StringComparer.Ordinal);

    public TrainOptions Bind(ConfigMapping root) => (TrainOptions)BindSection(typeof(TrainOptions), root, "");

    /// <summary>Describes what a key of this type accepts, for messages and help.</summary>
    public static string Expected(Type type) =>
        ConfigSchema.ListElement(type) is { } element ? $"a list of {Plural(element)}, e.g. [a, b]"
        : ConfigSchema.IsSection(type) ? "a section with keys " + string.Join(", ", ConfigSchema.Keys(type).Select(k => k.Name))
        : type == typeof(string) ? "text"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type.IsEnum ? "one of " + string.Join(", ", EnumWords.Words(type))
        : type.Name;

    private static string Plural(Type element) =>
        element == typeof(string) ? "names" : element == typeof(int) ? "whole numbers" : element == typeof(double) ? "numbers" : Expected(element);

    private object BindSection(Type type, ConfigMapping mapping, string path)
    {
        var section = Activator.CreateInstance(type)!;
        var keys = ConfigSchema.Keys(type);
        foreach (var entry in mapping.Entries)
        {
            var keyPath = ConfigPath.Child(path, entry.Key);
            var key = keys.FirstOrDefault(k => k.Name == entry.Key);
            if (key is null)
            {
                Fail(keyPath, UnknownKey(entry.Key, keys.Select(k => k.Name).ToList(), path), entry.KeyLocation);
                continue;
            }

            Locations[keyPath] = entry.Value.Location;
            if (TryBind(key.ValueType, key.AllowsNull, entry.Value, keyPath, out var value))
            {
                key.Property.SetValue(section, value);
            }
        }

        return section;
    }

    private bool TryBind(Type type, bool allowsNull, ConfigNode node, string path, out object? value)
    {
        value = null;
        if (node is ConfigScalar { Text: null })
        {
            if (allowsNull)
            {
                return true;
            }

            if (ConfigSchema.IsSection(type))
            {
                // An empty section ("augment:" with every line commented out) keeps the defaults.
                value = Activator.CreateInstance(type);
                return true;
            }

            return Fail(path, $"is null; expected {Expected(type)}", node.Location);
        }

        if (ConfigSchema.IsSection(type))
        {
            if (node is ConfigMapping mapping)
            {
                value = BindSection(type, mapping, path);
                return true;
            }

            return Fail(path, $"is {node.Describe()}; expected {Expected(type)}", node.Location);
        }

        if (ConfigSchema.ListElement(type) is { } element)
        {
            return TryBindList(type, element, node, path, out value);
        }

        return node is ConfigScalar { Text: { } text } && TryParseScalar(type, text, out value)
            || Fail(path, $"is {node.Describe()}; expected {Expected(type)}", node.Location);
    }

    private bool TryBindList(Type listType, Type element, ConfigNode node, string path, out object? value)
    {
        value = null;
        if (node is not ConfigSequence sequence)
        {
            return Fail(path, $"is {node.Describe()}; expected {Expected(listType)}", node.Location);
        }

        var items = Array.CreateInstance(element, sequence.Items.Count);
        var ok = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = ConfigPath.Item(path, i);
            Locations[itemPath] = sequence.Items[i].Location;
            if (TryBind(element, allowsNull: false, sequence.Items[i], itemPath, out var item))
            {
                items.SetValue(item, i);
            }
            else
            {
                ok = false;
            }
        }

        value = items;
        return ok;
    }

    private static bool TryParseScalar(Type type, string text, out object? value)
    {
        value = null;
        var trimmed = text.Trim();
        if (type == typeof(string))
        {
            value = text;
        }
        else if (type == typeof(bool) && bool.TryParse(trimmed, out var flag))
        {
            value = flag;
        }
        else if (type == typeof(int) && int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            value = whole;
        }
        else if (type == typeof(double) && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            value = number;
        }
        else if (type.IsEnum && EnumWords.TryParse(type, trimmed, out var member))
        {
            value = member;
        }

        return value is not null;
    }

    private static string UnknownKey(string key, IReadOnlyList<string> known, string section)
    {
        var where = section.Length == 0 ? "at the top level" : $"in section {section}";
        var hint = Suggestion.Closest(key, known) is { } close ? $"did you mean '{close}'? " : "";
        return $"unknown key {where}; {hint}expected one of {string.Join(", ", known)}";
    }

    private bool Fail(string path, string text, ConfigLocation location)
    {
        _errors.Add(new ConfigMessage(path, text, location));
        return false;
    }
}
