using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Alerting.Tests.Receivers;

/// <summary>
/// A minimal SMTP server on loopback (RFC 5321's EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT),
/// enough for System.Net.Mail to deliver a message. Each accepted message is recorded with its envelope; a scripted
/// reply code can replace the answer to the end of DATA (e.g. 451 to refuse the message).
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public sealed record Message(string MailFrom, IReadOnlyList<string> RcptTo, string Data);

    public SmtpSink()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<Message> Messages { get; } = new();

    /// <summary>Replies to the end of DATA, in order; "250 OK" when empty.</summary>
    public ConcurrentQueue<string> DataReplies { get; } = new();

    public int Sessions;

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref Sessions);
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost Vigil test SMTP sink").ConfigureAwait(false);
        string from = "";
        var rcpt = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteAsync("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n").ConfigureAwait(false);
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 localhost").ConfigureAwait(false);
                        break;
                    case "MAIL":
                        from = line[(line.IndexOf(':') + 1)..].Trim();
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                    case "RCPT":
                        rcpt.Add(line[(line.IndexOf(':') + 1)..].Trim());
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>").ConfigureAwait(false);
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } l && l != ".")
                        {
                            data.Append(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l).Append("\r\n");
                        }
                        var reply = DataReplies.TryDequeue(out var r) ? r : "250 OK queued";
                        if (reply.StartsWith('2'))
                        {
                            Messages.Enqueue(new Message(from, [.. rcpt], data.ToString()));
                        }
                        await writer.WriteLineAsync(reply).ConfigureAwait(false);
                        rcpt.Clear();
                        break;
                    case "STARTTLS":
                        await writer.WriteLineAsync("454 4.7.0 TLS not available").ConfigureAwait(false);
                        break;
                    case "RSET":
                        rcpt.Clear();
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye").ConfigureAwait(false);
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
