using System.Collections;
using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;

namespace Vigil.Templates.Execution;

/// <summary>Go's reflect kinds, as the template package distinguishes them.</summary>
internal enum GoKind
{
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Complex,
    String,
    Map,
    Slice,
    Struct,
    Func,
    Interface,
}

/// <summary>A value typed as Go's <c>interface{}</c> holding nil (a map[string]interface{} element that is absent).</summary>
internal sealed class NilInterface
{
    public static readonly NilInterface Instance = new();

    private NilInterface()
    {
    }
}

/// <summary>A Go named string type (e.g. <c>template.HTML</c> from <c>safeHtml</c>): a string that is not assignable to <c>string</c>.</summary>
internal sealed class GoNamedString(string typeName, string value)
{
    public string TypeName { get; } = typeName;

    public string Value { get; } = value;

    public override string ToString() => Value;
}

/// <summary>A .NET value that tells the template engine its Go type name (for error texts) and, optionally, how fmt prints it.</summary>
internal interface IGoValue
{
    string GoTypeName { get; }
}

/// <summary>A value with a Go <c>String()</c> method (fmt.Stringer): printing uses it.</summary>
internal interface IGoStringer
{
    string GoString();
}

/// <summary>How Go's reflection sees .NET data: kinds, type names, maps, slices, struct fields, truth.</summary>
internal static class GoValue
{
    public static GoKind KindOf(object? v) => v switch
    {
        null => GoKind.Invalid,
        string or GoNamedString => GoKind.String,
        bool => GoKind.Bool,
        long or int or short or sbyte => GoKind.Int,
        ulong or uint or ushort or byte => GoKind.Uint,
        double or float or decimal => GoKind.Float,
        Complex => GoKind.Complex,
        NilInterface => GoKind.Interface,
        Delegate or TemplateFunction => GoKind.Func,
        _ when MapView.IsMap(v) => GoKind.Map,
        _ when SliceView.IsSlice(v) => GoKind.Slice,
        _ => GoKind.Struct,
    };

    public static long ToInt64(object v) => v switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte b => b,
        _ => 0,
    };

    public static ulong ToUInt64(object v) => v switch
    {
        ulong l => l,
        uint i => i,
        ushort s => s,
        byte b => b,
        _ => 0,
    };

    public static double ToDouble(object v) => v switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        _ => 0,
    };

    public static string ToGoString(object v) => v is GoNamedString n ? n.Value : (string)v;

    /// <summary>Go's type name, as <c>%T</c> and error texts print it.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "<nil>",
        IGoValue g => g.GoTypeName,
        GoNamedString n => n.TypeName,
        NilInterface => "interface {}",
        _ => TypeName(v.GetType()),
    };

    private static readonly ConcurrentDictionary<Type, string> s_typeNames = new();

    public static string TypeName(Type t) => s_typeNames.GetOrAdd(t, ComputeTypeName);

    private static string ComputeTypeName(Type t)
    {
        if (t == typeof(string))
        {
            return "string";
        }
        if (t == typeof(bool))
        {
            return "bool";
        }
        if (t == typeof(long) || t == typeof(int))
        {
            return "int";
        }
        if (t == typeof(short))
        {
            return "int16";
        }
        if (t == typeof(sbyte))
        {
            return "int8";
        }
        if (t == typeof(ulong))
        {
            return "uint64";
        }
        if (t == typeof(uint))
        {
            return "uint";
        }
        if (t == typeof(ushort))
        {
            return "uint16";
        }
        if (t == typeof(byte))
        {
            return "uint8";
        }
        if (t == typeof(double) || t == typeof(decimal))
        {
            return "float64";
        }
        if (t == typeof(float))
        {
            return "float32";
        }
        if (t == typeof(Complex))
        {
            return "complex128";
        }
        if (t == typeof(object))
        {
            return "interface {}";
        }
        if (typeof(Delegate).IsAssignableFrom(t))
        {
            return "func";
        }
        var mapElem = MapView.ElementTypeOf(t);
        if (mapElem is not null)
        {
            return "map[string]" + TypeName(mapElem);
        }
        if (t.IsArray)
        {
            return "[]" + TypeName(t.GetElementType()!);
        }
        var listElem = SliceView.ElementType(t);
        if (listElem is not null)
        {
            return "[]" + TypeName(listElem);
        }
        if (t.IsInterface || t.IsAbstract)
        {
            return "interface {}";
        }
        return t.IsValueType ? t.Name : "*" + t.Name;
    }

    /// <summary>Go's zero value of a .NET type (what missingkey=zero yields for a map's element type).</summary>
    public static object? ZeroOf(Type t)
    {
        if (t == typeof(string))
        {
            return "";
        }
        if (t == typeof(object))
        {
            return NilInterface.Instance;
        }
        if (t.IsValueType)
        {
            return Activator.CreateInstance(t);
        }
        return null;
    }

    /// <summary>Go's <c>isTrue</c>; false for kinds Go cannot judge.</summary>
    public static bool IsTrue(object? v, out bool ok)
    {
        ok = true;
        switch (KindOf(v))
        {
            case GoKind.Invalid:
                return false;
            case GoKind.String:
                return ToGoString(v!).Length > 0;
            case GoKind.Bool:
                return (bool)v!;
            case GoKind.Int:
                return ToInt64(v!) != 0;
            case GoKind.Uint:
                return ToUInt64(v!) != 0;
            case GoKind.Float:
                return ToDouble(v!) != 0;
            case GoKind.Complex:
                return (Complex)v! != Complex.Zero;
            case GoKind.Map:
                return MapView.Of(v!).Count > 0;
            case GoKind.Slice:
                return SliceView.Of(v!).Count > 0;
            case GoKind.Interface:
                return false;
            case GoKind.Func:
            case GoKind.Struct:
                return true;
            default:
                ok = false;
                return false;
        }
    }

    /// <summary>Go's <c>indirectInterface</c>: a nil interface becomes no value.</summary>
    public static object? IndirectInterface(object? v) => v is NilInterface ? null : v;
}

