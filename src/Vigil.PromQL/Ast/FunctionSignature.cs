namespace Vigil.PromQL.Ast;

/// <summary>
/// A PromQL function's signature as Prometheus 2.42's parser knows it (<c>parser.Functions</c>). With
/// <see cref="Variadic"/> 0 the call takes exactly <see cref="ArgTypes"/>; otherwise the last argument type may be
/// omitted (at least <c>ArgTypes.Length - 1</c> arguments) and, for n &gt; 0, at most <c>ArgTypes.Length - 1 + n</c>
/// are accepted; -1 means unlimited repeats of the last type (<c>label_join</c>).
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="ArgTypes">The argument types.</param>
/// <param name="Variadic">Prometheus's variadic count: 0 fixed, -1 unlimited, n &gt; 0 up to n optional trailing arguments.</param>
/// <param name="ReturnType">The result type.</param>
public sealed record FunctionSignature(string Name, ValueType[] ArgTypes, int Variadic, ValueType ReturnType)
{
    /// <summary>The fewest arguments accepted.</summary>
    public int MinArgs => Variadic == 0 ? ArgTypes.Length : ArgTypes.Length - 1;

    /// <summary>The most arguments accepted, or <see cref="int.MaxValue"/> for unlimited.</summary>
    public int MaxArgs => Variadic switch
    {
        0 => ArgTypes.Length,
        < 0 => int.MaxValue,
        _ => ArgTypes.Length - 1 + Variadic,
    };

    /// <summary>The expected type of argument <paramref name="index"/> (the last type repeats for unlimited variadics).</summary>
    public ValueType ArgType(int index) => index < ArgTypes.Length ? ArgTypes[index] : ArgTypes[^1];
}
