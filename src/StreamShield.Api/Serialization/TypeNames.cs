using System.Text;

namespace StreamShield.Serialization;

/// <summary>Readable type names for error messages: <c>System.Collections.Generic.List&lt;MyApp.Order&gt;</c> instead of
/// the assembly-qualified <see cref="Type.FullName"/> of generic types. Non-generic types use <see cref="Type.FullName"/>.</summary>
internal static class TypeNames
{
    /// <summary>Full name (namespace included).</summary>
    public static string Full(Type type) => Format(type, full: true);

    /// <summary>Short name without namespace, used as the root of member paths.</summary>
    public static string Short(Type type) => Format(type, full: false);

    private static string Format(Type type, bool full)
    {
        if (type.IsGenericParameter) return type.Name;
        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return Format(type.GetElementType()!, full) + (rank == 1 ? "[]" : "[" + new string(',', rank - 1) + "]");
        }
        if (type.IsPointer) return Format(type.GetElementType()!, full) + "*";
        if (type.IsByRef) return Format(type.GetElementType()!, full) + "&";
        if (!type.IsGenericType) return full ? type.FullName ?? type.Name : type.Name;

        var sb = new StringBuilder();
        if (full)
        {
            var declaring = new List<string>();
            for (var d = type.DeclaringType; d is not null; d = d.DeclaringType) declaring.Add(StripArity(d.Name));
            if (!string.IsNullOrEmpty(type.Namespace)) sb.Append(type.Namespace).Append('.');
            for (var i = declaring.Count - 1; i >= 0; i--) sb.Append(declaring[i]).Append('+');
        }
        sb.Append(StripArity(type.Name)).Append('<');
        var args = type.GetGenericArguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Format(args[i], full));
        }
        return sb.Append('>').ToString();
    }

    private static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }
}