/// <summary>Go's map view of a .NET dictionary with string keys.</summary>
internal readonly struct MapView
{
    private static readonly ConcurrentDictionary<Type, IMapAccessor?> s_accessors = new();

    private readonly object _map;
    private readonly IMapAccessor _accessor;

    private MapView(object map, IMapAccessor accessor)
    {
        _map = map;
        _accessor = accessor;
    }

    public int Count => _accessor.Count(_map);

    public Type ElementType => _accessor.ElementType;

    public static bool IsMap(object v) => v is IReadOnlyDictionary<string, string> or IReadOnlyDictionary<string, object?> or IDictionary || Accessor(v.GetType()) is not null;

    public static bool TryOf(object? v, out MapView view)
    {
        view = default;
        if (v is null)
        {
            return false;
        }
        var accessor = Accessor(v.GetType());
        if (accessor is null)
        {
            return false;
        }
        view = new MapView(v, accessor);
        return true;
    }

    public static MapView Of(object v) => TryOf(v, out var view) ? view : throw new InvalidOperationException("not a map");

    public static Type? ElementTypeOf(Type t) => Accessor(t)?.ElementType;

    public bool TryGet(string key, out object? value) => _accessor.TryGet(_map, key, out value);

    /// <summary>The keys in Go's fmtsort order (byte-wise for strings).</summary>
    public List<string> SortedKeys()
    {
        var keys = _accessor.Keys(_map);
        keys.Sort(GoStrings.Compare);
        return keys;
    }

    private static IMapAccessor? Accessor(Type t) => s_accessors.GetOrAdd(t, static t =>
    {
        if (t == typeof(string))
        {
            return null;
        }
        Type? elem = null;
        Type? iface = null;
        foreach (var i in t.GetInterfaces().Append(t))
        {
            if (!i.IsGenericType)
            {
                continue;
            }
            var def = i.GetGenericTypeDefinition();
            if ((def == typeof(IReadOnlyDictionary<,>) || def == typeof(IDictionary<,>)) && i.GetGenericArguments()[0] == typeof(string))
            {
                elem = i.GetGenericArguments()[1];
                iface = def;
                if (def == typeof(IReadOnlyDictionary<,>))
                {
                    break;
                }
            }
        }
        if (elem is not null)
        {
            var accessorType = (iface == typeof(IReadOnlyDictionary<,>) ? typeof(ReadOnlyMapAccessor<>) : typeof(MutableMapAccessor<>)).MakeGenericType(elem);
            return (IMapAccessor)Activator.CreateInstance(accessorType)!;
        }
        if (typeof(IDictionary).IsAssignableFrom(t))
        {
            return new NonGenericMapAccessor();
        }
        return null;
    });

    private interface IMapAccessor
    {
        Type ElementType { get; }

        int Count(object map);

        bool TryGet(object map, string key, out object? value);

        List<string> Keys(object map);
    }

    private sealed class ReadOnlyMapAccessor<T> : IMapAccessor
    {
        public Type ElementType => typeof(T);

        public int Count(object map) => ((IReadOnlyDictionary<string, T>)map).Count;

        public bool TryGet(object map, string key, out object? value)
        {
            if (((IReadOnlyDictionary<string, T>)map).TryGetValue(key, out var v))
            {
                value = v;
                return true;
            }
            value = null;
            return false;
        }

        public List<string> Keys(object map) => [.. ((IReadOnlyDictionary<string, T>)map).Keys];
    }

    private sealed class MutableMapAccessor<T> : IMapAccessor
    {
        public Type ElementType => typeof(T);

        public int Count(object map) => ((IDictionary<string, T>)map).Count;

        public bool TryGet(object map, string key, out object? value)
        {
            if (((IDictionary<string, T>)map).TryGetValue(key, out var v))
            {
                value = v;
                return true;
            }
            value = null;
            return false;
        }

        public List<string> Keys(object map) => [.. ((IDictionary<string, T>)map).Keys];
    }

    private sealed class NonGenericMapAccessor : IMapAccessor
    {
        public Type ElementType => typeof(object);

        public int Count(object map) => ((IDictionary)map).Count;

        public bool TryGet(object map, string key, out object? value)
        {
            var d = (IDictionary)map;
            if (d.Contains(key))
            {
                value = d[key];
                return true;
            }
            value = null;
            return false;
        }

        public List<string> Keys(object map)
        {
            var keys = new List<string>();
            foreach (var k in ((IDictionary)map).Keys)
            {
                keys.Add(k?.ToString() ?? "");
            }
            return keys;
        }
    }
}

