using System.Globalization;
using System.Numerics;
using System.Text;

namespace Vigil.Templates.Execution;

/// <summary>
/// The part of Go's <c>fmt</c> that templates reach: <c>Sprint</c>, <c>Sprintln</c>, <c>Sprintf</c> (verbs
/// <c>%v %s %d %f %e %g %q %x %X %t %c %o %b %U %T %%</c>, flags <c>+ - # 0 space</c>, width, precision, <c>*</c>)
/// and Go's texts for misuse (<c>%!d(string=x)</c>, <c>%!d(MISSING)</c>, <c>%!(EXTRA int=1)</c>).
/// </summary>
internal sealed class GoFormatter
{
    private readonly StringBuilder _buf;
    private Flags _f;

    public GoFormatter(StringBuilder buf) => _buf = buf;

    private struct Flags
    {
        public bool Plus;
        public bool Minus;
        public bool Sharp;
        public bool Space;
        public bool Zero;
        public bool PlusV;
        public bool SharpV;
        public bool WidPresent;
        public bool PrecPresent;
        public int Wid;
        public int Prec;
    }

    public static string Sprint(object?[] args)
    {
        var sb = new StringBuilder();
        new GoFormatter(sb).DoPrint(args);
        return sb.ToString();
    }

    public static string Sprintln(object?[] args)
    {
        var sb = new StringBuilder();
        new GoFormatter(sb).DoPrintln(args);
        return sb.ToString();
    }

    public static string Sprintf(string format, object?[] args)
    {
        var sb = new StringBuilder(format.Length + 16);
        new GoFormatter(sb).DoPrintf(format, args);
        return sb.ToString();
    }

