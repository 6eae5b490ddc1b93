using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>
/// The words that stand for enum members in YAML: the member's <see cref="EnumMemberAttribute"/> value,
/// else its name in kebab-case (<c>TargetOnly</c> -> <c>target-only</c>). Reading ignores case.
/// </summary>
public static class EnumWords
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Word, object Value)>> Cache = new();

    /// <summary>The YAML word of <paramref name="value"/>.</summary>
    public static string ToWord(Enum value) => All(value.GetType()).First(w => w.Value.Equals(value)).Word;

    /// <summary>Every word of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Words(Type enumType) => All(enumType).Select(w => w.Word).ToList();

    /// <summary>The member named by <paramref name="word"/> (case-insensitive), if any.</summary>
    public static bool TryParse(Type enumType, string word, out object value)
    {
        foreach (var (candidate, member) in All(enumType))
        {
            if (string.Equals(candidate, word.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = member;
                return true;
            }
        }

        value = 0;
        return false;
    }

    private static IReadOnlyList<(string Word, object Value)> All(Type enumType) => Cache.GetOrAdd(enumType, type =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => (f.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? NameCase.Separated(f.Name, '-'), f.GetValue(null)!))
            .ToList());
}
