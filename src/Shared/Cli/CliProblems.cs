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
                return previous is not null ? $"{previous.Name} takes no value" : Unexpected(command, token.Value, unexpectedArgument);
            }
        }

        if (unmatched.Count > 0)
        {
            return Unexpected(command, unmatched[0], unexpectedArgument);
        }

        var error = result.Errors.Count > 0 ? result.Errors[0] : null;
        return error?.SymbolResult switch
        {
            OptionResult { Tokens.Count: 0 } option when option.Option.Arity.MinimumNumberOfValues > 0 =>
                $"{option.Option.Name} needs a value ({option.Option.HelpName ?? "VALUE"})",
            ArgumentResult { Tokens.Count: 0, Parent: CommandResult parent } argument =>
                $"{parent.Command.Name} needs <{argument.Argument.HelpName ?? argument.Argument.Name}>",
            _ => error?.Message,
        };
    }

    // An argument where none belongs: at the top of a program with commands, a mistyped command.
    private static string Unexpected(Command command, string argument, Func<string, string>? unexpectedArgument)
    {
        var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (commands.Count == 0)
        {
            return unexpectedArgument?.Invoke(argument) ?? $"unexpected argument '{argument}'";
        }

        var hint = Suggestion.Closest(argument, commands) is { } close ? $"did you mean {close}? " : "";
        return $"unknown command '{argument}'; {hint}expected {CliOptions.Words(commands)}";
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
