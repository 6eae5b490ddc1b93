using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Text;

namespace UlcAg.Cli;

/// <summary>
/// The <c>--help</c> text of a program: its usage line, the command's description as written, the
/// commands and options (from the System.CommandLine symbols, descriptions wrapped), then the
/// program's own sections (presets, examples, exit codes).
/// </summary>
internal static class CliHelp
{
    /// <summary>Lines are wrapped to this many characters.</summary>
    public const int LineWidth = 100;

    /// <summary>The help text of <paramref name="command"/> run as <paramref name="program"/>.</summary>
    public static string Text(CliProgram program, Command command)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Usage: {program.Usage}");
        if (!string.IsNullOrWhiteSpace(command.Description))
        {
            text.AppendLine().AppendLine(command.Description.Trim());
        }

        var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => (Left: string.Join(' ', c.Arguments.Select(a => $"<{a.HelpName ?? a.Name}>").Prepend(c.Name)), Right: c.Description ?? "")).ToList();
        if (commands.Count > 0)
        {
            text.AppendLine().AppendLine("Commands:");
            AppendRows(text, commands);
        }

        text.AppendLine().AppendLine("Options:");
        AppendRows(text, Options(command).Select(o => (Left: Left(o), Right: o.Description ?? "")).ToList());
        if (program.Epilogue?.Invoke() is { Length: > 0 } epilogue)
        {
            text.AppendLine().Append(epilogue);
        }

        return text.ToString();
    }

    /// <summary>Words wrapped into lines of at most <paramref name="width"/> characters (a longer word stands alone).</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string> { "" };
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > width)
            {
                lines.Add("");
            }

            lines[^1] = lines[^1].Length == 0 ? word : lines[^1] + " " + word;
        }

        return lines;
    }

    // The command's options in the order declared, then --version and --help.
    private static IEnumerable<Option> Options(Command command) =>
        command.Options.Where(o => !o.Hidden).OrderBy(o => o switch { HelpOption => 2, VersionOption => 1, _ => 0 });

    // "-c, --config FILE|PRESET"; options without a one-letter alias line up behind the aliases.
    private static string Left(Option option)
    {
        var alias = option.Aliases.FirstOrDefault(a => a.Length == 2 && a[0] == '-' && char.IsLetter(a[1]));
        var value = option.Arity.MaximumNumberOfValues == 0 ? "" : " " + (option.HelpName ?? "VALUE");
        return (alias is null ? "    " : alias + ", ") + option.Name + value;
    }

    private static void AppendRows(StringBuilder text, List<(string Left, string Right)> rows)
    {
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, right) in rows)
        {
            var lines = Wrap(right, LineWidth - 2 - width);
            text.AppendLine(("  " + left.PadRight(width) + lines[0]).TrimEnd());
            foreach (var line in lines.Skip(1))
            {
                text.Append(' ', 2 + width).AppendLine(line);
            }
        }
    }
}
