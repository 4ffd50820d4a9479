using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vigil.Scrape.Discovery.Dns;

/// <summary>
/// A small stub resolver for discovery (.NET has no SRV or MX lookups): asks the configured servers over UDP, again
/// over TCP when the answer is truncated, and applies the search path as Prometheus's <c>lookupWithSearchPath</c>:
/// the first successful answer wins; when every name got NXDOMAIN the result is an empty answer (the targets go away);
/// when some name could not be resolved at all it is an error (the targets stay).
/// </summary>
public sealed class DnsClient
{
    private readonly ResolverConfig _config;

    /// <summary>Creates a client for <paramref name="config"/>.</summary>
    public DnsClient(ResolverConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>The configuration in use.</summary>
    public ResolverConfig Config => _config;

    /// <summary>Looks <paramref name="name"/> up along the search path.</summary>
    /// <exception cref="DnsLookupException">No name gave a success and at least one gave no usable answer.</exception>
    public async Task<DnsMessage> LookupAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var allAnswered = true;
        foreach (var candidate in _config.NameList(name))
        {
            var response = await LookupFromAnyServerAsync(candidate, type, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                // A later name may still succeed, but we can no longer say the name does not exist.
                allAnswered = false;
            }
            else if (response.ResponseCode == DnsResponseCode.NoError)
            {
                return response;
            }
        }
        if (allAnswered)
        {
            return new DnsMessage { IsResponse = true, ResponseCode = DnsResponseCode.NameError, QuestionName = DnsMessage.Fqdn(name), QuestionType = type };
        }
        throw new DnsLookupException($"could not resolve \"{name}\": all servers responded with errors to at least one search domain");
    }

    /// <summary>Asks each server in turn; the first NOERROR or NXDOMAIN answer counts. Null when none gave one.</summary>
    private async Task<DnsMessage?> LookupFromAnyServerAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        foreach (var server in _config.Servers)
        {
            try
            {
                var response = await ExchangeAsync(server, name, type, cancellationToken).ConfigureAwait(false);
                if (response.ResponseCode is DnsResponseCode.NoError or DnsResponseCode.NameError)
                {
                    return response;
                }
            }
            catch (Exception e) when (e is SocketException or FormatException or TimeoutException or IOException)
            {
                // Prometheus logs "DNS resolution failed" and tries the next server.
            }
        }
        return null;
    }

    /// <summary>One query to one server: UDP with EDNS(0), then TCP without it if the UDP answer was truncated.</summary>
    public async Task<DnsMessage> ExchangeAsync(IPEndPoint server, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var response = await ExchangeUdpAsync(server, name, type, cancellationToken).ConfigureAwait(false);
        if (!response.Truncated)
        {
            return response;
        }
        response = await ExchangeTcpAsync(server, name, type, cancellationToken).ConfigureAwait(false);
        return response.Truncated ? throw new IOException("got truncated message on TCP (64kiB limit exceeded?)") : response;
    }

    private async Task<DnsMessage> ExchangeUdpAsync(IPEndPoint server, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var id = NewId();
        var query = DnsMessage.WriteQuery(id, name, type, edns: true);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_config.Timeout);
        try
        {
            await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(query, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[65535];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                DnsMessage response;
                try
                {
                    response = DnsMessage.Read(buffer.AsSpan(0, received));
                }
                catch (FormatException)
                {
                    continue;
                }
                // Ignore stray datagrams: only the answer to this question counts.
                if (response.IsResponse && response.Id == id && IsSameQuestion(response, name, type))
                {
                    return response;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"read udp {server}: i/o timeout");
        }
    }

    private async Task<DnsMessage> ExchangeTcpAsync(IPEndPoint server, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var id = NewId();
        var query = DnsMessage.WriteQuery(id, name, type, edns: false);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_config.Timeout);
        try
        {
            await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
            // RFC 1035 §4.2.2: each TCP message is preceded by its two-byte length.
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            await socket.SendAsync(framed, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var lengthBytes = new byte[2];
            await ReceiveExactlyAsync(socket, lengthBytes, timeout.Token).ConfigureAwait(false);
            var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
            await ReceiveExactlyAsync(socket, message, timeout.Token).ConfigureAwait(false);
            var response = DnsMessage.Read(message);
            return response.Id == id ? response : throw new FormatException("dns: id mismatch");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"read tcp {server}: i/o timeout");
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("dns: connection closed mid-message");
            }
            buffer = buffer[read..];
        }
    }

    private static bool IsSameQuestion(DnsMessage response, string name, DnsRecordType type)
        => response.QuestionType == type && string.Equals(response.QuestionName, DnsMessage.Fqdn(name), StringComparison.OrdinalIgnoreCase);

    private static ushort NewId() => (ushort)RandomNumberGenerator.GetInt32(0, 65536);
}
