using System.Runtime.CompilerServices;

namespace Vigil.Templates.Parsing;

/// <summary>
/// Go's <c>text/template/parse</c> parser (parse.go): one parse of a text produces its top-level tree plus one tree
/// per <c>define</c>/<c>block</c>. Errors are <see cref="TemplateException"/>s with Go's text
/// (<c>template: NAME:LINE: MESSAGE</c>).
/// </summary>
internal sealed class Parser
{
    // Go's maxStackDepth: parse.go rejects deeper nesting of parentheses and control structures.
    private const int MaxStackDepth = 10000;

    private readonly Func<string, bool> _hasFunction;
    private readonly Lexer _lex;
    private readonly Dictionary<string, ParseTree> _treeSet;
    private readonly string _text;
    private readonly string _parseName;
    private readonly Item[] _token = new Item[3];
    private int _peekCount;
    private List<string> _vars = ["$"];
    private ParseTree _tree;
    private int _actionLine;
    private int _rangeDepth;
    private int _stackDepth;

    private Parser(string parseName, string text, string leftDelim, string rightDelim, Func<string, bool> hasFunction, Dictionary<string, ParseTree> treeSet)
    {
        _parseName = parseName;
        _text = text;
        _hasFunction = hasFunction;
        _treeSet = treeSet;
        _lex = new Lexer(text, leftDelim, rightDelim)
        {
            // Go: break and continue are keywords unless a function has taken the name.
            BreakOk = !hasFunction("break"),
            ContinueOk = !hasFunction("continue"),
        };
        _tree = new ParseTree(parseName, parseName, text);
    }

    /// <summary>Parses <paramref name="text"/> as template <paramref name="name"/>; returns every tree it defines, by name.</summary>
    public static Dictionary<string, ParseTree> Parse(string name, string text, string leftDelim, string rightDelim, Func<string, bool> hasFunction)
    {
        var treeSet = new Dictionary<string, ParseTree>(StringComparer.Ordinal);
        var parser = new Parser(name, text, leftDelim, rightDelim, hasFunction, treeSet);
        parser.ParseTop();
        return treeSet;
    }

    private void ParseTop()
    {
        var root = _tree;
        root.Root = new ListNode(root, Peek().Pos);
        while (Peek().Type != ItemType.Eof)
        {
            if (Peek().Type == ItemType.LeftDelim)
            {
                var delim = Next();
                if (NextNonSpace().Type == ItemType.Define)
                {
                    var newTree = new ParseTree("definition", _parseName, _text);
                    var saved = _tree;
                    var savedVars = _vars;
                    _tree = newTree;
                    _vars = ["$"];
                    ParseDefinition();
                    _tree = saved;
                    _vars = savedVars;
                    continue;
                }
                Backup2(delim);
            }
            var n = TextOrAction();
            if (n is EndNode or ElseNode)
            {
                Errorf($"unexpected {n}");
            }
            root.Root.Nodes.Add(n);
        }
        Add(root);
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var name = ExpectOneOf(ItemType.String, ItemType.RawString, context);
        _tree.Name = Unquote(name.Val);
        Expect(ItemType.RightDelim, context);
        var (list, end) = ItemList();
        _tree.Root = list;
        if (end is not EndNode)
        {
            Errorf($"unexpected {end} in {context}");
        }
        Add(_tree);
    }

    private void Add(ParseTree t)
    {
        if (!_treeSet.TryGetValue(t.Name, out var existing) || ParseTree.IsEmpty(existing.Root))
        {
            _treeSet[t.Name] = t;
            return;
        }
        if (!ParseTree.IsEmpty(t.Root))
        {
            Errorf($"template: multiple definition of template {GoQuoting.Quote(t.Name)}");
        }
    }

    // ---- token plumbing (Go's next/backup/peek with a 3-token look-ahead) ----

    private Item Next()
    {
        if (_peekCount > 0)
        {
            _peekCount--;
        }
        else
        {
            _token[0] = _lex.NextItem();
        }
        return _token[_peekCount];
    }

    private void Backup() => _peekCount++;

    private void Backup2(Item t1)
    {
        _token[1] = t1;
        _peekCount = 2;
    }

