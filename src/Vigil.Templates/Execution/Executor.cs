using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Vigil.Templates.Parsing;

namespace Vigil.Templates.Execution;

/// <summary>
/// Go's text/template executor (exec.go): walks a parsed tree over .NET data with Go's semantics (fields, maps,
/// methods, variables, pipelines, function calls, range/if/with, break/continue, template calls) and Go's error
/// texts (<c>template: NAME:LINE:COL: executing "NAME" at &lt;NODE&gt;: MESSAGE</c>).
/// </summary>
internal sealed class Executor
{
    // Go's maxExecDepth on 64-bit platforms.
    private const int MaxExecDepth = 100000;

    private static readonly object s_missing = new();

    private readonly TemplateSet _set;
    private readonly TemplateFunctions? _bound;
    private readonly StringBuilder _wr;
    private readonly List<(string Name, object? Value)> _vars;
    private ParseTree _tmpl;
    private Node? _node;
    private int _depth;

    private Executor(TemplateSet set, TemplateFunctions? bound, ParseTree tmpl, StringBuilder wr, object? data, int depth)
    {
        _set = set;
        _bound = bound;
        _tmpl = tmpl;
        _wr = wr;
        _vars = [("$", data)];
        _depth = depth;
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    /// <summary>
    /// Executes <paramref name="tree"/> on <paramref name="data"/>, appending to <paramref name="output"/>; functions in
    /// <paramref name="bound"/> replace the set's same-named ones for this execution only.
    /// </summary>
    public static void Execute(TemplateSet set, ParseTree tree, object? data, StringBuilder output, TemplateFunctions? bound = null)
    {
        var state = new Executor(set, bound, tree, output, data, 0);
        if (tree.Root is null)
        {
            state.Errorf($"{GoQuoting.Quote(tree.Name)} is an incomplete or empty template");
        }
        state.Walk(data, tree.Root!);
    }

    private void At(Node node) => _node = node;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Errorf(string message)
    {
        var name = _tmpl.Name;
        if (_node is null)
        {
            throw new TemplateException($"template: {name}: {message}");
        }
        var (location, context) = ParseTree.ErrorContext(_node);
        throw new TemplateException($"template: {location}: executing {GoQuoting.Quote(name)} at <{context}>: {message}");
    }

    // ---- walking ----

    private Flow Walk(object? dot, Node node)
    {
        At(node);
        switch (node)
        {
            case ActionNode action:
            {
                var val = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    PrintValue(action, val);
                }
                return Flow.Normal;
            }
            case BreakNode:
                return Flow.Break;
            case CommentNode:
                return Flow.Normal;
            case ContinueNode:
                return Flow.Continue;
            case BranchNode { Kind: BranchKind.Range } range:
                return WalkRange(dot, range);
            case BranchNode branch:
                return WalkIfOrWith(branch, dot);
            case ListNode list:
                foreach (var n in list.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }
                return Flow.Normal;
            case TemplateNode t:
                WalkTemplate(dot, t);
                return Flow.Normal;
            case TextNode text:
                _wr.Append(text.Text);
                return Flow.Normal;
            default:
                Errorf($"unknown node: {node}");
                return Flow.Normal;
        }
    }

    private Flow WalkIfOrWith(BranchNode node, object? dot)
    {
        var mark = _vars.Count;
        try
        {
            var val = EvalPipeline(dot, node.Pipe);
            var truth = GoValue.IsTrue(GoValue.IndirectInterface(val), out var ok);
            if (!ok)
            {
                Errorf($"if/with can't use {GoFormatter.Sprint([val])}");
            }
            if (truth)
            {
                return Walk(node.Kind == BranchKind.With ? val : dot, node.List);
            }
            if (node.ElseList is not null)
            {
                return Walk(dot, node.ElseList);
            }
            return Flow.Normal;
        }
        finally
        {
            Pop(mark);
        }
    }

