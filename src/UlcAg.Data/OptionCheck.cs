using System.Globalization;

namespace UlcAg.Data;

/// <summary>
/// The range checks of an options record, written once in the record and reported two ways: the
/// training configuration's check collects every problem with the file, line and column of the key;
/// <see cref="ThrowIfInvalid"/> throws at the first problem for options built in code.
/// </summary>
public abstract class OptionCheck
{
    /// <summary>Reports that <paramref name="key"/> (a snake_case key relative to the record) is wrong.</summary>
    /// <param name="key">The key, e.g. <c>erase</c> or <c>scale[0]</c>.</param>
    /// <param name="text">What is wrong and what is expected, e.g. <c>is 2; expected ...</c>.</param>
    /// <param name="relatedKey">A key whose location to name when <paramref name="key"/> was left at its default.</param>
    public abstract void Fail(string key, string text, string? relatedKey = null);

    /// <summary>Runs <paramref name="check"/> and throws the exception of <paramref name="error"/> (key, text) at its first problem.</summary>
    public static void ThrowIfInvalid(Action<OptionCheck> check, Func<string, string, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(check);
        check(new Throwing(error));
    }

    /// <summary>Reports a problem unless <paramref name="ok"/>; returns <paramref name="ok"/>.</summary>
    public bool Require(bool ok, string key, string text, string? relatedKey = null)
    {
        if (!ok)
        {
            Fail(key, text, relatedKey);
        }

        return ok;
    }

    /// <summary>Requires a whole number of at least <paramref name="min"/>.</summary>
    public void AtLeast(string key, int value, int min) =>
        Require(value >= min, key, Invariant($"is {value}; expected a whole number of at least {min}"));

    /// <summary>Requires a whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public bool Between(string key, int value, int min, int max) =>
        Require(value >= min && value <= max, key, Invariant($"is {value}; expected a whole number from {min} to {max}"));

    /// <summary>Requires a number between <paramref name="min"/> and <paramref name="max"/>, each end closed unless said open.</summary>
    public bool Between(string key, double value, double min, double max, bool minOpen = false, bool maxOpen = false)
    {
        var ok = (minOpen ? value > min : value >= min) && (maxOpen ? value < max : value <= max);
        var low = minOpen ? $"greater than {min}" : $"at least {min}";
        var high = maxOpen ? $"less than {max}" : $"at most {max}";
        return Require(ok, key, Invariant($"is {value}; expected a number {low} and {high}"));
    }

    /// <summary>Requires text other than blanks.</summary>
    public void NotBlank(string key, string value) => Require(value.Trim().Length > 0, key, "is empty; expected a name");

    /// <summary>Requires non-blank names, each once (ignoring case).</summary>
    public void DistinctNames(string key, IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var item = Invariant($"{key}[{i}]");
            NotBlank(item, names[i]);
            Require(seen.Add(names[i]), item, $"'{names[i]}' is listed twice; expected each name once");
        }
    }

    /// <summary>Requires an existing file.</summary>
    public void FileExists(string key, string path, string what) =>
        Require(File.Exists(path), key, Directory.Exists(path)
            ? $"'{path}' is a folder; expected a file: {what}"
            : $"file '{path}' does not exist; expected {what}");

    /// <summary>Requires an existing folder.</summary>
    public void DirectoryExists(string key, string path, string what) =>
        Require(Directory.Exists(path), key, File.Exists(path)
            ? $"'{path}' is a file; expected a folder: {what}"
            : $"folder '{path}' does not exist; expected {what}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Throwing(Func<string, string, Exception> error) : OptionCheck
    {
        public override void Fail(string key, string text, string? relatedKey = null) => throw error(key, text);
    }
}
