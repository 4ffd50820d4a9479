using System.Xml.Linq;

namespace Vigil.Architecture.Tests;

/// <summary>The project references as the .csproj files declare them.</summary>
public sealed record ProjectNode(string Name, string Path, IReadOnlyList<string> References, IReadOnlyList<string> Packages)
{
    public static IReadOnlyList<ProjectNode> Load(string directory)
    {
        var nodes = new List<ProjectNode>();
        foreach (var csproj in Directory.EnumerateFiles(directory, "*.csproj", SearchOption.AllDirectories))
        {
            nodes.Add(Parse(csproj));
        }
        nodes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return nodes;
    }

    public static ProjectNode Parse(string csproj)
    {
        var doc = XDocument.Load(csproj);
        var refs = doc.Descendants("ProjectReference")
            .Select(e => System.IO.Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        var packages = doc.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();
        return new ProjectNode(System.IO.Path.GetFileNameWithoutExtension(csproj), csproj, refs, packages);
    }
}
