using System.Text;

namespace Vigil.Templates.Parsing;

/// <summary>One parsed template (Go's <c>parse.Tree</c>): its name, the name of the parse it came from and the text.</summary>
internal sealed class ParseTree
{
    public ParseTree(string name, string parseName, string text)
    {
        Name = name;
        ParseName = parseName;
        Text = text;
    }

    /// <summary>The template's name (a <c>define</c>'s name, or the parse's).</summary>
    public string Name { get; set; }

    /// <summary>The name of the top-level template being parsed (used in error locations).</summary>
    public string ParseName { get; }

    /// <summary>The whole text of the parse this tree came from.</summary>
    public string Text { get; }

    public ListNode? Root { get; set; }

    /// <summary>Go's <c>IsEmptyTree</c>: only whitespace text and comments.</summary>
    public static bool IsEmpty(Node? n) => n switch
    {
        null => true,
        ListNode l => l.Nodes.TrueForAll(IsEmpty),
        TextNode t => string.IsNullOrWhiteSpace(t.Text) && t.Text.AsSpan().IndexOfAnyExcept(" \t\n\r") < 0,
        CommentNode => true,
        _ => false,
    };

    /// <summary>Go's <c>Tree.ErrorContext</c>: "NAME:LINE:COL" (COL in UTF-8 bytes from the line start) and the node's source.</summary>
    public static (string Location, string Context) ErrorContext(Node n)
    {
        var tree = n.Tree;
        var pos = Math.Min(n.Pos, tree.Text.Length);
        var text = tree.Text.AsSpan(0, pos);
        var lastNewline = text.LastIndexOf('\n');
        var byteNum = lastNewline < 0 ? Encoding.UTF8.GetByteCount(text) : Encoding.UTF8.GetByteCount(text[(lastNewline + 1)..]);
        var lineNum = 1 + text.Count('\n');
        var context = n.ToString();
        return ($"{tree.ParseName}:{lineNum}:{byteNum}", context);
    }
}