    /// <summary>fmt.Fprint of one value (what an action prints).</summary>
    public static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case string s:
                sb.Append(s);
                return;
            case double d:
                GoFloatFormat.Append(sb, d, 'g', -1);
                return;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
        }
        var f = new GoFormatter(sb);
        f.PrintArg(value, 'v');
    }

    public void DoPrint(object?[] args)
    {
        var prevString = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var isString = arg is string or GoNamedString;
            if (i > 0 && !isString && !prevString)
            {
                _buf.Append(' ');
            }
            _f = default;
            PrintArg(arg, 'v');
            prevString = isString;
        }
    }

    public void DoPrintln(object?[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                _buf.Append(' ');
            }
            _f = default;
            PrintArg(args[i], 'v');
        }
        _buf.Append('\n');
    }

    public void DoPrintf(string format, object?[] a)
    {
        var end = format.Length;
        var argNum = 0;
        var i = 0;
        while (i < end)
        {
            var lasti = i;
            while (i < end && format[i] != '%')
            {
                i++;
            }
            if (i > lasti)
            {
                _buf.Append(format, lasti, i - lasti);
            }
            if (i >= end)
            {
                break;
            }
            i++;
            _f = default;
            for (; i < end; i++)
            {
                var c = format[i];
                if (c == '#')
                {
                    _f.Sharp = true;
                }
                else if (c == '0')
                {
                    _f.Zero = !_f.Minus;
                }
                else if (c == '+')
                {
                    _f.Plus = true;
                }
                else if (c == '-')
                {
                    _f.Minus = true;
                    _f.Zero = false;
                }
                else if (c == ' ')
                {
                    _f.Space = true;
                }
                else
                {
                    break;
                }
            }
            // Width.
            if (i < end && format[i] == '*')
            {
                i++;
                if (!IntFromArg(a, ref argNum, out _f.Wid))
                {
                    _buf.Append("%!(BADWIDTH)");
                }
                else
                {
                    _f.WidPresent = true;
                    if (_f.Wid < 0)
                    {
                        _f.Wid = -_f.Wid;
                        _f.Minus = true;
                        _f.Zero = false;
                    }
                }
            }
            else
            {
                var start = i;
                _f.Wid = ParseNum(format, ref i);
                _f.WidPresent = i > start;
            }
            // Precision.
            if (i + 1 <= end && i < end && format[i] == '.')
            {
                i++;
                if (i < end && format[i] == '*')
                {
                    i++;
                    if (!IntFromArg(a, ref argNum, out _f.Prec))
                    {
                        _buf.Append("%!(BADPREC)");
                    }
                    else
                    {
                        _f.PrecPresent = _f.Prec >= 0;
                        if (_f.Prec < 0)
                        {
                            _f.Prec = 0;
                        }
                    }
                }
                else
                {
                    _f.Prec = ParseNum(format, ref i);
                    _f.PrecPresent = true;
                }
            }
            if (i >= end)
            {
                _buf.Append("%!(NOVERB)");
                break;
            }
            int verb = format[i];
            var size = 1;
            if (char.IsHighSurrogate(format[i]) && i + 1 < end && char.IsLowSurrogate(format[i + 1]))
            {
                verb = char.ConvertToUtf32(format[i], format[i + 1]);
                size = 2;
            }
            i += size;
            if (verb == '%')
            {
                _buf.Append('%');
                continue;
            }
            if (argNum >= a.Length)
            {
                _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(MISSING)");
                continue;
            }
            if (verb == 'v')
            {
                _f.SharpV = _f.Sharp;
                _f.Sharp = false;
                _f.PlusV = _f.Plus;
                _f.Plus = false;
            }
            PrintArg(a[argNum], verb);
            argNum++;
        }
        if (argNum < a.Length)
        {
            _f = default;
            _buf.Append("%!(EXTRA ");
            for (var k = argNum; k < a.Length; k++)
            {
                if (k > argNum)
                {
                    _buf.Append(", ");
                }
                var arg = a[k];
                if (arg is null)
                {
                    _buf.Append("<nil>");
                }
                else
                {
                    _buf.Append(GoValue.TypeName(arg)).Append('=');
                    PrintArg(arg, 'v');
                }
            }
            _buf.Append(')');
        }
    }

    private static bool IntFromArg(object?[] a, ref int argNum, out int value)
    {
        value = 0;
        if (argNum >= a.Length)
        {
            return false;
        }
        var arg = a[argNum++];
        switch (GoValue.KindOf(arg))
        {
            case GoKind.Int:
                var l = GoValue.ToInt64(arg!);
                if (l is > 1_000_000 or < -1_000_000)
                {
                    return false;
                }
                value = (int)l;
                return true;
            case GoKind.Uint:
                var u = GoValue.ToUInt64(arg!);
                if (u > 1_000_000)
                {
                    return false;
                }
                value = (int)u;
                return true;
            default:
                return false;
        }
    }

    private static int ParseNum(string s, ref int i)
    {
        var n = 0;
        while (i < s.Length && s[i] >= '0' && s[i] <= '9')
        {
            if (n > 1_000_000)
            {
                i++;
                continue;
            }
            n = (n * 10) + (s[i] - '0');
            i++;
        }
        return n;
    }

    private void BadVerb(int verb, object? arg)
    {
        _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append('(');
        if (arg is not null)
        {
            // Go prints the value with the verb's flags, width and precision still in force: %5.2f of "abc" is "%!f(string=   ab)".
            _buf.Append(GoValue.TypeName(arg)).Append('=');
            PrintArg(arg, 'v');
        }
        else
        {
            _buf.Append("<nil>");
        }
        _buf.Append(')');
    }

    public void PrintArg(object? arg, int verb, int depth = 0)
    {
        if (arg is null or NilInterface)
        {
            if (verb is 'T' or 'v')
            {
                PadString("<nil>");
            }
            else
            {
                BadVerb(verb, null);
            }
            return;
        }
        if (verb == 'T')
        {
            PadString(GoValue.TypeName(arg));
            return;
        }
        switch (arg)
        {
            case bool b:
                FmtBool(b, verb);
                return;
            case double or float or decimal:
                FmtFloat(GoValue.ToDouble(arg), arg is float ? 32 : 64, verb, arg);
                return;
            case Complex c:
                FmtComplex(c, verb, arg);
                return;
            case long or int or short or sbyte:
                FmtInteger((ulong)GoValue.ToInt64(arg), isSigned: true, verb, arg);
                return;
            case ulong or uint or ushort or byte:
                FmtInteger(GoValue.ToUInt64(arg), isSigned: false, verb, arg);
                return;
            case string s:
                FmtString(s, verb, arg);
                return;
            case GoNamedString n:
                FmtString(n.Value, verb, arg);
                return;
        }
        if (arg is IGoStringer stringer && verb is 'v' or 's' or 'x' or 'X' or 'q' && !_f.SharpV)
        {
            FmtString(stringer.GoString(), verb, arg);
            return;
        }
        if (arg is GoTime time && depth == 0 && verb is 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or 't')
        {
            // A verb that is no string verb prints Go's *time.Time as the struct it is: &{wall ext loc}.
            _buf.Append("&{");
            BadVerb(verb, (ulong)time.Nanosecond());
            _buf.Append(' ');
            _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(int64=");
            PrintArg(time.Unix() + 62135596800L, 'v');
            _buf.Append(')');
            _buf.Append(' ').Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(*time.Location=<nil>)}");
            return;
        }
        switch (GoValue.KindOf(arg))
        {
            case GoKind.Map:
            {
                var map = MapView.Of(arg);
                _buf.Append("map[");
                var first = true;
                foreach (var key in map.SortedKeys())
                {
                    if (!first)
                    {
                        _buf.Append(' ');
                    }
                    first = false;
                    PrintArg(key, verb, depth + 1);
                    _buf.Append(':');
                    map.TryGet(key, out var value);
                    PrintArg(value ?? (map.ElementType == typeof(object) ? null : GoValue.ZeroOf(map.ElementType)), verb, depth + 1);
                }
                _buf.Append(']');
                return;
            }
            case GoKind.Slice:
            {
                var slice = SliceView.Of(arg);
                _buf.Append('[');
                for (var i = 0; i < slice.Count; i++)
                {
                    if (i > 0)
                    {
                        _buf.Append(' ');
                    }
                    PrintArg(slice[i], verb, depth + 1);
                }
                _buf.Append(']');
                return;
            }
            case GoKind.Func:
                _buf.Append("0x").Append(((ulong)arg.GetHashCode()).ToString("x", CultureInfo.InvariantCulture));
                return;
            default:
            {
                _buf.Append('{');
                var fields = GoStruct.Fields(arg);
                for (var i = 0; i < fields.Count; i++)
                {
                    if (i > 0)
                    {
                        _buf.Append(' ');
                    }
                    if (_f.PlusV)
                    {
                        _buf.Append(fields[i].Name).Append(':');
                    }
                    PrintArg(fields[i].GetValue(arg), verb, depth + 1);
                }
                _buf.Append('}');
                return;
            }
        }
    }

    private void FmtBool(bool b, int verb)
    {
        if (verb is 't' or 'v')
        {
            PadString(b ? "true" : "false");
            return;
        }
        BadVerb(verb, b);
    }

    private void FmtFloat(double v, int size, int verb, object arg)
    {
        switch (verb)
        {
            case 'v':
                FmtFloatCore(v, 'g', -1);
                return;
            case 'g' or 'G' or 'x' or 'X':
                FmtFloatCore(v, (char)verb, -1);
                return;
            case 'f' or 'e' or 'E' or 'F':
                FmtFloatCore(v, (char)verb, 6);
                return;
            default:
                _ = size;
                BadVerb(verb, arg);
                return;
        }
    }

    private void FmtFloatCore(double v, char verb, int prec)
    {
        if (_f.PrecPresent)
        {
            prec = _f.Prec;
        }
        var num = GoFloatFormat.Format(v, verb == 'F' ? 'f' : verb, prec);
        if (num[0] is not '-' and not '+')
        {
            num = "+" + num;
        }
        var sign = num[0];
        if (_f.Space && sign == '+' && !_f.Plus)
        {
            num = " " + num[1..];
            sign = ' ';
        }
        if (num[1] is 'I' or 'N')
        {
            var oldZero = _f.Zero;
            _f.Zero = false;
            if (num[1] == 'N' && !_f.Space && !_f.Plus)
            {
                num = num[1..];
            }
            Pad(num);
            _f.Zero = oldZero;
            return;
        }
        if (_f.Plus || sign != '+')
        {
            if (_f.Zero && _f.WidPresent && _f.Wid > num.Length)
            {
                _buf.Append(sign);
                _buf.Append('0', _f.Wid - num.Length);
                _buf.Append(num, 1, num.Length - 1);
                return;
            }
            Pad(num);
            return;
        }
        Pad(num[1..]);
    }

    private void FmtComplex(Complex c, int verb, object arg)
    {
        if (verb is not ('v' or 'b' or 'g' or 'G' or 'x' or 'X' or 'f' or 'F' or 'e' or 'E'))
        {
            BadVerb(verb, arg);
            return;
        }
        var oldPlus = _f.Plus;
        _buf.Append('(');
        FmtFloat(c.Real, 64, verb, c.Real);
        _f.Plus = true;
        FmtFloat(c.Imaginary, 64, verb, c.Imaginary);
        _buf.Append("i)");
        _f.Plus = oldPlus;
    }

    private void FmtInteger(ulong u, bool isSigned, int verb, object arg)
    {
        switch (verb)
        {
            case 'v' or 'd':
                FmtIntegerBase(u, 10, isSigned, verb, "0123456789abcdefx");
                return;
            case 'b':
                FmtIntegerBase(u, 2, isSigned, verb, "0123456789abcdefx");
                return;
            case 'o' or 'O':
                FmtIntegerBase(u, 8, isSigned, verb, "0123456789abcdefx");
                return;
            case 'x':
                FmtIntegerBase(u, 16, isSigned, verb, "0123456789abcdefx");
                return;
            case 'X':
                FmtIntegerBase(u, 16, isSigned, verb, "0123456789ABCDEFX");
                return;
            case 'c':
                Pad(RuneString((long)u));
                return;
            case 'q':
            {
                var sb = new StringBuilder();
                var r = (long)u;
                var rune = r is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) ? 0xFFFD : (int)r;
                sb.Append('\'');
                if (rune == '\'')
                {
                    sb.Append("\\'");
                }
                else if (rune == '"')
                {
                    sb.Append('"');
                }
                else
                {
                    GoQuoting.AppendEscapedRune(sb, rune, '\'');
                }
                sb.Append('\'');
                Pad(sb.ToString());
                return;
            }
            case 'U':
            {
                var s = "U+" + u.ToString("X4", CultureInfo.InvariantCulture);
                if (_f.Sharp && u <= 0x10FFFF && GoQuoting.IsPrint((int)u))
                {
                    s += " '" + char.ConvertFromUtf32((int)u) + "'";
                }
                Pad(s);
                return;
            }
            default:
                BadVerb(verb, arg);
                return;
        }
    }

    private static string RuneString(long r)
    {
        if (r is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            return "\uFFFD";
        }
        return char.ConvertFromUtf32((int)r);
    }

    private void FmtIntegerBase(ulong u, int b, bool isSigned, int verb, string digits)
    {
        var negative = isSigned && (long)u < 0;
        if (negative)
        {
            u = (ulong)(-(long)u);
        }
        var prec = 0;
        if (_f.PrecPresent)
        {
            prec = _f.Prec;
            if (prec == 0 && u == 0)
            {
                var oldZero = _f.Zero;
                _f.Zero = false;
                WritePadding(_f.Wid);
                _f.Zero = oldZero;
                return;
            }
        }
        else if (_f.Zero && _f.WidPresent)
        {
            prec = _f.Wid;
            if (negative || _f.Plus || _f.Space)
            {
                prec--;
            }
        }
        var sb = new StringBuilder();
        if (u == 0)
        {
            sb.Append('0');
        }
        else
        {
            while (u > 0)
            {
                sb.Insert(0, digits[(int)(u % (ulong)b)]);
                u /= (ulong)b;
            }
        }
        while (sb.Length < prec)
        {
            sb.Insert(0, '0');
        }
        if (_f.Sharp)
        {
            switch (b)
            {
                case 2:
                    sb.Insert(0, "0b");
                    break;
                case 8:
                    if (sb[0] != '0')
                    {
                        sb.Insert(0, '0');
                    }
                    break;
                case 16:
                    sb.Insert(0, digits[16]).Insert(0, '0');
                    break;
            }
        }
        if (verb == 'O')
        {
            sb.Insert(0, "0o");
        }
        if (negative)
        {
            sb.Insert(0, '-');
        }
        else if (_f.Plus)
        {
            sb.Insert(0, '+');
        }
        else if (_f.Space)
        {
            sb.Insert(0, ' ');
        }
        var oldZero2 = _f.Zero;
        _f.Zero = false;
        Pad(sb.ToString());
        _f.Zero = oldZero2;
    }

    private void FmtString(string s, int verb, object arg)
    {
        switch (verb)
        {
            case 'v':
                if (_f.SharpV)
                {
                    FmtQ(s);
                    return;
                }
                FmtS(s);
                return;
            case 's':
                FmtS(s);
                return;
            case 'x':
                FmtSx(s, "0123456789abcdef");
                return;
            case 'X':
                FmtSx(s, "0123456789ABCDEF");
                return;
            case 'q':
                FmtQ(s);
                return;
            default:
                BadVerb(verb, arg);
                return;
        }
    }

    private void FmtS(string s)
    {
        if (_f.PrecPresent)
        {
            var n = 0;
            var i = 0;
            foreach (var r in s.EnumerateRunes())
            {
                if (n == _f.Prec)
                {
                    break;
                }
                i += r.Utf16SequenceLength;
                n++;
            }
            s = s[..i];
        }
        PadString(s);
    }

    private void FmtSx(string s, string digits)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var length = bytes.Length;
        if (_f.PrecPresent && _f.Prec < length)
        {
            length = _f.Prec;
        }
        var sb = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            if (_f.Space && i > 0)
            {
                sb.Append(' ');
            }
            if (_f.Sharp && (i == 0 || _f.Space))
            {
                sb.Append('0').Append(digits[10] == 'a' ? 'x' : 'X');
            }
            sb.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }
        Pad(sb.ToString());
    }

    private void FmtQ(string s)
    {
        if (_f.PrecPresent)
        {
            var n = 0;
            var i = 0;
            foreach (var r in s.EnumerateRunes())
            {
                if (n == _f.Prec)
                {
                    break;
                }
                i += r.Utf16SequenceLength;
                n++;
            }
            s = s[..i];
        }
        if (_f.Sharp && CanBackquote(s))
        {
            PadString("`" + s + "`");
            return;
        }
        PadString(GoQuoting.Quote(s));
    }

    private static bool CanBackquote(string s)
    {
        foreach (var c in s)
        {
            if (c == '`' || c == '\uFEFF' || (c < ' ' && c != '\t') || c == 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    private void PadString(string s) => Pad(s);

    private void Pad(string s)
    {
        if (!_f.WidPresent || _f.Wid == 0)
        {
            _buf.Append(s);
            return;
        }
        var width = _f.Wid - CountRunes(s);
        if (!_f.Minus)
        {
            WritePadding(width);
            _buf.Append(s);
        }
        else
        {
            _buf.Append(s);
            WritePadding(width);
        }
    }

    private void WritePadding(int n)
    {
        if (n <= 0)
        {
            return;
        }
        _buf.Append(_f.Zero && !_f.Minus ? '0' : ' ', n);
    }

    private static int CountRunes(string s)
    {
        var n = 0;
        foreach (var c in s)
        {
            if (!char.IsLowSurrogate(c))
            {
                n++;
            }
        }
        return n;
    }
}