    private void Backup3(Item t2, Item t1)
    {
        _token[1] = t1;
        _token[2] = t2;
        _peekCount = 3;
    }

    private Item Peek()
    {
        if (_peekCount > 0)
        {
            return _token[_peekCount - 1];
        }
        _peekCount = 1;
        _token[0] = _lex.NextItem();
        return _token[0];
    }

    private Item NextNonSpace()
    {
        Item token;
        while (true)
        {
            token = Next();
            if (token.Type != ItemType.Space)
            {
                break;
            }
        }
        return token;
    }

    private Item PeekNonSpace()
    {
        var token = NextNonSpace();
        Backup();
        return token;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Errorf(string message)
    {
        _lex.Drain();
        throw new TemplateException($"template: {_parseName}:{_token[0].Line}: {message}");
    }

    private Item Expect(ItemType expected, string context)
    {
        var token = NextNonSpace();
        if (token.Type != expected)
        {
            Unexpected(token, context);
        }
        return token;
    }

    private Item ExpectOneOf(ItemType expected1, ItemType expected2, string context)
    {
        var token = NextNonSpace();
        if (token.Type != expected1 && token.Type != expected2)
        {
            Unexpected(token, context);
        }
        return token;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Unexpected(Item token, string context)
    {
        if (token.Type == ItemType.Error)
        {
            var extra = "";
            if (_actionLine != 0 && _actionLine != token.Line)
            {
                extra = $" in action started at {_parseName}:{_actionLine}";
                if (token.Val.EndsWith(" action", StringComparison.Ordinal))
                {
                    extra = extra[" in action".Length..];
                }
            }
            Errorf(token + extra);
        }
        Errorf($"unexpected {token} in {context}");
    }

    private string Unquote(string quoted)
    {
        if (!GoQuoting.TryUnquote(quoted, out var s, out var error))
        {
            Errorf(error);
        }
        return s;
    }

    // Go recurses without a limit on nested control structures; .NET's stack is smaller, so deep nesting
    // stops with Go's depth error instead of overflowing the stack.
    private void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Errorf("max expression depth exceeded");
        }
    }

    // ---- grammar ----

