using System.Reflection;
using System.Runtime.CompilerServices;

namespace StreamShield.Serialization;

/// <summary>
/// How a user class, record or struct (and Tuple/ValueTuple/KeyValuePair) is taken apart and rebuilt: which public members
/// are serialized, in which order, and which constructor recreates the value.
/// </summary>
/// <remarks>
/// <para>Candidates are the public instance fields and the public readable, non-indexed instance properties (base class members first,
/// each class in declaration order). A member is <em>writable</em> if it is a non-readonly field or has a public <c>set</c> or
/// <c>init</c> accessor; <em>read-only state</em> if it is a readonly field, or a property without a public setter that is an
/// auto-property or has a non-public setter; <em>computed</em> if it is a get-only property without a compiler-generated backing
/// field (such as <c>public int Total =&gt; A + B;</c>).</para>
/// <para>A public constructor is usable when each of its parameters matches a distinct member by name (case-insensitive, exact
/// case preferred) and exact type, and every read-only state member is bound to one of its parameters (read-only state can
/// only be restored through a constructor). Among usable constructors the one with the most parameters wins; structs can always fall
/// back to their default value. The serialized members are those bound to constructor parameters plus all remaining writable
/// members, which are assigned after construction; computed members not bound to a parameter are skipped.</para>
/// </remarks>
internal sealed class ObjectLayout
{
    private ObjectLayout(Type type, ConstructorInfo? constructor, IReadOnlyList<ObjectMember> members, bool structurallyImmutable)
    {
        Type = type;
        Constructor = constructor;
        Members = members;
        StructurallyImmutable = structurallyImmutable;
    }

    /// <summary>The described type.</summary>
    public Type Type { get; }

    /// <summary>The constructor used to rebuild values, or null for a struct's default value.</summary>
    public ConstructorInfo? Constructor { get; }

    /// <summary>The serialized members in wire order.</summary>
    public IReadOnlyList<ObjectMember> Members { get; }

    /// <summary>
    /// True when the type itself cannot be mutated after construction: any struct (copied by value), or a class whose state
    /// members are all readonly fields, get-only or init-only properties. Members' own mutability is checked separately.
    /// </summary>
    public bool StructurallyImmutable { get; }

    private enum Kind { Writable, ReadOnlyState, Computed }

    private sealed record Candidate(MemberInfo Member, Type Type, Kind Kind, bool Mutable);

    /// <summary>Plans <paramref name="type"/>; returns null and a human-readable <paramref name="failure"/> when it cannot be serialized.</summary>
    public static ObjectLayout? Analyze(Type type, out string? failure)
    {
        failure = null;
        var candidates = CollectCandidates(type);

        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .ThenBy(c => c.MetadataToken)
            .Select(c => (ConstructorInfo?)c)
            .ToList();
        if (type.IsValueType && !constructors.Any(c => c!.GetParameters().Length == 0)) constructors.Add(null);

        if (constructors.Count == 0)
        {
            failure = candidates.Count == 0
                ? "it has no public properties or fields and no public constructor"
                : "it has no public constructor";
            return null;
        }

        string? bestProblems = null;
        var bestProblemCount = int.MaxValue;
        foreach (var constructor in constructors)
        {
            var problems = new List<string>();
            var bound = Bind(constructor, candidates, problems);
            if (problems.Count > 0)
            {
                if (problems.Count < bestProblemCount)
                {
                    bestProblemCount = problems.Count;
                    bestProblems = Describe(constructor) + ": " + string.Join("; ", problems);
                }
                continue;
            }

            var members = new List<ObjectMember>();
            var mutable = false;
            foreach (var candidate in candidates)
            {
                if (bound.TryGetValue(candidate, out var parameterIndex))
                    members.Add(new ObjectMember(candidate.Member, candidate.Type, parameterIndex));
                else if (candidate.Kind == Kind.Writable)
                    members.Add(new ObjectMember(candidate.Member, candidate.Type, -1));
                else
                    continue; // computed, not needed to rebuild the value
                mutable |= candidate.Mutable;
            }

            if (members.Count == 0)
            {
                failure = candidates.Count == 0
                    ? "it has no public properties or fields to serialize (private state cannot be captured)"
                    : "none of its public properties can be restored (they are computed get-only properties without setters or matching constructor parameters)";
                return null;
            }

            return new ObjectLayout(type, constructor, members, type.IsValueType || !mutable);
        }

        failure = "no public constructor can restore its read-only members (" + bestProblems + ")";
        return null;
    }

