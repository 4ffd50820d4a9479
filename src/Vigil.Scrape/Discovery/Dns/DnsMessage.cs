using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Vigil.Scrape.Discovery.Dns;

/// <summary>
/// The subset of RFC 1035 messages discovery needs: writes a one-question query (recursion desired, with an EDNS(0)
/// OPT record advertising a 4096-byte UDP payload, RFC 6891 §6), reads a response's header and answer section,
/// following name compression pointers (§4.1.4).
/// </summary>
public sealed class DnsMessage
{
    /// <summary>The UDP payload size advertised with EDNS(0), as Go's <c>dns.DefaultMsgSize</c>.</summary>
    public const int EdnsPayloadSize = 4096;

    private const int HeaderLength = 12;
    private const int MaxPointerHops = 64;

    /// <summary>The message ID.</summary>
    public ushort Id { get; init; }

    /// <summary>The RCODE.</summary>
    public DnsResponseCode ResponseCode { get; init; }

    /// <summary>Whether the TC bit is set: the answer did not fit, ask again over TCP.</summary>
    public bool Truncated { get; init; }

    /// <summary>Whether this is a response (QR bit).</summary>
    public bool IsResponse { get; init; }

    /// <summary>The question name, fully qualified.</summary>
    public string QuestionName { get; init; } = "";

    /// <summary>The question type.</summary>
    public DnsRecordType QuestionType { get; init; }

