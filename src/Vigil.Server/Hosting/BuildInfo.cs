using System.Reflection;
using System.Runtime.InteropServices;

namespace Vigil.Server.Hosting;

/// <summary>Version facts about this build, for <c>vigil version</c> and <c>vigil_build_info</c>.</summary>
public static class BuildInfo
{
    private static readonly string s_informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The release version, e.g. <c>0.1.0</c>.</summary>
    public static string Version => s_informational.Split('+')[0];

    /// <summary>The git commit the build came from, or "unknown".</summary>
    public static string Revision
    {
        get
        {
            var plus = s_informational.IndexOf('+', StringComparison.Ordinal);
            return plus >= 0 ? s_informational[(plus + 1)..] : "unknown";
        }
    }

    /// <summary>The .NET runtime version, e.g. <c>10.0.12</c>.</summary>
    public static string RuntimeVersion => Environment.Version.ToString();

    /// <summary>The platform as <c>os/arch</c>, e.g. <c>linux/x64</c>.</summary>
    public static string Platform
    {
        get
        {
            var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : "unknown";
            return $"{os}/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        }
    }

    /// <summary>The multi-line text <c>vigil version</c> prints, in the shape of <c>prometheus --version</c>.</summary>
    public static string Describe() =>
        $"vigil, version {Version} (revision: {Revision})\n" +
        $"  .NET version:     {RuntimeVersion}\n" +
        $"  platform:         {Platform}\n";
}
