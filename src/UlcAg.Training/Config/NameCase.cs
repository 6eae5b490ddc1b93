using System.Text;

namespace UlcAg.Training.Config;

/// <summary>Turns PascalCase names into the lower-case words of YAML keys and enum words.</summary>
internal static class NameCase
{
    /// <summary><c>LrMilestones</c> -> <c>lr_milestones</c> with '_'; <c>TargetOnly</c> -> <c>target-only</c> with '-'.</summary>
    public static string Separated(string pascal, char separator)
    {
        var text = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            var wordStart = i > 0 && char.IsUpper(c)
                && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])));
            if (wordStart)
            {
                text.Append(separator);
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