/// <summary>Go's slice view of a .NET list, array or other enumerable (not strings or maps).</summary>
internal readonly struct SliceView
{
    private static readonly ConcurrentDictionary<Type, Type?> s_elementTypes = new();

    private readonly IList? _list;
    private readonly IReadOnlyList<object?>? _readOnly;

    private SliceView(IList? list, IReadOnlyList<object?>? readOnly)
    {
        _list = list;
        _readOnly = readOnly;
    }

    public int Count => _list?.Count ?? _readOnly!.Count;

    public object? this[int index] => _list is not null ? _list[index] : _readOnly![index];

    public static bool IsSlice(object v) => v is not string && v is IEnumerable && !MapView.IsMap(v);

    public static SliceView Of(object v)
    {
        if (v is IList list)
        {
            return new SliceView(list, null);
        }
        if (v is IReadOnlyList<object?> ro)
        {
            return new SliceView(null, ro);
        }
        var items = new List<object?>();
        foreach (var item in (IEnumerable)v)
        {
            items.Add(item);
        }
        return new SliceView(items, null);
    }

    public static Type? ElementType(Type t) => s_elementTypes.GetOrAdd(t, static t =>
    {
        if (t == typeof(string))
        {
            return null;
        }
        if (t.IsArray)
        {
            return t.GetElementType();
        }
        foreach (var i in t.GetInterfaces().Append(t))
        {
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                return i.GetGenericArguments()[0];
            }
        }
        return typeof(IEnumerable).IsAssignableFrom(t) ? typeof(object) : null;
    });
}

/// <summary>Struct fields and methods of .NET objects: public instance properties and methods, by exact name.</summary>
internal static class GoStruct
{
    private static readonly ConcurrentDictionary<Type, Members> s_members = new();

    public static bool TryGetMethod(object receiver, string name, out MethodInfo? method)
    {
        var members = Get(receiver.GetType());
        return members.Methods.TryGetValue(name, out method);
    }

    public static bool TryGetField(object receiver, string name, out PropertyInfo? property)
    {
        var members = Get(receiver.GetType());
        return members.Properties.TryGetValue(name, out property);
    }

    public static IReadOnlyList<PropertyInfo> Fields(object receiver) => Get(receiver.GetType()).Ordered;

    private static Members Get(Type t) => s_members.GetOrAdd(t, static t =>
    {
        var props = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        var ordered = new List<PropertyInfo>();
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length == 0 && p.CanRead)
            {
                props.TryAdd(p.Name, p);
                ordered.Add(p);
            }
        }
        var methods = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var m in t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            // Only methods the data's own types declare: the BCL's (Dictionary.ContainsKey, string.Trim, …) are not Go methods.
            if (m.IsSpecialName || m.IsGenericMethodDefinition || m.ReturnType == typeof(void) || IsFrameworkType(m.DeclaringType))
            {
                continue;
            }
            if (m.Name is "Equals" or "GetHashCode" or "ToString" or "GetType" or "Deconstruct" or "<Clone>$" or "PrintMembers" or "GoString")
            {
                continue;
            }
            methods.TryAdd(m.Name, m);
        }
        return new Members(props, ordered, methods);
    });

    private static bool IsFrameworkType(Type? t) => t is null || t.Assembly == typeof(object).Assembly || (t.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false);

    private sealed record Members(Dictionary<string, PropertyInfo> Properties, List<PropertyInfo> Ordered, Dictionary<string, MethodInfo> Methods);
}

/// <summary>Go's string ordering: byte-wise over UTF-8, i.e. by code point.</summary>
internal static class GoStrings
{
    public static int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null)
        {
            return -1;
        }
        if (b is null)
        {
            return 1;
        }
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }
            // Surrogates (U+10000 and up) sort after every BMP character in UTF-8.
            var xs = char.IsSurrogate(x);
            var ys = char.IsSurrogate(y);
            if (xs != ys)
            {
                return xs ? 1 : -1;
            }
            return x < y ? -1 : 1;
        }
        return a.Length.CompareTo(b.Length);
    }
}
