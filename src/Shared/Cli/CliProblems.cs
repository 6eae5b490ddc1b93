using System.CommandLine;
using System.CommandLine.Parsing;
using UlcAg.Spelling;

namespace UlcAg.Cli;

/// <summary>
/// The first problem of a parsed command line, in the words UlcAg's programs use: an unknown
/// option (with the closest known one), a value given to a flag, a stray argument, a missing value,
/// or the message of a value parser or validator.
/// </summary>
internal static class CliProblems
{
    /// <summary>The first problem, or null when the command line can be run.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="unexpectedArgument">Words the message for an argument the command takes none of (default: <c>unexpected argument 'X'</c>).</param>
    public static string? First(ParseResult result, Func<string, string>? unexpectedArgument = null)
    {
        var command = result.CommandResult.Command;
        var tokens = result.Tokens;
        var unmatched = result.UnmatchedTokens;
        for (var i = 0; i < tokens.Count && tokens[i].Type != TokenType.DoubleDash; i++)
        {
            var token = tokens[i];
            if (token.Type != TokenType.Argument)
            {
                continue;
            }

            var previous = i > 0 && tokens[i - 1].Type == TokenType.Option ? Find(command, tokens[i - 1].Value) : null;
            if (previous is not null && previous.Arity.MaximumNumberOfValues > 0)
            {
                continue;
            }

            // An option-like word taken as an argument (a command with arguments takes anything) is a mistyped option too.
            if (LooksLikeOption(token.Value))
            {
                return UnknownOption(command, token.Value);
            }

            if (unmatched.Contains(token.Value))
            {
                return previous is not null
                    ? $"{previous.Name} takes no value"
                    : unexpectedArgument?.Invoke(token.Value) ?? $"unexpected argument '{token.Value}'";
            }
        }

        if (unmatched.Count > 0)
        {
            return unexpectedArgument?.Invoke(unmatched[0]) ?? $"unexpected argument '{unmatched[0]}'";
        }

        var error = result.Errors.Count > 0 ? result.Errors[0] : null;
        return error?.SymbolResult is OptionResult { Tokens.Count: 0 } missing && missing.Option.Arity.MinimumNumberOfValues > 0
            ? $"{missing.Option.Name} needs a value ({missing.Option.HelpName ?? "VALUE"})"
            : error?.Message;
    }

    private static string UnknownOption(Command command, string name)
    {
        var known = AllOptions(command).Select(o => o.Name).Distinct();
        var hint = Suggestion.Closest(name, known) is { } close ? $"; did you mean {close}?" : "";
        return $"unknown option '{name}'{hint}";
    }

    private static Option? Find(Command command, string name) => AllOptions(command).FirstOrDefault(o => CliOptions.Names(o).Contains(name));

    // The command's own options and those it inherits (recursive options of the commands above it).
    private static IEnumerable<Option> AllOptions(Command command) =>
        command.Options.Concat(command.Parents.OfType<Command>().SelectMany(AllOptions).Where(o => o.Recursive));

    // -x, --name; not '-' (standard input) nor a negative number.
    private static bool LooksLikeOption(string text) =>
        text.Length > 1 && text[0] == '-' && !char.IsDigit(text[1]) && text[1] != '.';
}
