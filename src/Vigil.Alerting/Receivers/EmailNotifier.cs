using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Templates;
using Vigil.Templates;

namespace Vigil.Alerting.Receivers;

/// <summary>
/// <c>email_configs</c> over SMTP (Alertmanager 0.25's <c>notify/email</c>) with <see cref="SmtpClient"/>: headers
/// templated (<c>Subject</c> defaults to <c>email.default.subject</c>, <c>To</c> and <c>From</c> to the configured
/// addresses), a text part (when <c>text</c> is set) and an HTML part as <c>multipart/alternative</c>. With
/// <c>require_tls</c> the connection is upgraded with STARTTLS (and fails when the server does not offer it); with
/// <c>auth_username</c> the client authenticates. Template errors are permanent; every SMTP or network failure is
/// retried, as in Alertmanager.
/// </summary>
/// <remarks>
/// Differences forced by <see cref="SmtpClient"/>: port 465 (implicit TLS) is not supported; without
/// <c>require_tls</c> STARTTLS is not attempted; the EHLO name is the machine's, not <c>hello</c>; authentication
/// uses the mechanisms SmtpClient offers (LOGIN, NTLM, GSSAPI), not PLAIN or CRAM-MD5 (<c>auth_secret</c>).
/// </remarks>
public sealed class EmailNotifier : INotifier
{
    private readonly EmailConfig _config;
    private readonly NotificationTemplates _templates;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the integration.</summary>
    public EmailNotifier(EmailConfig config, int index, NotificationTemplates templates, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(templates);
        _config = config;
        _templates = templates;
        _timeout = timeout;
        Index = index;
    }

    /// <inheritdoc/>
    public string Integration => "email";

    /// <inheritdoc/>
    public int Index { get; }

    /// <inheritdoc/>
    public bool SendResolved => _config.SendResolved;

    /// <inheritdoc/>
    public async Task<NotifyResult> NotifyAsync(NotificationContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        MailMessage message;
        try
        {
            message = Build(TemplateData.Create(context, alerts));
        }
        catch (Exception e) when (e is TemplateException or FormatException)
        {
            return NotifyResult.Permanent(e);
        }
        using (message)
        {
            var (host, port) = SplitHostPort(_config.Smarthost);
            using var client = new SmtpClient(host, port)
            {
                DeliveryMethod = SmtpDeliveryMethod.Network,
                EnableSsl = _config.RequireTls,
                Timeout = _timeout > TimeSpan.Zero && _timeout != Timeout.InfiniteTimeSpan ? (int)_timeout.TotalMilliseconds : 100_000,
            };
            if (_config.AuthUsername.Length > 0)
            {
                string password;
                try
                {
                    password = _config.AuthPasswordFile.Length > 0 ? NotifierHttp.ReadSecretFile(_config.AuthPasswordFile) : _config.AuthPassword;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return NotifyResult.Permanent(new IOException($"could not read {_config.AuthPasswordFile}: {e.Message}", e));
                }
                client.Credentials = new NetworkCredential(_config.AuthUsername, password);
            }
            try
            {
                await client.SendMailAsync(message, ct).ConfigureAwait(false);
                return NotifyResult.Success;
            }
            catch (SmtpException e)
            {
                return NotifyResult.Retryable(new SmtpException($"send mail to {_config.Smarthost}: {e.Message}{(e.InnerException is { } inner ? ": " + inner.Message : "")}", e));
            }
        }
    }

    /// <summary>The message for <paramref name="data"/> (headers, text and HTML parts), for sending or inspection.</summary>
    public MailMessage Build(TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in _config.Headers)
        {
            headers[k] = _templates.ExecuteText(v, data);
        }
        if (!headers.ContainsKey("Subject"))
        {
            headers["Subject"] = _templates.ExecuteText("{{ template \"email.default.subject\" . }}", data);
        }
        if (!headers.ContainsKey("To"))
        {
            headers["To"] = _templates.ExecuteText(_config.To, data);
        }
        if (!headers.ContainsKey("From"))
        {
            headers["From"] = _templates.ExecuteText(_config.From, data);
        }
        var from = _templates.ExecuteText(_config.From, data);
        var to = _templates.ExecuteText(_config.To, data);
        var message = new MailMessage
        {
            From = new MailAddress(from),
            Subject = headers["Subject"],
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        // The envelope recipients are the configured "to" addresses (Go's mail.ParseAddressList); the header may differ.
        foreach (var address in to.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(new MailAddress(address));
        }
        foreach (var (k, v) in headers)
        {
            if (k is "Subject" or "To" or "From")
            {
                continue;
            }
            message.Headers[k] = v;
        }
        if (_config.Text.Length > 0)
        {
            var text = _templates.ExecuteText(_config.Text, data);
            var plain = AlternateView.CreateAlternateViewFromString(text, Encoding.UTF8, MediaTypeNames.Text.Plain);
            plain.TransferEncoding = TransferEncoding.QuotedPrintable;
            message.AlternateViews.Add(plain);
        }
        if (_config.Html.Length > 0)
        {
            var html = _templates.ExecuteHtml(_config.Html, data);
            var view = AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, MediaTypeNames.Text.Html);
            view.TransferEncoding = TransferEncoding.QuotedPrintable;
            message.AlternateViews.Add(view);
        }
        return message;
    }

    private static (string Host, int Port) SplitHostPort(string smarthost)
    {
        var colon = smarthost.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(smarthost.AsSpan(colon + 1), out var port))
        {
            throw new FormatException($"invalid smarthost \"{smarthost}\": missing port");
        }
        return (smarthost[..colon].Trim('[', ']'), port);
    }
}
