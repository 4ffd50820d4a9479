using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Model.Relabel;

/// <summary>
/// Applies relabel rules to a label set exactly as Prometheus 2.42's <c>relabel.Process</c>: rules run in order,
/// each on the previous one's result; keep, drop, keepequal and dropequal can drop the whole set. Runs per target
/// and per scraped series (metric_relabel_configs), so it works in place on a <see cref="LabelsBuilder"/> and
/// allocates only for the strings it writes (a single source label is read without joining).
/// </summary>
public static class Relabeler
{
    [ThreadStatic]
    private static LabelsBuilder? t_builder;

    [ThreadStatic]
    private static StringBuilder? t_text;

    /// <summary>Relabels <paramref name="labels"/>; null when a rule dropped the set. With no rules, the same instance.</summary>
    public static Labels? Process(Labels labels, IReadOnlyList<RelabelConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(configs);
        if (configs.Count == 0)
        {
            return labels;
        }
        var builder = t_builder ??= new LabelsBuilder();
        builder.Reset(labels);
        return Process(builder, configs) ? builder.ToLabels() : null;
    }

    /// <summary>Relabels the labels in <paramref name="builder"/> in place; false when a rule dropped the set (the builder is then left as it was at that point).</summary>
    public static bool Process(LabelsBuilder builder, IReadOnlyList<RelabelConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configs);
        for (var i = 0; i < configs.Count; i++)
        {
            if (!Apply(builder, configs[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Applies one rule; false when it drops the set.</summary>
    public static bool Apply(LabelsBuilder builder, RelabelConfig config)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(config);
        switch (config.Action)
        {
            case RelabelAction.Drop:
                return !config.Regex.IsMatch(JoinSourceValues(builder, config));
            case RelabelAction.Keep:
                return config.Regex.IsMatch(JoinSourceValues(builder, config));
            case RelabelAction.DropEqual:
                return !string.Equals(builder.Get(config.TargetLabel), JoinSourceValues(builder, config), StringComparison.Ordinal);
            case RelabelAction.KeepEqual:
                return string.Equals(builder.Get(config.TargetLabel), JoinSourceValues(builder, config), StringComparison.Ordinal);
            case RelabelAction.Replace:
                Replace(builder, config, JoinSourceValues(builder, config));
                return true;
            case RelabelAction.Lowercase:
                builder.Set(config.TargetLabel, JoinSourceValues(builder, config).ToLowerInvariant());
                return true;
            case RelabelAction.Uppercase:
                builder.Set(config.TargetLabel, JoinSourceValues(builder, config).ToUpperInvariant());
                return true;
            case RelabelAction.HashMod:
                builder.Set(config.TargetLabel, HashMod(JoinSourceValues(builder, config), config.Modulus).ToString(CultureInfo.InvariantCulture));
                return true;
            case RelabelAction.LabelMap:
                LabelMap(builder, config);
                return true;
            case RelabelAction.LabelDrop:
                RemoveNames(builder, config.Regex, matching: true);
                return true;
            case RelabelAction.LabelKeep:
                RemoveNames(builder, config.Regex, matching: false);
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(config), config.Action, "unknown relabel action");
        }
    }

    /// <summary>
    /// Prometheus's hashmod: the MD5 of the UTF-8 value, its last 8 bytes read big-endian as an unsigned 64-bit
    /// number (2.42's <c>sum64</c> shifts the first 8 bytes out), modulo <paramref name="modulus"/>.
    /// </summary>
    public static ulong HashMod(string value, ulong modulus)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfZero(modulus);
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetBytes(value, bytes);
#pragma warning disable CA5351 // MD5 is what Prometheus hashes with; this is sharding, not security.
            MD5.HashData(bytes[..n], hash);
#pragma warning restore CA5351
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        return BinaryPrimitives.ReadUInt64BigEndian(hash[8..]) % modulus;
    }

    private static string JoinSourceValues(LabelsBuilder builder, RelabelConfig config)
    {
        var names = config.SourceLabels;
        switch (names.Count)
        {
            case 0:
                return "";
            case 1:
                return builder.Get(names[0]);
        }
        var sb = t_text ??= new StringBuilder(128);
        sb.Clear();
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(config.Separator);
            }
            sb.Append(builder.Get(names[i]));
        }
        return sb.ToString();
    }

    private static void Replace(LabelsBuilder builder, RelabelConfig config, string value)
    {
        var regex = config.Regex;
        // Fast path for the common copy rule (default regex and replacement, a plain target): "(.*)" matches any
        // value without a newline ('.' never matches '\n' in RE2), and $1 is then the whole value.
        if (ReferenceEquals(regex, RelabelRegex.Default) && config.Replacement == RelabelConfig.DefaultReplacement
            && !config.TargetLabel.Contains('$', StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal))
        {
            builder.Set(config.TargetLabel, value);
            return;
        }
        var match = regex.Match(value);
        if (match is null)
        {
            return;
        }
        // Prometheus 2.42 deletes the target label *as written* (not expanded) when the expanded name is invalid or
        // the replacement expands to nothing: with "x_$1" as target, an existing x_foo survives (checked against 2.42).
        var target = regex.Expand(config.TargetLabel, match);
        if (!LabelText.IsValidLabelName(target))
        {
            builder.Remove(config.TargetLabel);
            return;
        }
        var result = regex.Expand(config.Replacement, match);
        if (result.Length == 0)
        {
            builder.Remove(config.TargetLabel);
            return;
        }
        builder.Set(target, result);
    }

    private static void LabelMap(LabelsBuilder builder, RelabelConfig config)
    {
        // Prometheus iterates the label set as it was before this rule while writing to the builder: snapshot it.
        var current = builder.AsSpan();
        var snapshot = ArrayPool<Label>.Shared.Rent(current.Length);
        var count = current.Length;
        current.CopyTo(snapshot);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var label = snapshot[i];
                var match = config.Regex.Match(label.Name);
                if (match is not null)
                {
                    builder.Set(config.Regex.Expand(config.Replacement, match), label.Value);
                }
            }
        }
        finally
        {
            Array.Clear(snapshot, 0, count);
            ArrayPool<Label>.Shared.Return(snapshot);
        }
    }

    private static void RemoveNames(LabelsBuilder builder, RelabelRegex regex, bool matching)
    {
        var labels = builder.AsSpan();
        for (var i = labels.Length - 1; i >= 0; i--)
        {
            if (regex.IsMatch(labels[i].Name) == matching)
            {
                builder.Remove(labels[i].Name);
                labels = builder.AsSpan();
            }
        }
    }
}
