using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>
/// The YAML keys of an options record: its public init properties in declaration order, named in
/// snake_case (or by <see cref="DataMemberAttribute.Name"/>), without <see cref="IgnoreDataMemberAttribute"/>
/// ones; a record marked <see cref="DataContractAttribute"/> has only its <see cref="DataMemberAttribute"/>
/// properties as keys (the data layer's records keep settings of their own that are not configured).
/// Shared by the binder and the writer so that both speak the same schema.
/// </summary>
internal static class ConfigSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ConfigKey>> Cache = new();

    public static IReadOnlyList<ConfigKey> Keys(Type recordType) => Cache.GetOrAdd(recordType, type =>
    {
        var nullability = new NullabilityInfoContext();
        var contract = type.GetCustomAttribute<DataContractAttribute>() is not null;
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<IgnoreDataMemberAttribute>() is null
                && (!contract || p.GetCustomAttribute<DataMemberAttribute>() is not null))
            .OrderBy(p => p.MetadataToken)
            .Select(p => new ConfigKey(
                p.GetCustomAttribute<DataMemberAttribute>()?.Name ?? NameCase.Separated(p.Name, '_'),
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
