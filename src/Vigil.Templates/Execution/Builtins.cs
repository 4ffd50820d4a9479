using System.Globalization;
using System.Numerics;
using System.Text;

namespace Vigil.Templates.Execution;

/// <summary>Go's text/template builtin functions (funcs.go), with Go's argument rules and error texts.</summary>
internal static class Builtins
{
    private static readonly Dictionary<string, TemplateFunction> s_functions = Build();

    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TemplateFunction? function)
        => s_functions.TryGetValue(name, out function);

    public static bool Contains(string name) => s_functions.ContainsKey(name);

    private static Dictionary<string, TemplateFunction> Build()
    {
        var v = GoParam.Value;
        var any = GoParam.Any;
        TemplateFunction F(string name, GoParam[] ps, GoParam? variadic, Func<object?[], object?> body) => new(name, ps, variadic, body, isBuiltin: true);
        var list = new[]
        {
            // and/or are evaluated by the executor (they short-circuit); these bodies are never called.
            F("and", [v], v, a => a[^1]),
            F("or", [v], v, a => a[^1]),
            F("call", [v], v, Call),
            F("html", [], any, a => HtmlEscape(EvalArgs(a))),
            F("index", [v], v, Index),
            F("slice", [v], v, Slice),
            F("js", [], any, a => JsEscape(EvalArgs(a))),
            F("len", [v], null, a => Length(a[0])),
            F("not", [v], null, a => !GoValue.IsTrue(GoValue.IndirectInterface(a[0]), out _)),
            F("print", [], any, a => GoFormatter.Sprint(a)),
            F("printf", [GoParam.String], any, a => GoFormatter.Sprintf((string)a[0]!, a[1..])),
            F("println", [], any, a => GoFormatter.Sprintln(a)),
            F("urlquery", [], any, a => QueryEscape(EvalArgs(a))),
            F("eq", [v], v, a => Eq(a[0], a[1..])),
            F("ge", [v, v], null, a => !Lt(a[0], a[1])),
            F("gt", [v, v], null, a => !Le(a[0], a[1])),
            F("le", [v, v], null, a => Le(a[0], a[1])),
            F("lt", [v, v], null, a => Lt(a[0], a[1])),
            F("ne", [v, v], null, a => !Eq(a[0], [a[1]])),
        };
        var d = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal);
        foreach (var f in list)
        {
            d[f.Name] = f;
        }
        return d;
    }

    // ---- printing helpers ----

    /// <summary>Go's <c>evalArgs</c>: a single string as is, else fmt.Sprint with no-value printed as &lt;no value&gt;.</summary>
    public static string EvalArgs(object?[] args)
    {
        if (args.Length == 1 && args[0] is string s)
        {
            return s;
        }
        var printable = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            printable[i] = args[i] is null ? "<no value>" : args[i];
        }
        return GoFormatter.Sprint(printable);
    }

    /// <summary>Go's <c>template.HTMLEscapeString</c>.</summary>
    public static string HtmlEscape(string s)
    {
        if (s.AsSpan().IndexOfAny("'\"&<>\0") < 0)
        {
            return s;
        }
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("&#34;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\0': sb.Append('\uFFFD'); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Go's <c>template.JSEscapeString</c>.</summary>
    public static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); continue;
                case '\'': sb.Append("\\'"); continue;
                case '"': sb.Append("\\\""); continue;
                case '<': sb.Append("\\u003C"); continue;
                case '>': sb.Append("\\u003E"); continue;
                case '&': sb.Append("\\u0026"); continue;
                case '=': sb.Append("\\u003D"); continue;
            }
            if (c < ' ')
            {
                sb.Append("\\u00").Append("0123456789ABCDEF"[c >> 4]).Append("0123456789ABCDEF"[c & 0xF]);
                continue;
            }
            if (c < 0x80)
            {
                sb.Append(c);
                continue;
            }
            int r = c;
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(c, s[i + 1]);
                width = 2;
            }
            else if (char.IsSurrogate(c))
            {
                r = 0xFFFD;
            }
            if (GoQuoting.IsPrint(r) && r != 0xFFFD || (r == 0xFFFD && c == '\uFFFD'))
            {
                sb.Append(s, i, width);
            }
            else
            {
                sb.Append("\\u").Append(r.ToString("X4", CultureInfo.InvariantCulture));
            }
            i += width - 1;
        }
        return sb.ToString();
    }

    /// <summary>Go's <c>url.QueryEscape</c>.</summary>
    public static string QueryEscape(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else if (b == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }
        return sb.ToString();
    }

    // ---- index, slice, len, call ----

    private static int IndexArg(object? index, int cap)
    {
        long x;
        switch (GoValue.KindOf(index))
        {
            case GoKind.Int:
                x = GoValue.ToInt64(index!);
                break;
            case GoKind.Uint:
                var u = GoValue.ToUInt64(index!);
                x = u > long.MaxValue ? -1 : (long)u;
                break;
            case GoKind.Invalid:
                throw new GoFunctionException("cannot index slice/array with nil");
            default:
                throw new GoFunctionException($"cannot index slice/array with type {GoValue.TypeName(index)}");
        }
        if (x < 0 || x > cap)
        {
            throw new GoFunctionException($"index out of range: {x}");
        }
        return (int)x;
    }

    private static object? Index(object?[] a)
    {
        var item = GoValue.IndirectInterface(a[0]);
        if (item is null)
        {
            throw new GoFunctionException("index of untyped nil");
        }
        for (var k = 1; k < a.Length; k++)
        {
            var index = GoValue.IndirectInterface(a[k]);
            if (item is null or NilInterface)
            {
                throw new GoFunctionException("index of nil pointer");
            }
            switch (GoValue.KindOf(item))
            {
                case GoKind.String:
                {
                    var bytes = Encoding.UTF8.GetBytes(GoValue.ToGoString(item));
                    var x = IndexArg(index, bytes.Length);
                    if (x == bytes.Length)
                    {
                        throw new GoFunctionException($"index out of range: {x}");
                    }
                    item = bytes[x];
                    break;
                }
                case GoKind.Slice:
                {
                    var slice = SliceView.Of(item);
                    var x = IndexArg(index, slice.Count);
                    if (x == slice.Count)
                    {
                        throw new GoFunctionException($"index out of range: {x}");
                    }
                    item = slice[x] ?? ElementZero(item);
                    break;
                }
                case GoKind.Map:
                {
                    var map = MapView.Of(item);
                    if (index is null)
                    {
                        throw new GoFunctionException("value is nil; should be of type string");
                    }
                    if (index is not string key)
                    {
                        throw new GoFunctionException($"value has type {GoValue.TypeName(index)}; should be string");
                    }
                    if (map.TryGet(key, out var value))
                    {
                        item = value ?? (map.ElementType == typeof(object) ? NilInterface.Instance : null);
                    }
                    else
                    {
                        item = GoValue.ZeroOf(map.ElementType);
                    }
                    break;
                }
                default:
                    // index dereferences a pointer before looking at the kind (Go's indirect), so the type is the pointee's.
                    throw new GoFunctionException($"can't index item of type {GoValue.TypeName(item).TrimStart('*')}");
            }
        }
        return item;
    }

    private static object? ElementZero(object slice)
    {
        var t = SliceView.ElementType(slice.GetType());
        return t == typeof(object) ? NilInterface.Instance : null;
    }

    private static object? Slice(object?[] a)
    {
        var item = GoValue.IndirectInterface(a[0]);
        if (item is null)
        {
            throw new GoFunctionException("slice of untyped nil");
        }
        var indexes = a.Length - 1;
        if (indexes > 3)
        {
            throw new GoFunctionException($"too many slice indexes: {indexes}");
        }
        int cap;
        int len;
        var kind = GoValue.KindOf(item);
        byte[]? bytes = null;
        switch (kind)
        {
            case GoKind.String:
                if (indexes == 3)
                {
                    throw new GoFunctionException("cannot 3-index slice a string");
                }
                bytes = Encoding.UTF8.GetBytes(GoValue.ToGoString(item));
                cap = len = bytes.Length;
                break;
            case GoKind.Slice:
                cap = len = SliceView.Of(item).Count;
                break;
            default:
                throw new GoFunctionException($"can't slice item of type {GoValue.TypeName(item)}");
        }
        int[] idx = [0, len, 0];
        for (var i = 0; i < indexes; i++)
        {
            idx[i] = IndexArg(GoValue.IndirectInterface(a[i + 1]), cap);
        }
        if (idx[0] > idx[1])
        {
            throw new GoFunctionException($"invalid slice index: {idx[0]} > {idx[1]}");
        }
        if (indexes == 3 && idx[1] > idx[2])
        {
            throw new GoFunctionException($"invalid slice index: {idx[1]} > {idx[2]}");
        }
        if (bytes is not null)
        {
            return Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]);
        }
        var view = SliceView.Of(item);
        var result = new List<object?>(idx[1] - idx[0]);
        for (var i = idx[0]; i < idx[1]; i++)
        {
            result.Add(view[i]);
        }
        return result;
    }

    private static object Length(object? item)
    {
        if (item is NilInterface)
        {
            throw new GoFunctionException("len of nil pointer");
        }
        switch (GoValue.KindOf(item))
        {
            case GoKind.String:
                return (long)Encoding.UTF8.GetByteCount(GoValue.ToGoString(item!));
            case GoKind.Map:
                return (long)MapView.Of(item!).Count;
            case GoKind.Slice:
                return (long)SliceView.Of(item!).Count;
            case GoKind.Invalid:
                throw new GoFunctionException("reflect: call of reflect.Value.Type on zero Value");
            default:
                throw new GoFunctionException($"len of type {GoValue.TypeName(item).TrimStart('*')}");
        }
    }

    private static object? Call(object?[] a)
    {
        var fn = GoValue.IndirectInterface(a[0]);
        if (fn is null)
        {
            throw new GoFunctionException("call of nil");
        }
        TemplateFunction function;
        if (fn is TemplateFunction tf)
        {
            function = tf;
        }
        else if (fn is Delegate d)
        {
            function = TemplateFunction.FromDelegate("call", d);
        }
        else
        {
            throw new GoFunctionException($"non-function of type {GoValue.TypeName(fn)}");
        }
        var args = a[1..];
        var numIn = function.NumIn;
        if (function.Variadic is not null)
        {
            if (args.Length < numIn - 1)
            {
                throw new GoFunctionException($"wrong number of args: got {args.Length} want at least {numIn - 1}");
            }
        }
        else if (args.Length != numIn)
        {
            throw new GoFunctionException($"wrong number of args: got {args.Length} want {numIn}");
        }
        var argv = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var arg = GoValue.IndirectInterface(args[i]);
            var type = i < function.Parameters.Length ? function.Parameters[i] : function.Variadic!.Value;
            if (!Executor.TryPrepareArg(arg, type, out argv[i], out var error))
            {
                throw new GoFunctionException($"arg {i}: {error}");
            }
        }
        return function.Body(argv);
    }

    // ---- comparisons ----

    private enum BasicKind
    {
        Invalid,
        Bool,
        Complex,
        Int,
        Float,
        String,
        Uint,
    }

    private static BasicKind KindForComparison(object? v, out bool ok)
    {
        ok = true;
        switch (GoValue.KindOf(v))
        {
            case GoKind.Bool: return BasicKind.Bool;
            case GoKind.Int: return BasicKind.Int;
            case GoKind.Uint: return BasicKind.Uint;
            case GoKind.Float: return BasicKind.Float;
            case GoKind.Complex: return BasicKind.Complex;
            case GoKind.String: return BasicKind.String;
            default:
                ok = false;
                return BasicKind.Invalid;
        }
    }

    private static bool IsNil(object? v) => v is null or NilInterface;

    private static bool Eq(object? arg1, object?[] arg2)
    {
        arg1 = GoValue.IndirectInterface(arg1);
        if (arg2.Length == 0)
        {
            throw new GoFunctionException("missing argument for comparison");
        }
        var k1 = KindForComparison(arg1, out _);
        foreach (var raw in arg2)
        {
            var arg = GoValue.IndirectInterface(raw);
            var k2 = KindForComparison(arg, out _);
            var truth = false;
            if (k1 != k2)
            {
                if (k1 == BasicKind.Int && k2 == BasicKind.Uint)
                {
                    truth = GoValue.ToInt64(arg1!) >= 0 && (ulong)GoValue.ToInt64(arg1!) == GoValue.ToUInt64(arg!);
                }
                else if (k1 == BasicKind.Uint && k2 == BasicKind.Int)
                {
                    truth = GoValue.ToInt64(arg!) >= 0 && GoValue.ToUInt64(arg1!) == (ulong)GoValue.ToInt64(arg!);
                }
                else if (arg1 is not null && arg is not null)
                {
                    throw new GoFunctionException("incompatible types for comparison");
                }
            }
            else
            {
                switch (k1)
                {
                    case BasicKind.Bool:
                        truth = (bool)arg1! == (bool)arg!;
                        break;
                    case BasicKind.Complex:
                        truth = (Complex)arg1! == (Complex)arg!;
                        break;
                    case BasicKind.Float:
                        truth = GoValue.ToDouble(arg1!) == GoValue.ToDouble(arg!);
                        break;
                    case BasicKind.Int:
                        truth = GoValue.ToInt64(arg1!) == GoValue.ToInt64(arg!);
                        break;
                    case BasicKind.String:
                        truth = string.Equals(GoValue.ToGoString(arg1!), GoValue.ToGoString(arg!), StringComparison.Ordinal);
                        break;
                    case BasicKind.Uint:
                        truth = GoValue.ToUInt64(arg1!) == GoValue.ToUInt64(arg!);
                        break;
                    default:
                        if (IsNil(arg1) || IsNil(arg))
                        {
                            truth = IsNil(arg) == IsNil(arg1);
                        }
                        else
                        {
                            var kind1 = GoValue.KindOf(arg1);
                            var kind2 = GoValue.KindOf(arg);
                            if (kind1 != kind2)
                            {
                                throw new GoFunctionException(GoFormatter.Sprintf("non-comparable types %s: %v, %s: %v", [arg1, GoValue.TypeName(arg1), GoValue.TypeName(arg), arg]));
                            }
                            if (kind2 is GoKind.Map or GoKind.Slice or GoKind.Func)
                            {
                                throw new GoFunctionException(GoFormatter.Sprintf("non-comparable type %s: %v", [arg, GoValue.TypeName(arg)]));
                            }
                            truth = Equals(arg1, arg);
                        }
                        break;
                }
            }
            if (truth)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Lt(object? arg1, object? arg2)
    {
        arg1 = GoValue.IndirectInterface(arg1);
        var k1 = KindForComparison(arg1, out var ok1);
        if (!ok1)
        {
            throw new GoFunctionException("invalid type for comparison");
        }
        arg2 = GoValue.IndirectInterface(arg2);
        var k2 = KindForComparison(arg2, out var ok2);
        if (!ok2)
        {
            throw new GoFunctionException("invalid type for comparison");
        }
        if (k1 != k2)
        {
            if (k1 == BasicKind.Int && k2 == BasicKind.Uint)
            {
                return GoValue.ToInt64(arg1!) < 0 || (ulong)GoValue.ToInt64(arg1!) < GoValue.ToUInt64(arg2!);
            }
            if (k1 == BasicKind.Uint && k2 == BasicKind.Int)
            {
                return GoValue.ToInt64(arg2!) >= 0 && GoValue.ToUInt64(arg1!) < (ulong)GoValue.ToInt64(arg2!);
            }
            throw new GoFunctionException("incompatible types for comparison");
        }
        return k1 switch
        {
            BasicKind.Bool or BasicKind.Complex => throw new GoFunctionException("invalid type for comparison"),
            BasicKind.Float => GoValue.ToDouble(arg1!) < GoValue.ToDouble(arg2!),
            BasicKind.Int => GoValue.ToInt64(arg1!) < GoValue.ToInt64(arg2!),
            BasicKind.String => GoStrings.Compare(GoValue.ToGoString(arg1!), GoValue.ToGoString(arg2!)) < 0,
            _ => GoValue.ToUInt64(arg1!) < GoValue.ToUInt64(arg2!),
        };
    }

    private static bool Le(object? arg1, object? arg2) => Lt(arg1, arg2) || Eq(arg1, [arg2]);
}