    private (ListNode List, Node Next) ItemList()
    {
        var list = new ListNode(_tree, PeekNonSpace().Pos);
        while (PeekNonSpace().Type != ItemType.Eof)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode)
            {
                return (list, n);
            }
            list.Nodes.Add(n);
        }
        Errorf("unexpected EOF");
        return default;
    }

    private Node TextOrAction()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case ItemType.Text:
                return new TextNode(_tree, token.Pos, token.Val);
            case ItemType.LeftDelim:
                _actionLine = token.Line;
                try
                {
                    return Action();
                }
                finally
                {
                    _actionLine = 0;
                }
            case ItemType.Comment:
                return new CommentNode(_tree, token.Pos, token.Val);
            default:
                Unexpected(token, "input");
                return null;
        }
    }

    private Node Action()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case ItemType.Block:
                return BlockControl();
            case ItemType.Break:
                return BreakControl(token, isBreak: true);
            case ItemType.Continue:
                return BreakControl(token, isBreak: false);
            case ItemType.Else:
                return ElseControl();
            case ItemType.End:
                return EndControl();
            case ItemType.If:
                return BranchControl(BranchKind.If, allowElseIf: true, "if");
            case ItemType.Range:
                return BranchControl(BranchKind.Range, allowElseIf: false, "range");
            case ItemType.Template:
                return TemplateControl();
            case ItemType.With:
                return BranchControl(BranchKind.With, allowElseIf: false, "with");
        }
        Backup();
        var peek = Peek();
        return new ActionNode(_tree, peek.Pos, peek.Line, Pipeline("command", ItemType.RightDelim));
    }

    private Node BreakControl(Item token, bool isBreak)
    {
        var name = isBreak ? "{{break}}" : "{{continue}}";
        var next = NextNonSpace();
        if (next.Type != ItemType.RightDelim)
        {
            Unexpected(next, name);
        }
        if (_rangeDepth == 0)
        {
            Errorf($"{name} outside {{{{range}}}}");
        }
        return isBreak ? new BreakNode(_tree, token.Pos, token.Line) : new ContinueNode(_tree, token.Pos, token.Line);
    }

    private PipeNode Pipeline(string context, ItemType end)
    {
        var token = PeekNonSpace();
        var pipe = new PipeNode(_tree, token.Pos, token.Line);
        Decls:
        var v = PeekNonSpace();
        if (v.Type == ItemType.Variable)
        {
            Next();
            var tokenAfterVariable = Peek();
            var next = PeekNonSpace();
            if (next.Type is ItemType.Assign or ItemType.Declare)
            {
                pipe.IsAssign = next.Type == ItemType.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(_tree, v.Pos, v.Val.Split('.')));
                _vars.Add(v.Val);
            }
            else if (next.Type == ItemType.Char && next.Val == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(_tree, v.Pos, v.Val.Split('.')));
                _vars.Add(v.Val);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    switch (PeekNonSpace().Type)
                    {
                        case ItemType.Variable or ItemType.RightDelim or ItemType.RightParen:
                            goto Decls;
                        default:
                            Errorf("range can only initialize variables");
                            break;
                    }
                }
                Errorf($"too many declarations in {context}");
            }
            else if (tokenAfterVariable.Type == ItemType.Space)
            {
                Backup3(v, tokenAfterVariable);
            }
            else
            {
                Backup2(v);
            }
        }
        while (true)
        {
            var t = NextNonSpace();
            if (t.Type == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            switch (t.Type)
            {
                case ItemType.Bool or ItemType.CharConstant or ItemType.Complex or ItemType.Dot or ItemType.Field or ItemType.Identifier
                    or ItemType.Number or ItemType.Nil or ItemType.RawString or ItemType.String or ItemType.Variable or ItemType.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    Unexpected(t, context);
                    break;
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Cmds.Count == 0)
        {
            Errorf($"missing value for {context}");
        }
        for (var i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
            {
                Errorf($"non executable command in pipeline stage {i + 1}");
            }
        }
    }

    private Node BranchControl(BranchKind kind, bool allowElseIf, string context)
    {
        EnsureStack();
        var varCount = _vars.Count;
        try
        {
            var pipe = Pipeline(context, ItemType.RightDelim);
            if (kind == BranchKind.Range)
            {
                _rangeDepth++;
            }
            var (list, next) = ItemList();
            if (kind == BranchKind.Range)
            {
                _rangeDepth--;
            }
            ListNode? elseList = null;
            if (next is ElseNode)
            {
                if (allowElseIf && Peek().Type == ItemType.If)
                {
                    Next();
                    elseList = new ListNode(_tree, next.Pos);
                    elseList.Nodes.Add(BranchControl(BranchKind.If, allowElseIf: true, "if"));
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (next is not EndNode)
                    {
                        Errorf($"expected end; found {next}");
                    }
                }
            }
            return new BranchNode(_tree, pipe.Pos, pipe.Line, kind, pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(varCount, _vars.Count - varCount);
        }
    }

    private Node EndControl() => new EndNode(_tree, Expect(ItemType.RightDelim, "end").Pos);

    private Node ElseControl()
    {
        var peek = PeekNonSpace();
        if (peek.Type == ItemType.If)
        {
            return new ElseNode(_tree, peek.Pos, peek.Line);
        }
        var token = Expect(ItemType.RightDelim, "else");
        return new ElseNode(_tree, token.Pos, token.Line);
    }

    private Node BlockControl()
    {
        const string context = "block clause";
        var token = NextNonSpace();
        var name = ParseTemplateName(token, context);
        var pipe = Pipeline(context, ItemType.RightDelim);

        var block = new ParseTree(name, _parseName, _text);
        var saved = _tree;
        var savedVars = _vars;
        var savedRange = _rangeDepth;
        var savedActionLine = _actionLine;
        _tree = block;
        _vars = ["$"];
        _rangeDepth = 0;
        // Go parses the block's body as a new Tree, with its own action line (none yet).
        _actionLine = 0;
        var (list, end) = ItemList();
        block.Root = list;
        if (end is not EndNode)
        {
            Errorf($"unexpected {end} in {context}");
        }
        Add(block);
        _tree = saved;
        _vars = savedVars;
        _rangeDepth = savedRange;
        _actionLine = savedActionLine;
        return new TemplateNode(_tree, token.Pos, token.Line, name, pipe);
    }

    private Node TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        var name = ParseTemplateName(token, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Type != ItemType.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, ItemType.RightDelim);
        }
        return new TemplateNode(_tree, token.Pos, token.Line, name, pipe);
    }

    private string ParseTemplateName(Item token, string context)
    {
        if (token.Type is ItemType.String or ItemType.RawString)
        {
            return Unquote(token.Val);
        }
        Unexpected(token, context);
        return "";
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(_tree, PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null)
            {
                cmd.Args.Add(operand);
            }
            var token = Next();
            switch (token.Type)
            {
                case ItemType.Space:
                    continue;
                case ItemType.RightDelim or ItemType.RightParen:
                    Backup();
                    break;
                case ItemType.Pipe:
                    break;
                default:
                    Unexpected(token, "operand");
                    break;
            }
            break;
        }
        if (cmd.Args.Count == 0)
        {
            Errorf("empty command");
        }
        return cmd;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null)
        {
            return null;
        }
        if (Peek().Type == ItemType.Field)
        {
            var chain = new ChainNode(_tree, Peek().Pos, node);
            while (Peek().Type == ItemType.Field)
            {
                chain.Add(Next().Val);
            }
            switch (node)
            {
                case FieldNode:
                {
                    var s = chain.ToString();
                    return new FieldNode(_tree, chain.Pos, s[1..].Split('.'));
                }
                case VariableNode:
                    return new VariableNode(_tree, chain.Pos, chain.ToString().Split('.'));
                case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                    Errorf($"unexpected . after term {GoQuoting.Quote(node.ToString())}");
                    break;
                default:
                    return chain;
            }
        }
        return node;
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case ItemType.Identifier:
                if (!_hasFunction(token.Val))
                {
                    Errorf($"function {GoQuoting.Quote(token.Val)} not defined");
                }
                return new IdentifierNode(_tree, token.Pos, token.Val);
            case ItemType.Dot:
                return new DotNode(_tree, token.Pos);
            case ItemType.Nil:
                return new NilNode(_tree, token.Pos);
            case ItemType.Variable:
                return UseVar(token.Pos, token.Val);
            case ItemType.Field:
                return new FieldNode(_tree, token.Pos, token.Val[1..].Split('.'));
            case ItemType.Bool:
                return new BoolNode(_tree, token.Pos, token.Val == "true");
            case ItemType.CharConstant or ItemType.Complex or ItemType.Number:
            {
                if (!GoNumber.TryParse(token.Val, token.Type, out var n, out var error))
                {
                    Errorf(error);
                }
                var node = new NumberNode(_tree, token.Pos, token.Val)
                {
                    IsInt = n.IsInt,
                    IsUint = n.IsUint,
                    IsFloat = n.IsFloat,
                    IsComplex = n.IsComplex,
                    Int64 = n.Int64,
                    Uint64 = n.Uint64,
                    Float64 = n.Float64,
                };
                return node;
            }
            case ItemType.LeftParen:
            {
                if (_stackDepth >= MaxStackDepth)
                {
                    Errorf("max expression depth exceeded");
                }
                EnsureStack();
                _stackDepth++;
                var pipe = Pipeline("parenthesized pipeline", ItemType.RightParen);
                _stackDepth--;
                return pipe;
            }
            case ItemType.String or ItemType.RawString:
                return new StringNode(_tree, token.Pos, token.Val, Unquote(token.Val));
        }
        Backup();
        return null;
    }

    private Node UseVar(int pos, string name)
    {
        var v = new VariableNode(_tree, pos, name.Split('.'));
        foreach (var varName in _vars)
        {
            if (varName == v.Ident[0])
            {
                return v;
            }
        }
        Errorf($"undefined variable {GoQuoting.Quote(v.Ident[0])}");
        return v;
    }
}