    private Flow WalkRange(object? dot, BranchNode r)
    {
        At(r);
        var outerMark = _vars.Count;
        try
        {
            var val = EvalPipeline(dot, r.Pipe);
            var mark = _vars.Count;
            switch (GoValue.KindOf(val))
            {
                case GoKind.Slice:
                {
                    var slice = SliceView.Of(val!);
                    if (slice.Count == 0)
                    {
                        break;
                    }
                    for (var i = 0; i < slice.Count; i++)
                    {
                        if (OneIteration(r, (long)i, slice[i], mark) == Flow.Break)
                        {
                            break;
                        }
                    }
                    return Flow.Normal;
                }
                case GoKind.Map:
                {
                    var map = MapView.Of(val!);
                    if (map.Count == 0)
                    {
                        break;
                    }
                    foreach (var key in map.SortedKeys())
                    {
                        map.TryGet(key, out var elem);
                        if (elem is null && map.ElementType == typeof(object))
                        {
                            elem = NilInterface.Instance;
                        }
                        if (OneIteration(r, key, elem, mark) == Flow.Break)
                        {
                            break;
                        }
                    }
                    return Flow.Normal;
                }
                case GoKind.Invalid:
                    break;
                default:
                    Errorf($"range can't iterate over {GoFormatter.Sprint([val])}");
                    break;
            }
            if (r.ElseList is not null)
            {
                return Walk(dot, r.ElseList);
            }
            return Flow.Normal;
        }
        finally
        {
            Pop(outerMark);
        }
    }

    private Flow OneIteration(BranchNode r, object? index, object? elem, int mark)
    {
        if (r.Pipe.Decl.Count > 0)
        {
            if (r.Pipe.IsAssign)
            {
                SetVar(r.Pipe.Decl[0].Ident[0], r.Pipe.Decl.Count > 1 ? index : elem);
            }
            else
            {
                SetTopVar(1, elem);
            }
        }
        if (r.Pipe.Decl.Count > 1)
        {
            if (r.Pipe.IsAssign)
            {
                SetVar(r.Pipe.Decl[1].Ident[0], elem);
            }
            else
            {
                SetTopVar(2, index);
            }
        }
        try
        {
            return Walk(elem, r.List);
        }
        finally
        {
            Pop(mark);
        }
    }

    private void WalkTemplate(object? dot, TemplateNode t)
    {
        At(t);
        var tmpl = _set.Lookup(t.Name);
        if (tmpl is null)
        {
            Errorf($"template {GoQuoting.Quote(t.Name)} not defined");
        }
        if (_depth == MaxExecDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            // Go allows 100000 nested calls; .NET's stack runs out first, and then Go's own limit message is the answer.
            Errorf($"exceeded maximum template depth ({MaxExecDepth})");
        }
        dot = EvalPipeline(dot, t.Pipe);
        var state = new Executor(_set, _bound, tmpl, _wr, dot, _depth + 1);
        if (tmpl.Root is null)
        {
            return;
        }
        state.Walk(dot, tmpl.Root);
    }

    // ---- variables ----

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private void Push(string name, object? value) => _vars.Add((name, value));

