using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Scrape.Tests.Discovery;

/// <summary>A zone record the fake server answers with (RDATA written independently of the client's code).</summary>
public sealed record FakeRecord(ushort Type, string? Address = null, string? Target = null, ushort Port = 0, ushort Priority = 0, ushort Weight = 0);

/// <summary>
/// An authoritative-looking DNS server on 127.0.0.1 (UDP, and TCP on the same port): answers names in <see cref="Zone"/>,
/// NXDOMAIN for the rest, SERVFAIL for names in <see cref="Failing"/>, and sets TC over UDP for names in <see cref="TruncateOverUdp"/>.
/// Answer names are compressed as pointers to the question.
/// </summary>
public sealed class FakeDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    public FakeDnsServer()
    {
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
        _tcp = new TcpListener(EndPoint);
        _tcp.Start();
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Records by fully qualified, lower-case name.</summary>
    public Dictionary<string, List<FakeRecord>> Zone { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Failing { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> TruncateOverUdp { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<(string Name, ushort Type, bool Tcp)> Queries { get; } = [];

    private async Task UdpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            var response = Answer(request.Buffer, tcp: false);
            await _udp.SendAsync(response, request.RemoteEndPoint, _stop.Token);
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            using (client)
            {
                var stream = client.GetStream();
                var length = new byte[2];
                await stream.ReadExactlyAsync(length, _stop.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                await stream.ReadExactlyAsync(query, _stop.Token);
                var response = Answer(query, tcp: true);
                var framed = new byte[response.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
                response.CopyTo(framed, 2);
                await stream.WriteAsync(framed, _stop.Token);
            }
        }
    }

    private byte[] Answer(byte[] query, bool tcp)
    {
        // Question: labels from offset 12, then type and class.
        var offset = 12;
        var name = new StringBuilder();
        while (query[offset] != 0)
        {
            name.Append(Encoding.ASCII.GetString(query, offset + 1, query[offset])).Append('.');
            offset += query[offset] + 1;
        }
        offset++;
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        var questionEnd = offset + 4;
        var qname = name.ToString();
        lock (Queries)
        {
            Queries.Add((qname, qtype, tcp));
        }

        var output = new List<byte>();
        output.AddRange(query.AsSpan(0, 2).ToArray()); // ID
        ushort flags = 0x8000 | 0x0400 | 0x0100 | 0x0080; // QR AA RD RA
        var records = new List<FakeRecord>();
        if (Failing.Contains(qname))
        {
            flags |= 2;
        }
        else if (!Zone.TryGetValue(qname, out var zone))
        {
            flags |= 3;
        }
        else if (!tcp && TruncateOverUdp.Contains(qname))
        {
            flags |= 0x0200;
        }
        else
        {
            records = zone.Where(r => r.Type == qtype || r.Type == 5).ToList();
        }
        AddUInt16(output, flags);
        AddUInt16(output, 1);
        AddUInt16(output, (ushort)records.Count);
        AddUInt16(output, 0);
        AddUInt16(output, 0);
        output.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var record in records)
        {
            output.Add(0xC0);
            output.Add(12); // pointer to the question name
            AddUInt16(output, record.Type);
            AddUInt16(output, 1);
            output.AddRange([0, 0, 0, 60]);
            var rdata = new List<byte>();
            switch (record.Type)
            {
                case 1:
                case 28:
                    rdata.AddRange(IPAddress.Parse(record.Address!).GetAddressBytes());
                    break;
                case 33:
                    AddUInt16(rdata, record.Priority);
                    AddUInt16(rdata, record.Weight);
                    AddUInt16(rdata, record.Port);
                    AddName(rdata, record.Target!);
                    break;
                case 15:
                    AddUInt16(rdata, record.Priority);
                    AddName(rdata, record.Target!);
                    break;
                case 5:
                    AddName(rdata, record.Target!);
                    break;
            }
            AddUInt16(output, (ushort)rdata.Count);
            output.AddRange(rdata);
        }
        return [.. output];
    }

    private static void AddName(List<byte> buffer, string name)
    {
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            buffer.Add((byte)label.Length);
            buffer.AddRange(Encoding.ASCII.GetBytes(label));
        }
        buffer.Add(0);
    }

    private static void AddUInt16(List<byte> buffer, ushort value)
    {
        buffer.Add((byte)(value >> 8));
        buffer.Add((byte)value);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await _udpLoop;
        await _tcpLoop;
        _stop.Dispose();
    }
}
