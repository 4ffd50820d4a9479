using System.Reflection;

namespace Vigil.Templates.Execution;

/// <summary>How a parameter takes its argument (Go's parameter type, as far as templates can tell).</summary>
internal enum GoParamKind
{
    /// <summary>Go's <c>string</c>.</summary>
    String,

    /// <summary>Go's <c>float64</c>.</summary>
    Float64,

    /// <summary>Go's <c>int</c> (passed as <see cref="long"/>).</summary>
    Int,

    /// <summary>Go's <c>bool</c>.</summary>
    Bool,

    /// <summary>Go's <c>interface{}</c>: any value; constants take their natural type.</summary>
    Any,

    /// <summary>Go's <c>reflect.Value</c> (the builtins): any value, including no value.</summary>
    Value,

    /// <summary>A specific .NET type (a Go named, pointer, slice or map type).</summary>
    Clr,
}

/// <summary>One parameter: its kind, Go type name (for errors) and, for <see cref="GoParamKind.Clr"/>, the .NET type.</summary>
internal readonly record struct GoParam(GoParamKind Kind, string GoName, Type? ClrType = null)
{
    public static readonly GoParam String = new(GoParamKind.String, "string");
    public static readonly GoParam Float64 = new(GoParamKind.Float64, "float64");
    public static readonly GoParam Int = new(GoParamKind.Int, "int");
    public static readonly GoParam Bool = new(GoParamKind.Bool, "bool");
    public static readonly GoParam Any = new(GoParamKind.Any, "interface {}");
    public static readonly GoParam Value = new(GoParamKind.Value, "reflect.Value");

    /// <summary>Whether nil may be passed (Go's <c>canBeNil</c>).</summary>
    public bool CanBeNil => Kind is GoParamKind.Any or GoParamKind.Value || (Kind == GoParamKind.Clr && (ClrType is null || !ClrType.IsValueType));

    public static GoParam For(Type t, string? goName = null)
    {
        if (t == typeof(string))
        {
            return String;
        }
        if (t == typeof(double))
        {
            return Float64;
        }
        if (t == typeof(long) || t == typeof(int))
        {
            return Int;
        }
        if (t == typeof(bool))
        {
            return Bool;
        }
        if (t == typeof(object))
        {
            return Any;
        }
        return new GoParam(GoParamKind.Clr, goName ?? GoValue.TypeName(t), t);
    }
}

/// <summary>Thrown by a function's body for Go's non-nil <c>error</c> result; the message is the error's text.</summary>
internal sealed class GoFunctionException(string message) : Exception(message);

/// <summary>
/// A function a template can call: Go's function type (fixed parameters, an optional variadic tail, one result)
/// and a body. A body reports Go's error result by throwing <see cref="GoFunctionException"/>; any other exception is a
/// panic, which Go's template package also reports as the call's error.
/// </summary>
internal sealed class TemplateFunction
{
    public TemplateFunction(string name, GoParam[] parameters, GoParam? variadic, Func<object?[], object?> body, bool isBuiltin = false)
    {
        Name = name;
        Parameters = parameters;
        Variadic = variadic;
        Body = body;
        IsBuiltin = isBuiltin;
    }

    public string Name { get; }

    /// <summary>The fixed parameters.</summary>
    public GoParam[] Parameters { get; }

    /// <summary>The element type of a trailing <c>...T</c>, or null.</summary>
    public GoParam? Variadic { get; }

    public Func<object?[], object?> Body { get; }

    public bool IsBuiltin { get; }

    /// <summary>Go's NumIn (the variadic slice counts as one).</summary>
    public int NumIn => Parameters.Length + (Variadic is null ? 0 : 1);

    /// <summary>Go's identifier rule for function names.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' || char.IsLetter(c) || (i > 0 && char.IsDigit(c)))
            {
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>A function from a delegate: parameters from its .NET signature (a trailing <c>params object?[]</c> is variadic).</summary>
    public static TemplateFunction FromDelegate(string name, Delegate function)
        => FromMethod(name, function.GetType().GetMethod("Invoke")!, function.Target, isDelegate: true, function);

    /// <summary>A bound instance method (Go's method value), for <c>.Method args</c>.</summary>
    public static TemplateFunction FromMethod(string name, MethodInfo method, object? target) => FromMethod(name, method, target, isDelegate: false, null);

    private static TemplateFunction FromMethod(string name, MethodInfo method, object? target, bool isDelegate, Delegate? function)
    {
        var ps = method.GetParameters();
        GoParam? variadic = null;
        var fixedCount = ps.Length;
        if (ps.Length > 0 && ps[^1].IsDefined(typeof(ParamArrayAttribute)))
        {
            variadic = GoParam.For(ps[^1].ParameterType.GetElementType()!);
            fixedCount--;
        }
        var parameters = new GoParam[fixedCount];
        for (var i = 0; i < fixedCount; i++)
        {
            parameters[i] = GoParam.For(ps[i].ParameterType);
        }
        var types = Array.ConvertAll(ps, p => p.ParameterType);
        object? Invoke(object?[] args)
        {
            var call = new object?[ps.Length];
            for (var i = 0; i < fixedCount; i++)
            {
                call[i] = Convert(args[i], types[i]);
            }
            if (variadic is not null)
            {
                var elementType = types[^1].GetElementType()!;
                var rest = Array.CreateInstance(elementType, args.Length - fixedCount);
                for (var i = fixedCount; i < args.Length; i++)
                {
                    rest.SetValue(Convert(args[i], elementType), i - fixedCount);
                }
                call[^1] = rest;
            }
            try
            {
                return isDelegate ? function!.DynamicInvoke(call) : method.Invoke(target, call);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new GoFunctionException(e.InnerException is TemplateException te ? te.Message : e.InnerException.Message);
            }
        }
        return new TemplateFunction(name, parameters, variadic, Invoke);
    }

    private static object? Convert(object? value, Type type)
    {
        if (value is NilInterface)
        {
            value = null;
        }
        if (type == typeof(int) && value is long l)
        {
            return checked((int)l);
        }
        return value;
    }
}