    /// <summary>The answer section, in wire order; records of types discovery does not read are left out.</summary>
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    /// <summary>Writes a query for <paramref name="name"/> (made fully qualified) and returns its bytes.</summary>
    public static byte[] WriteQuery(ushort id, string name, DnsRecordType type, bool edns)
    {
        ArgumentNullException.ThrowIfNull(name);
        var buffer = new List<byte>(64);
        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // RD
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)(edns ? 1 : 0)); // ARCOUNT
        buffer.AddRange(header);
        WriteName(buffer, name);
        AddUInt16(buffer, (ushort)type);
        AddUInt16(buffer, 1); // IN
        if (edns)
        {
            buffer.Add(0); // root name
            AddUInt16(buffer, (ushort)DnsRecordType.Opt);
            AddUInt16(buffer, EdnsPayloadSize); // CLASS carries the payload size
            AddUInt16(buffer, 0); // extended RCODE, version
            AddUInt16(buffer, 0); // flags
            AddUInt16(buffer, 0); // RDLENGTH
        }
        return [.. buffer];
    }

    /// <summary>Reads a message; throws <see cref="FormatException"/> when it is malformed.</summary>
    public static DnsMessage Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
        {
            throw new FormatException("dns: message shorter than its header");
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var offset = HeaderLength;
        var questionName = "";
        var questionType = (DnsRecordType)0;
        for (var i = 0; i < questions; i++)
        {
            var name = ReadName(message, ref offset);
            var fixedPart = Slice(message, offset, 4);
            offset += 4;
            if (i == 0)
            {
                questionName = name;
                questionType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(fixedPart);
            }
        }
        var records = new List<DnsRecord>(answers);
        for (var i = 0; i < answers; i++)
        {
            var name = ReadName(message, ref offset);
            var fixedPart = Slice(message, offset, 10);
            offset += 10;
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(fixedPart);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(fixedPart[4..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[8..]);
            var rdata = Slice(message, offset, length);
            var rdataStart = offset;
            offset += length;
            switch (type)
            {
                case DnsRecordType.A when length == 4:
                    records.Add(new DnsRecord(name, type, ttl) { Address = new IPAddress(rdata) });
                    break;
                case DnsRecordType.Aaaa when length == 16:
                    records.Add(new DnsRecord(name, type, ttl) { Address = new IPAddress(rdata) });
                    break;
                case DnsRecordType.Srv when length >= 7:
                {
                    var at = rdataStart + 6;
                    records.Add(new DnsRecord(name, type, ttl)
                    {
                        Priority = BinaryPrimitives.ReadUInt16BigEndian(rdata),
                        Weight = BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]),
                        Port = BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]),
                        Target = ReadName(message, ref at),
                    });
                    break;
                }
                case DnsRecordType.Mx when length >= 3:
                {
                    var at = rdataStart + 2;
                    records.Add(new DnsRecord(name, type, ttl)
                    {
                        Priority = BinaryPrimitives.ReadUInt16BigEndian(rdata),
                        Target = ReadName(message, ref at),
                    });
                    break;
                }
                case DnsRecordType.Cname:
                {
                    var at = rdataStart;
                    records.Add(new DnsRecord(name, type, ttl) { Target = ReadName(message, ref at) });
                    break;
                }
                case DnsRecordType.A or DnsRecordType.Aaaa or DnsRecordType.Srv or DnsRecordType.Mx:
                    throw new FormatException($"dns: bad rdata length {length} for a {type} record");
                default:
                    break;
            }
        }
        return new DnsMessage
        {
            Id = id,
            IsResponse = (flags & 0x8000) != 0,
            Truncated = (flags & 0x0200) != 0,
            ResponseCode = (DnsResponseCode)(flags & 0x000f),
            QuestionName = questionName,
            QuestionType = questionType,
            Answers = records,
        };
    }

    /// <summary>Makes <paramref name="name"/> fully qualified (ending in a dot).</summary>
    public static string Fqdn(string name) => name.EndsWith('.') ? name : name + ".";

    /// <summary>Reads a possibly compressed name at <paramref name="offset"/>, advancing it past the name's bytes in place.</summary>
    internal static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var builder = new StringBuilder();
        var position = offset;
        var jumped = false;
        var hops = 0;
        while (true)
        {
            var length = Slice(message, position, 1)[0];
            if ((length & 0xc0) == 0xc0)
            {
                var pointer = BinaryPrimitives.ReadUInt16BigEndian(Slice(message, position, 2)) & 0x3fff;
                if (!jumped)
                {
                    offset = position + 2;
                    jumped = true;
                }
                if (++hops > MaxPointerHops)
                {
                    throw new FormatException("dns: too many compression pointers");
                }
                position = pointer;
                continue;
            }
            if ((length & 0xc0) != 0)
            {
                throw new FormatException("dns: bad label type");
            }
            position++;
            if (length == 0)
            {
                break;
            }
            var label = Slice(message, position, length);
            position += length;
            foreach (var b in label)
            {
                // Escape as Go's miekg/dns prints names: dots and backslashes inside a label, non-printable bytes as \DDD.
                if (b is (byte)'.' or (byte)'\\')
                {
                    builder.Append('\\').Append((char)b);
                }
                else if (b is < 0x21 or > 0x7e)
                {
                    builder.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append((char)b);
                }
            }
            builder.Append('.');
            if (builder.Length > 255)
            {
                throw new FormatException("dns: name too long");
            }
        }
        if (!jumped)
        {
            offset = position;
        }
        return builder.Length == 0 ? "." : builder.ToString();
    }

    private static void WriteName(List<byte> buffer, string name)
    {
        var fqdn = Fqdn(name);
        if (fqdn == ".")
        {
            buffer.Add(0);
            return;
        }
        foreach (var label in fqdn[..^1].Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new ArgumentException($"dns: bad label \"{label}\" in name \"{name}\"", nameof(name));
            }
            buffer.Add((byte)bytes.Length);
            buffer.AddRange(bytes);
        }
        buffer.Add(0);
    }

    private static void AddUInt16(List<byte> buffer, ushort value)
    {
        buffer.Add((byte)(value >> 8));
        buffer.Add((byte)value);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> message, int offset, int length)
        => offset >= 0 && length >= 0 && offset + length <= message.Length
            ? message.Slice(offset, length)
            : throw new FormatException("dns: overflow unpacking message");
}
