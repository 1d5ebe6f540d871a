using System.Reflection;

namespace StreamShield.Operators;

/// <summary>
/// Gives each parallel subtask its own instance of a user function object (a shallow copy), so fields set in
/// Open() are per subtask. Mutable fields created in the function's constructor would be shared by the copies:
/// create those in Open().
/// </summary>
internal static class FunctionCopy
{
    private static readonly Func<object, object> Clone =
        (Func<object, object>)typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!
            .CreateDelegate(typeof(Func<object, object>));

    public static T Of<T>(T function) where T : class => (T)Clone(function);
}
