using System.Text;
using Vigil.Model;

namespace Vigil.Alerting.Routing;

/// <summary>
/// Prints a routing tree as <c>amtool config routes show</c> and <c>amtool config routes test --tree</c> 0.25 do
/// (github.com/xlab/treeprint's layout): a <c>.</c> root, <c>├── </c>/<c>└── </c> branches, <c>│   </c> and four
/// spaces for the levels above; each route is its matchers (or <c>default-route</c>), then
/// <c>  continue: true</c> and <c>  receiver: NAME</c> where asked for.
/// </summary>
public static class RouteTreePrinter
{
    /// <summary>The whole tree with continue flags and receivers (<c>amtool config routes show</c>), ending in a newline.</summary>
    public static string Show(Route root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var sb = new StringBuilder(".\n");
        Append(sb, root, "", last: true, r => Slug(r, showContinue: true, showReceiver: true), static r => r.Routes);
        return sb.ToString();
    }

    /// <summary>
    /// The routes an alert passes through (<c>amtool config routes test --tree</c>), ending in a newline: matching
    /// children as far as routing goes, the receiver shown on the routes that are final.
    /// </summary>
    public static string Matching(Route root, Labels labels)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(labels);
        var sb = new StringBuilder(".\n");
        Append(sb, root, "", last: true, r => MatchingChildren(r, labels).Count == 0 ? Slug(r, false, true) : Slug(r, false, false), r => MatchingChildren(r, labels));
        return sb.ToString();
    }

    // amtool's getMatchingTree: children whose own matchers match, stopping after the first without continue.
    private static List<Route> MatchingChildren(Route route, Labels labels)
    {
        var children = new List<Route>();
        foreach (var child in route.Routes)
        {
            if (child.Matchers.Matches(labels))
            {
                children.Add(child);
                if (!child.Continue)
                {
                    break;
                }
            }
        }
        return children;
    }

    private static string Slug(Route route, bool showContinue, bool showReceiver)
    {
        var sb = new StringBuilder();
        sb.Append(route.Matchers.Count == 0 ? "default-route" : route.Matchers.ToString());
        if (route.Continue && showContinue)
        {
            sb.Append("  continue: true");
        }
        if (showReceiver)
        {
            sb.Append("  receiver: ").Append(route.Options.Receiver);
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Route route, string indent, bool last, Func<Route, string> slug, Func<Route, IReadOnlyList<Route>> children)
    {
        sb.Append(indent).Append(last ? "└── " : "├── ");
        // treeprint indents the continuation lines of a multi-line value under the branch.
        var text = slug(route);
        var continuation = indent + (last ? "    " : "│\u00a0\u00a0 "); // treeprint pads the link with two no-break spaces
        sb.Append(text.Replace("\n", "\n" + continuation, StringComparison.Ordinal)).Append('\n');
        var list = children(route);
        for (var i = 0; i < list.Count; i++)
        {
            Append(sb, list[i], continuation, i == list.Count - 1, slug, children);
        }
    }
}