    private static Dictionary<Candidate, int> Bind(ConstructorInfo? constructor, List<Candidate> candidates, List<string> problems)
    {
        var bound = new Dictionary<Candidate, int>(ReferenceEqualityComparer.Instance);
        var parameters = constructor?.GetParameters() ?? [];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.ParameterType.IsByRef)
            {
                problems.Add($"parameter '{parameter.Name}' is passed by reference");
                continue;
            }
            var matches = candidates
                .Where(c => c.Type == parameter.ParameterType && string.Equals(c.Member.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (matches.Count > 1) matches = matches.Where(c => c.Member.Name == parameter.Name).ToList();
            if (matches.Count != 1 || bound.ContainsKey(matches[0]))
            {
                problems.Add($"parameter '{parameter.Name}' ({TypeNames.Full(parameter.ParameterType)}) matches no public property or field of the same name and type");
                continue;
            }
            bound[matches[0]] = i;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Kind == Kind.ReadOnlyState && !bound.ContainsKey(candidate))
            {
                var what = candidate.Member is FieldInfo ? "readonly field" : "property";
                problems.Add($"{what} '{candidate.Member.Name}' has no public setter and no matching constructor parameter");
            }
        }
        return bound;
    }

    private static string Describe(ConstructorInfo? constructor) =>
        constructor is null ? "default value"
        : constructor.GetParameters().Length == 0 ? "parameterless constructor"
        : "constructor (" + string.Join(", ", constructor.GetParameters().Select(p => $"{TypeNames.Full(p.ParameterType)} {p.Name}")) + ")";

    private static List<Candidate> CollectCandidates(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType) chain.Add(t);
        chain.Reverse();

        var result = new List<Candidate>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var declaring in chain)
        {
            foreach (var field in declaring.GetFields(flags).OrderBy(f => f.MetadataToken))
            {
                Add(new Candidate(field, field.FieldType,
                    field.IsInitOnly ? Kind.ReadOnlyState : Kind.Writable,
                    Mutable: !field.IsInitOnly));
            }
            foreach (var property in declaring.GetProperties(flags).OrderBy(p => p.MetadataToken))
            {
                if (property.GetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0) continue;
                var setter = property.SetMethod;
                Kind kind;
                bool mutable;
                if (setter is { IsPublic: true })
                {
                    kind = Kind.Writable;
                    mutable = !IsInitOnly(setter);
                }
                else if (setter is not null)
                {
                    kind = Kind.ReadOnlyState;
                    mutable = !IsInitOnly(setter);
                }
                else
                {
                    kind = HasBackingField(property) ? Kind.ReadOnlyState : Kind.Computed;
                    mutable = false;
                }
                Add(new Candidate(property, property.PropertyType, kind, mutable));
            }
        }
        return result;

        void Add(Candidate candidate)
        {
            if (byName.TryGetValue(candidate.Member.Name, out var index))
            {
                result[index] = candidate; // a derived class redeclares the member: keep the most derived one
                return;
            }
            byName[candidate.Member.Name] = result.Count;
            result.Add(candidate);
        }
    }

    private static bool HasBackingField(PropertyInfo property) =>
        property.DeclaringType!.GetField($"<{property.Name}>k__BackingField",
            BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly) is not null;

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
}
