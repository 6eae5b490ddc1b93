using System.Collections.Concurrent;
using System.Reflection;
using YamlDotNet.Serialization;

namespace UlcAg.Training.Config;

/// <summary>
/// The YAML keys of an options record: its public init properties in declaration order, named in
/// snake_case (or by <see cref="YamlMemberAttribute.Alias"/>), without <see cref="YamlIgnoreAttribute"/>
/// ones. Shared by the binder and the writer so that both speak the same schema.
/// </summary>
internal static class ConfigSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ConfigKey>> Cache = new();

    public static IReadOnlyList<ConfigKey> Keys(Type recordType) => Cache.GetOrAdd(recordType, type =>
    {
        var nullability = new NullabilityInfoContext();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
            .OrderBy(p => p.MetadataToken)
            .Select(p => new ConfigKey(
                p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? NameCase.Separated(p.Name, '_'),
                p,
                Nullable.GetUnderlyingType(p.PropertyType) is not null || nullability.Create(p).WriteState == NullabilityState.Nullable))
            .ToList();
    });

    /// <summary>True for the options records (sections); false for scalars and lists.</summary>
    public static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type.GetConstructor(Type.EmptyTypes) is not null;

    /// <summary>The element type when <paramref name="type"/> is <c>IReadOnlyList&lt;T&gt;</c>, else null.</summary>
    public static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;
}

/// <summary>One YAML key: its name, the property it binds to, and whether null is allowed.</summary>
internal sealed record ConfigKey(string Name, PropertyInfo Property, bool AllowsNull)
{
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;
}
