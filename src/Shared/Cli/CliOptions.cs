using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace UlcAg.Cli;

/// <summary>
/// A wrong command-line value, or a combination of values that cannot work; the message names the
/// argument and says what was expected. Thrown by the value parsers given to <see cref="CliOptions"/>
/// (it becomes a parse error) and by a program that finds the problem only later.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The kinds of option UlcAg's programs take, declared on System.CommandLine: flags, options with
/// one value (given twice, the last wins), and options that collect values. Values are converted by
/// a parser that throws <see cref="UsageException"/>, whose message becomes the error shown.
/// </summary>
internal static class CliOptions
{
    /// <summary>An option without a value, e.g. <c>--json</c>.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>An option with one value; when it is given more than once, the last value counts.</summary>
    /// <param name="name">The option, e.g. <c>--batch</c>.</param>
    /// <param name="valueName">How help names the value, e.g. <c>N</c>.</param>
    /// <param name="description">The help text.</param>
    /// <param name="parse">Converts the text; throws <see cref="UsageException"/> for a bad value.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <param name="aliases">Other names, e.g. <c>-b</c>.</param>
    public static Option<T> Value<T>(string name, string valueName, string description, Func<string, T> parse, T defaultValue, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = valueName,
            // One value per occurrence (AllowMultipleArgumentsPerToken is off), any number of occurrences.
            Arity = ArgumentArity.OneOrMore,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => result.Tokens.Count == 0 ? defaultValue : Convert(result, result.Tokens[^1].Value, parse, defaultValue),
        };

    /// <summary>A text option with one value (the last counts), or <paramref name="defaultValue"/>.</summary>
    public static Option<string?> Text(string name, string valueName, string description, string? defaultValue = null, params string[] aliases) =>
        Value(name, valueName, description, text => (string?)text, defaultValue, aliases);

    /// <summary>
    /// An option that collects values: several after one occurrence (<c>--res 112 224</c>) when
    /// <paramref name="severalPerOccurrence"/>, else one per occurrence (<c>--config a --config b</c>);
    /// the values of all occurrences are kept in order.
    /// </summary>
    public static Option<List<T>> List<T>(string name, string valueName, string description, Func<string, T> parse, bool severalPerOccurrence, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = valueName,
            AllowMultipleArgumentsPerToken = severalPerOccurrence,
            CustomParser = result => [.. result.Tokens.Select(token => Convert(result, token.Value, parse, default(T)!))],
        };

    /// <summary>A parser of whole numbers of at least <paramref name="minimum"/> (and at most <paramref name="maximum"/>) for <paramref name="option"/>.</summary>
    public static Func<string, int> Int(string option, int minimum = int.MinValue, int maximum = int.MaxValue) => text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new UsageException(maximum != int.MaxValue
                ? $"{option} '{text}' is not a whole number from {minimum} to {maximum}"
                : minimum == 1
                    ? $"{option} '{text}' is not a positive whole number"
                    : minimum == int.MinValue
                        ? $"{option} '{text}' is not a whole number"
                        : $"{option} '{text}' is not a whole number of at least {minimum}");

    /// <summary>A parser of numbers (invariant culture, e.g. <c>0.25</c>, <c>1e-3</c>) for <paramref name="option"/>.</summary>
    public static Func<string, double> Number(string option) => text =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new UsageException($"{option} '{text}' is not a number");

    /// <summary>A parser that accepts one of <paramref name="words"/> (case-insensitive) and maps it.</summary>
    public static Func<string, T> OneOf<T>(string option, IReadOnlyDictionary<string, T> words) => text =>
        words.TryGetValue(text.ToLowerInvariant(), out var value)
            ? value
            : throw new UsageException($"{option} takes {Words(words.Keys)}, got '{text}'");

    /// <summary>
    /// The values of <paramref name="options"/> in command-line order, across options (for settings
    /// that apply one after the other, e.g. <c>--set a=1 --epochs 5 --set b=2</c>).
    /// </summary>
    public static IReadOnlyList<(Option Option, string Value)> InOrder(ParseResult result, params Option[] options)
    {
        var values = new List<(Option, string)>();
        var tokens = result.Tokens;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option && options.FirstOrDefault(o => Names(o).Contains(tokens[i].Value)) is { } option)
            {
                for (var j = i + 1; j < tokens.Count && tokens[j].Type == TokenType.Argument; j++)
                {
                    values.Add((option, tokens[j].Value));
                    if (!option.AllowMultipleArgumentsPerToken)
                    {
                        break;
                    }
                }
            }
        }

        return values;
    }

    /// <summary>The option's name and aliases.</summary>
    public static IEnumerable<string> Names(Option option) => option.Aliases.Prepend(option.Name);

    /// <summary><c>a, b or c</c>.</summary>
    public static string Words(IEnumerable<string> words)
    {
        var list = words.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1];
    }

    private static T Convert<T>(ArgumentResult result, string text, Func<string, T> parse, T fallback)
    {
        try
        {
            return parse(text);
        }
        catch (UsageException e)
        {
            result.AddError(e.Message);
            return fallback;
        }
    }
}
