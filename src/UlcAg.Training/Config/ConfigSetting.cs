using System.Text.RegularExpressions;

namespace UlcAg.Training.Config;

/// <summary>
/// One command-line override of a key: <c>--set train.lr_milestones=[5,8]</c>, or a shortcut such as
/// <c>--epochs 5</c>. The value is read as a YAML scalar or flow collection, or, when
/// <see cref="IsLiteral"/>, taken as text exactly as given (paths, which may look like numbers or null).
/// </summary>
/// <param name="Key">The dotted key path, e.g. <c>data.noise.rate</c>.</param>
/// <param name="Value">The value text.</param>
/// <param name="IsLiteral">Take <paramref name="Value"/> as text instead of reading it as YAML.</param>
/// <param name="Origin">The argument as the user wrote it, for messages.</param>
public sealed partial record ConfigSetting(string Key, string Value, bool IsLiteral, string Origin)
{
    /// <summary>Parses <c>key.path=value</c> as given to <c>--set</c>.</summary>
    /// <exception cref="ConfigException">There is no '=' or the key path is malformed.</exception>
    public static ConfigSetting Parse(string assignment)
    {
        var origin = "--set " + assignment;
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new ConfigException(new ConfigMessage("", $"'{assignment}' has no '='; expected key.path=value, e.g. train.lr=0.01", new ConfigLocation(origin)));
        }

        return new ConfigSetting(assignment[..equals].Trim(), assignment[(equals + 1)..], IsLiteral: false, origin);
    }

    /// <summary>This setting as a mapping tree to lay over the configuration files.</summary>
    internal ConfigMapping ToMapping()
    {
        var location = new ConfigLocation(Origin);
        if (!KeyPath().IsMatch(Key))
        {
            throw new ConfigException(new ConfigMessage(Key, "is not a key path; expected snake_case keys joined by dots, e.g. data.noise.rate", location));
        }

        ConfigNode node = IsLiteral ? new ConfigScalar(Value, location) : YamlConfigReader.ReadValue(Value, Origin);
        var keys = Key.Split('.');
        for (var i = keys.Length - 1; i >= 0; i--)
        {
            var mapping = new ConfigMapping(location);
            mapping.Add(new ConfigEntry(keys[i], location, node));
            node = mapping;
        }

        return (ConfigMapping)node;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex KeyPath();
}