    private void SetVar(string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }
        Errorf($"undefined variable: {name}");
    }

    private void SetTopVar(int n, object? value) => _vars[^n] = (_vars[^n].Name, value);

    private object? VarValue(string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }
        Errorf($"undefined variable: {name}");
        return null;
    }

    // ---- pipelines and commands ----

    private object? EvalPipeline(object? dot, PipeNode? pipe)
    {
        if (pipe is null)
        {
            return null;
        }
        At(pipe);
        var value = s_missing;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, value);
            if (value is NilInterface)
            {
                value = null;
            }
        }
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(variable.Ident[0], value);
            }
            else
            {
                Push(variable.Ident[0], value);
            }
        }
        return value;
    }

    private void NotAFunction(List<Node>? args, object? final)
    {
        if ((args is not null && args.Count > 1) || final != s_missing)
        {
            Errorf($"can't give argument to non-function {args?[0]}");
        }
    }

    private object? EvalCommand(object? dot, CommandNode cmd, object? final)
    {
        var firstWord = cmd.Args[0];
        switch (firstWord)
        {
            case FieldNode field:
                return EvalFieldNode(dot, field, cmd.Args, final);
            case ChainNode chain:
                return EvalChainNode(dot, chain, cmd.Args, final);
            case IdentifierNode ident:
                return EvalFunction(dot, ident, cmd, cmd.Args, final);
            case PipeNode pipe:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariableNode(dot, variable, cmd.Args, final);
        }
        At(firstWord);
        NotAFunction(cmd.Args, final);
        switch (firstWord)
        {
            case BoolNode b:
                return b.True;
            case DotNode:
                return dot;
            case NilNode:
                Errorf("nil is not a command");
                break;
            case NumberNode n:
                return IdealConstant(n);
            case StringNode s:
                return s.Text;
        }
        Errorf($"can't evaluate command {GoQuoting.Quote(firstWord.ToString())}");
        return null;
    }

    private object? IdealConstant(NumberNode constant)
    {
        At(constant);
        if (constant.IsComplex)
        {
            return ParseComplex(constant.Text);
        }
        if (constant.IsFloat && !IsHexInt(constant.Text) && !IsRuneInt(constant.Text) && constant.Text.AsSpan().IndexOfAny(".eEpP") >= 0)
        {
            return constant.Float64;
        }
        if (constant.IsInt)
        {
            return constant.Int64;
        }
        if (constant.IsUint)
        {
            Errorf($"{constant.Text} overflows int");
        }
        return null;
    }

    private static Complex ParseComplex(string text)
    {
        GoNumber.TryParse(text, text.EndsWith('i') && text.AsSpan(1).IndexOfAny('+', '-') > 0 ? ItemType.Complex : ItemType.Number, out var n, out _);
        return n.IsComplex ? n.Complex128 : new Complex(n.Float64, 0);
    }

    private static bool IsRuneInt(string s) => s.Length > 0 && s[0] == '\'';

    private static bool IsHexInt(string s) => s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s.AsSpan().IndexOfAny('p', 'P') < 0;

    private object? EvalFieldNode(object? dot, FieldNode field, List<Node>? args, object? final)
    {
        At(field);
        return EvalFieldChain(dot, dot, field, field.Ident, args, final);
    }

    private object? EvalChainNode(object? dot, ChainNode chain, List<Node>? args, object? final)
    {
        At(chain);
        if (chain.Field.Count == 0)
        {
            Errorf("internal error: no fields in evalChainNode");
        }
        if (chain.Node is NilNode)
        {
            Errorf($"indirection through explicit nil in {chain}");
        }
        var pipe = EvalArg(dot, GoParam.Value, chain.Node, untyped: true);
        return EvalFieldChain(dot, pipe, chain, chain.Field, args, final);
    }

    private object? EvalVariableNode(object? dot, VariableNode variable, List<Node>? args, object? final)
    {
        At(variable);
        var value = VarValue(variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(dot, value, variable, variable.Ident.AsSpan(1).ToArray(), args, final);
    }

    private object? EvalFieldChain(object? dot, object? receiver, Node node, IReadOnlyList<string> ident, List<Node>? args, object? final)
    {
        var n = ident.Count;
        for (var i = 0; i < n - 1; i++)
        {
            receiver = EvalField(dot, ident[i], node, null, s_missing, receiver);
        }
        return EvalField(dot, ident[n - 1], node, args, final, receiver);
    }

    private object? EvalFunction(object? dot, IdentifierNode node, Node cmd, List<Node>? args, object? final)
    {
        At(node);
        var name = node.Ident;
        if (!TryFindFunction(name, out var function))
        {
            Errorf($"{GoQuoting.Quote(name)} is not a defined function");
        }
        return EvalCall(dot, function, cmd, name, args, final);
    }

    private bool TryFindFunction(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TemplateFunction? function)
    {
        if (_bound is not null && _bound.TryGet(name, out function))
        {
            return true;
        }
        return _set.TryFindFunction(name, out function);
    }

    private object? EvalField(object? dot, string fieldName, Node node, List<Node>? args, object? final, object? receiver)
    {
        if (receiver is null)
        {
            if (_set.MissingKey == MissingKeyBehavior.Error)
            {
                Errorf($"nil data; no entry for key {GoQuoting.Quote(fieldName)}");
            }
            return null;
        }
        if (receiver is NilInterface)
        {
            Errorf($"nil pointer evaluating interface {{}}.{fieldName}");
        }
        var kind = GoValue.KindOf(receiver);
        // Go looks for a method first, whatever the receiver's kind (a map type like Alertmanager's KV has methods too).
        if (GoStruct.TryGetMethod(receiver, fieldName, out var method))
        {
            return EvalCall(dot, TemplateFunction.FromMethod(fieldName, method!, receiver), node, fieldName, args, final);
        }
        var hasArgs = (args is not null && args.Count > 1) || final != s_missing;
        switch (kind)
        {
            case GoKind.Struct:
                if (GoStruct.TryGetField(receiver, fieldName, out var property))
                {
                    if (hasArgs)
                    {
                        Errorf($"{fieldName} has arguments but cannot be invoked as function");
                    }
                    object? value;
                    try
                    {
                        value = property!.GetValue(receiver);
                    }
                    catch (System.Reflection.TargetInvocationException e)
                    {
                        Errorf(e.InnerException?.Message ?? e.Message);
                        return null;
                    }
                    return value is null && property.PropertyType == typeof(object) ? NilInterface.Instance : value;
                }
                break;
            case GoKind.Map:
            {
                if (hasArgs)
                {
                    Errorf($"{fieldName} is not a method but has arguments");
                }
                var map = MapView.Of(receiver);
                if (map.TryGet(fieldName, out var result))
                {
                    return result is null && map.ElementType == typeof(object) ? NilInterface.Instance : result;
                }
                switch (_set.MissingKey)
                {
                    case MissingKeyBehavior.Zero:
                        return GoValue.ZeroOf(map.ElementType);
                    case MissingKeyBehavior.Error:
                        Errorf($"map has no entry for key {GoQuoting.Quote(fieldName)}");
                        break;
                }
                return null;
            }
        }
        Errorf($"can't evaluate field {fieldName} in type {GoValue.TypeName(receiver)}");
        return null;
    }

    private object? EvalCall(object? dot, TemplateFunction fun, Node node, string name, List<Node>? args, object? final)
    {
        var argCount = args is null ? 0 : args.Count - 1;
        var numIn = argCount + (final != s_missing ? 1 : 0);
        var numFixed = argCount;
        if (fun.Variadic is not null)
        {
            numFixed = fun.Parameters.Length;
            if (numIn < numFixed)
            {
                Errorf($"wrong number of args for {name}: want at least {fun.Parameters.Length} got {argCount}");
            }
        }
        else if (numIn != fun.Parameters.Length)
        {
            Errorf($"wrong number of args for {name}: want {fun.Parameters.Length} got {numIn}");
        }

        // Builtin and/or short-circuit.
        if (fun.IsBuiltin && name is "and" or "or")
        {
            object? v = null;
            for (var k = 0; k < argCount; k++)
            {
                v = EvalArg(dot, GoParam.Value, args![k + 1]);
                if (GoValue.IsTrue(GoValue.IndirectInterface(v), out _) == (name == "or"))
                {
                    return v;
                }
            }
            if (final != s_missing)
            {
                v = final;
            }
            return v;
        }

        var argv = new object?[numIn];
        var i = 0;
        for (; i < numFixed && i < argCount; i++)
        {
            argv[i] = EvalArg(dot, fun.Parameters[i], args![i + 1]);
        }
        if (fun.Variadic is { } variadic)
        {
            for (; i < argCount; i++)
            {
                argv[i] = EvalArg(dot, variadic, args![i + 1]);
            }
        }
        if (final != s_missing)
        {
            GoParam t;
            if (fun.Variadic is { } vt)
            {
                t = numIn - 1 < numFixed ? fun.Parameters[numIn - 1] : vt;
            }
            else
            {
                t = fun.Parameters[^1];
            }
            argv[i] = ValidateType(final, t);
        }
        try
        {
            return fun.Body(argv);
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InsufficientExecutionStackException)
        {
            At(node);
            Errorf($"error calling {name}: {e.Message}");
            return null;
        }
    }

    // ---- arguments ----

    private object? ValidateType(object? value, GoParam typ)
    {
        if (value is null)
        {
            if (typ.CanBeNil)
            {
                return null;
            }
            Errorf($"invalid value; expected {typ.GoName}");
        }
        switch (typ.Kind)
        {
            case GoParamKind.Value:
                return value;
            case GoParamKind.Any:
                return value is NilInterface ? null : value;
            case GoParamKind.String:
                if (value is string)
                {
                    return value;
                }
                break;
            case GoParamKind.Float64:
                if (value is double)
                {
                    return value;
                }
                break;
            case GoParamKind.Int:
                if (value is long)
                {
                    return value;
                }
                if (value is int i)
                {
                    return (long)i;
                }
                break;
            case GoParamKind.Bool:
                if (value is bool)
                {
                    return value;
                }
                break;
            case GoParamKind.Clr:
                if (typ.ClrType is null || typ.ClrType.IsInstanceOfType(value))
                {
                    return value;
                }
                break;
        }
        Errorf($"wrong type for value; expected {typ.GoName}; got {GoValue.TypeName(value)}");
        return null;
    }

    /// <summary>Go's <c>prepareArg</c> (used by <c>call</c>).</summary>
    internal static bool TryPrepareArg(object? value, GoParam type, out object? result, out string error)
    {
        result = value;
        error = "";
        if (value is null)
        {
            if (!type.CanBeNil)
            {
                error = $"value is nil; should be of type {type.GoName}";
                return false;
            }
            return true;
        }
        var ok = type.Kind switch
        {
            GoParamKind.Value or GoParamKind.Any => true,
            GoParamKind.String => value is string,
            GoParamKind.Float64 => value is double,
            GoParamKind.Int => value is long or int or short or sbyte or ulong or uint or ushort or byte,
            GoParamKind.Bool => value is bool,
            _ => type.ClrType is null || type.ClrType.IsInstanceOfType(value),
        };
        if (!ok)
        {
            error = $"value has type {GoValue.TypeName(value)}; should be {type.GoName}";
            return false;
        }
        if (type.Kind == GoParamKind.Int && value is not long)
        {
            result = GoValue.KindOf(value) == GoKind.Uint ? (long)GoValue.ToUInt64(value) : GoValue.ToInt64(value);
        }
        return true;
    }

    private object? EvalArg(object? dot, GoParam typ, Node n, bool untyped = false)
    {
        At(n);
        switch (n)
        {
            case DotNode:
                return untyped ? dot : ValidateType(dot, typ);
            case NilNode:
                if (typ.CanBeNil)
                {
                    return null;
                }
                Errorf($"cannot assign nil to {typ.GoName}");
                break;
            case FieldNode field:
                return Validate(EvalFieldNode(dot, field, [n], s_missing), typ, untyped);
            case VariableNode variable:
                return Validate(EvalVariableNode(dot, variable, null, s_missing), typ, untyped);
            case PipeNode pipe:
                return Validate(EvalPipeline(dot, pipe), typ, untyped);
            case IdentifierNode ident:
                return Validate(EvalFunction(dot, ident, ident, null, s_missing), typ, untyped);
            case ChainNode chain:
                return Validate(EvalChainNode(dot, chain, null, s_missing), typ, untyped);
        }
        switch (typ.Kind)
        {
            case GoParamKind.Bool:
                At(n);
                if (n is BoolNode b)
                {
                    return b.True;
                }
                Errorf($"expected bool; found {n}");
                break;
            case GoParamKind.Float64:
                At(n);
                if (n is NumberNode { IsFloat: true } f)
                {
                    return f.Float64;
                }
                Errorf($"expected float; found {n}");
                break;
            case GoParamKind.Int:
                At(n);
                if (n is NumberNode { IsInt: true } i)
                {
                    return i.Int64;
                }
                Errorf($"expected integer; found {n}");
                break;
            case GoParamKind.Any or GoParamKind.Value:
                return EvalEmptyInterface(dot, n);
            case GoParamKind.String:
                At(n);
                if (n is StringNode s)
                {
                    return s.Text;
                }
                Errorf($"expected string; found {n}");
                break;
        }
        Errorf($"can't handle {n} for arg of type {typ.GoName}");
        return null;
    }

    private object? Validate(object? value, GoParam typ, bool untyped) => untyped ? value : ValidateType(value, typ);

    private object? EvalEmptyInterface(object? dot, Node n)
    {
        At(n);
        switch (n)
        {
            case BoolNode b:
                return b.True;
            case DotNode:
                return dot;
            case NumberNode num:
                return IdealConstant(num);
            case StringNode s:
                return s.Text;
        }
        Errorf($"can't handle assignment of {n} to empty interface argument");
        return null;
    }

    // ---- printing ----

    private void PrintValue(Node n, object? v)
    {
        At(n);
        if (v is null or NilInterface)
        {
            _wr.Append("<no value>");
            return;
        }
        if (GoValue.KindOf(v) == GoKind.Func)
        {
            Errorf($"can't print {n} of type {GoValue.TypeName(v)}");
        }
        GoFormatter.AppendValue(_wr, v);
    }
}
