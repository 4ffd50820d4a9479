using System.Runtime.InteropServices;
using Vigil.Model;

namespace Vigil.Remote.Send;

/// <summary>A sample on its way: the series' final labels (external labels added, relabelled), the sample, and what to acknowledge.</summary>
/// <param name="Labels">The labels to send.</param>
/// <param name="TimestampMs">The timestamp.</param>
/// <param name="Value">The value (stale markers keep their NaN bits).</param>
/// <param name="Ref">The WAL series ref.</param>
/// <param name="Ticket">The record it came from (see <see cref="SendProgress"/>).</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct PendingSample(Labels Labels, long TimestampMs, double Value, ulong Ref, long Ticket);
