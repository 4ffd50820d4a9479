using System.Text;

namespace Vigil.Templates.Parsing;

/// <summary>A node of a parsed template (Go's <c>parse.Node</c>); <see cref="Pos"/> is a char offset into <see cref="Tree"/>'s text.</summary>
internal abstract class Node
{
    protected Node(ParseTree tree, int pos)
    {
        Tree = tree;
        Pos = pos;
    }

    public ParseTree Tree { get; }

    public int Pos { get; }

    /// <summary>Go's <c>Node.String()</c>: the node as template source (error contexts use it).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }

    public abstract void WriteTo(StringBuilder sb);
}

internal sealed class ListNode(ParseTree tree, int pos) : Node(tree, pos)
{
    public List<Node> Nodes { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var n in Nodes)
        {
            n.WriteTo(sb);
        }
    }
}

internal sealed class TextNode(ParseTree tree, int pos, string text) : Node(tree, pos)
{
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class CommentNode(ParseTree tree, int pos, string text) : Node(tree, pos)
{
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append("{{").Append(Text).Append("}}");
}

internal sealed class PipeNode(ParseTree tree, int pos, int line) : Node(tree, pos)
{
    public int Line { get; } = line;

    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Cmds { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        if (Decl.Count > 0)
        {
            for (var i = 0; i < Decl.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }
                Decl[i].WriteTo(sb);
            }
            sb.Append(" := ");
        }
        for (var i = 0; i < Cmds.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(" | ");
            }
            Cmds[i].WriteTo(sb);
        }
    }
}

internal sealed class ActionNode(ParseTree tree, int pos, int line, PipeNode pipe) : Node(tree, pos)
{
    public int Line { get; } = line;

    public PipeNode Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{");
        Pipe.WriteTo(sb);
        sb.Append("}}");
    }
}

internal sealed class CommandNode(ParseTree tree, int pos) : Node(tree, pos)
{
    public List<Node> Args { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        for (var i = 0; i < Args.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            if (Args[i] is PipeNode p)
            {
                sb.Append('(');
                p.WriteTo(sb);
                sb.Append(')');
                continue;
            }
            Args[i].WriteTo(sb);
        }
    }
}

internal sealed class IdentifierNode(ParseTree tree, int pos, string ident) : Node(tree, pos)
{
    public string Ident { get; } = ident;

    public override void WriteTo(StringBuilder sb) => sb.Append(Ident);
}

internal sealed class VariableNode(ParseTree tree, int pos, string[] ident) : Node(tree, pos)
{
    public string[] Ident { get; } = ident;

    public override void WriteTo(StringBuilder sb) => sb.AppendJoin('.', Ident);
}

internal sealed class DotNode(ParseTree tree, int pos) : Node(tree, pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append('.');
}

internal sealed class NilNode(ParseTree tree, int pos) : Node(tree, pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("nil");
}

internal sealed class FieldNode(ParseTree tree, int pos, string[] ident) : Node(tree, pos)
{
    public string[] Ident { get; } = ident;

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var id in Ident)
        {
            sb.Append('.').Append(id);
        }
    }
}

internal sealed class ChainNode(ParseTree tree, int pos, Node node) : Node(tree, pos)
{
    public Node Node { get; } = node;

    public List<string> Field { get; } = [];

    public void Add(string field)
    {
        // Go: the field arrives with its leading '.'; a chain of fields (".a.b") is split.
        foreach (var part in field.TrimStart('.').Split('.'))
        {
            Field.Add(part);
        }
    }

    public override void WriteTo(StringBuilder sb)
    {
        if (Node is PipeNode p)
        {
            sb.Append('(');
            p.WriteTo(sb);
            sb.Append(')');
        }
        else
        {
            Node.WriteTo(sb);
        }
        foreach (var f in Field)
        {
            sb.Append('.').Append(f);
        }
    }
}

internal sealed class BoolNode(ParseTree tree, int pos, bool value) : Node(tree, pos)
{
    public bool True { get; } = value;

    public override void WriteTo(StringBuilder sb) => sb.Append(True ? "true" : "false");
}

internal sealed class NumberNode(ParseTree tree, int pos, string text) : Node(tree, pos)
{
    public string Text { get; } = text;

    public bool IsInt { get; set; }

    public bool IsUint { get; set; }

    public bool IsFloat { get; set; }

    public bool IsComplex { get; set; }

    public long Int64 { get; set; }

    public ulong Uint64 { get; set; }

    public double Float64 { get; set; }

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class StringNode(ParseTree tree, int pos, string quoted, string text) : Node(tree, pos)
{
    public string Quoted { get; } = quoted;

    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Quoted);
}

internal sealed class EndNode(ParseTree tree, int pos) : Node(tree, pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{end}}");
}

internal sealed class ElseNode(ParseTree tree, int pos, int line) : Node(tree, pos)
{
    public int Line { get; } = line;

    public override void WriteTo(StringBuilder sb) => sb.Append("{{else}}");
}

internal enum BranchKind
{
    If,
    Range,
    With,
}

internal sealed class BranchNode(ParseTree tree, int pos, int line, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : Node(tree, pos)
{
    public int Line { get; } = line;

    public BranchKind Kind { get; } = kind;

    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{").Append(Kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" }).Append(' ');
        Pipe.WriteTo(sb);
        sb.Append("}}");
        List.WriteTo(sb);
        if (ElseList is not null)
        {
            sb.Append("{{else}}");
            ElseList.WriteTo(sb);
        }
        sb.Append("{{end}}");
    }
}

internal sealed class TemplateNode(ParseTree tree, int pos, int line, string name, PipeNode? pipe) : Node(tree, pos)
{
    public int Line { get; } = line;

    public string Name { get; } = name;

    public PipeNode? Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{template ").Append(GoQuoting.Quote(Name));
        if (Pipe is not null)
        {
            sb.Append(' ');
            Pipe.WriteTo(sb);
        }
        sb.Append("}}");
    }
}

internal sealed class BreakNode(ParseTree tree, int pos, int line) : Node(tree, pos)
{
    public int Line { get; } = line;

    public override void WriteTo(StringBuilder sb) => sb.Append("{{break}}");
}

internal sealed class ContinueNode(ParseTree tree, int pos, int line) : Node(tree, pos)
{
    public int Line { get; } = line;

    public override void WriteTo(StringBuilder sb) => sb.Append("{{continue}}");
}
