using Vigil.Yaml;

namespace Vigil.Alerting.Config;

internal sealed partial class ConfigReader
{
    // Integrations Alertmanager 0.25 has and Vigil does not deliver to, with their fields: accepted (top-level fields
    // and http_config checked, nested objects not), and reported by callers.
    private static readonly Dictionary<string, HashSet<string>> s_unsupportedIntegrations = new(StringComparer.Ordinal)
    {
        ["discord_configs"] = Keys("webhook_url", "title", "message"),
        ["opsgenie_configs"] = Keys("api_key", "api_key_file", "api_url", "message", "description", "source", "details", "entity", "responders", "actions", "tags", "note", "priority", "update_alerts"),
        ["wechat_configs"] = Keys("api_secret", "corp_id", "message", "api_url", "to_user", "to_party", "to_tag", "agent_id", "message_type"),
        ["pushover_configs"] = Keys("user_key", "token", "title", "message", "url", "url_title", "sound", "priority", "retry", "expire", "html"),
        ["victorops_configs"] = Keys("api_key", "api_key_file", "api_url", "routing_key", "message_type", "entity_display_name", "state_message", "monitoring_tool", "custom_fields"),
        ["sns_configs"] = Keys("api_url", "sigv4", "topic_arn", "phone_number", "target_arn", "subject", "message", "attributes"),
        ["telegram_configs"] = Keys("api_url", "bot_token", "chat_id", "message", "disable_notifications", "parse_mode"),
        ["webex_configs"] = Keys("api_url", "room_id", "message"),
    };

    private static HashSet<string> Keys(params string[] keys) => new(keys.Append("send_resolved").Append("http_config"), StringComparer.Ordinal);

    // Global settings of those integrations: accepted and kept as text; the URLs validated as Alertmanager does.
    private static readonly HashSet<string> s_otherGlobalSettings = new(StringComparer.Ordinal)
    {
        "opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file", "wechat_api_url", "wechat_api_secret",
        "wechat_api_corp_id", "victorops_api_url", "victorops_api_key", "victorops_api_key_file", "telegram_api_url",
        "webex_api_url",
    };

    private GlobalConfig Global(YamlNode node, string? directory)
    {
        var d = new GlobalConfig();
        TimeSpan resolveTimeout = d.ResolveTimeout;
        var http = d.HttpConfig;
        string smtpFrom = "", smtpHello = d.SmtpHello, smtpSmarthost = "", user = "", password = "", passwordFile = "", identity = "", secret = "";
        var requireTls = true;
        string? slackUrl = null;
        string slackUrlFile = "", pagerdutyUrl = d.PagerdutyUrl;
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        YamlNode? slackNode = null;
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "resolve_timeout": resolveTimeout = Duration(value) ?? resolveTimeout; return true;
                case "http_config": http = Http(value, directory); return true;
                case "smtp_from": smtpFrom = Str(value); return true;
                case "smtp_hello": smtpHello = Str(value); return true;
                case "smtp_smarthost": smtpSmarthost = HostPort(value); return true;
                case "smtp_auth_username": user = Str(value); return true;
                case "smtp_auth_password": password = Str(value); return true;
                case "smtp_auth_password_file": passwordFile = Str(value); return true;
                case "smtp_auth_identity": identity = Str(value); return true;
                case "smtp_auth_secret": secret = Str(value); return true;
                case "smtp_require_tls": requireTls = Bool(value, true); return true;
                case "slack_api_url": slackUrl = Url(value, secret: true); slackNode = value; return true;
                case "slack_api_url_file": slackUrlFile = Str(value); return true;
                case "pagerduty_url": pagerdutyUrl = Url(value, secret: false) ?? pagerdutyUrl; return true;
                default:
                    if (!s_otherGlobalSettings.Contains(key))
                    {
                        return false;
                    }
                    other[key] = key.EndsWith("_url", StringComparison.Ordinal) ? Url(value, secret: false) ?? "" : Str(value);
                    return true;
            }
        });
        if (slackUrl is not null && slackUrlFile.Length > 0)
        {
            Error(slackNode!, "at most one of slack_api_url & slack_api_url_file must be configured");
        }
        if (other.TryGetValue("opsgenie_api_key", out var ogKey) && ogKey.Length > 0 && other.TryGetValue("opsgenie_api_key_file", out var ogFile) && ogFile.Length > 0)
        {
            Error(node, "at most one of opsgenie_api_key & opsgenie_api_key_file must be configured");
        }
        if (other.TryGetValue("victorops_api_key", out var voKey) && voKey.Length > 0 && other.TryGetValue("victorops_api_key_file", out var voFile) && voFile.Length > 0)
        {
            Error(node, "at most one of victorops_api_key & victorops_api_key_file must be configured");
        }
        return new GlobalConfig
        {
            ResolveTimeout = resolveTimeout,
            HttpConfig = http,
            SmtpFrom = smtpFrom,
            SmtpHello = smtpHello,
            SmtpSmarthost = smtpSmarthost,
            SmtpAuthUsername = user,
            SmtpAuthPassword = password,
            SmtpAuthPasswordFile = passwordFile,
            SmtpAuthIdentity = identity,
            SmtpAuthSecret = secret,
            SmtpRequireTls = requireTls,
            SlackApiUrl = slackUrl,
            SlackApiUrlFile = Join(directory, slackUrlFile),
            PagerdutyUrl = pagerdutyUrl,
            OtherSettings = other,
        };
    }

    private ReceiverConfig? Receiver(YamlNode node, GlobalConfig global, string? directory)
    {
        var name = "";
        List<WebhookConfig> webhooks = [];
        List<SlackConfig> slacks = [];
        List<PagerdutyConfig> pagerduties = [];
        List<EmailConfig> emails = [];
        var unsupported = new List<UnsupportedIntegration>();
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "name": name = Str(value); return true;
                case "webhook_configs": webhooks = Seq(value, "[]*config.WebhookConfig", n => Webhook(n, global, directory)); return true;
                case "slack_configs": slacks = Seq(value, "[]*config.SlackConfig", n => Slack(n, global, directory)); return true;
                case "pagerduty_configs": pagerduties = Seq(value, "[]*config.PagerdutyConfig", n => Pagerduty(n, global, directory)); return true;
                case "email_configs": emails = Seq(value, "[]*config.EmailConfig", n => Email(n, global, directory)); return true;
                default:
                    if (!s_unsupportedIntegrations.TryGetValue(key, out var fields))
                    {
                        return false;
                    }
                    var items = Seq(value, "[]*config." + key, item =>
                    {
                        Fields(item, Plain, (k, v) =>
                        {
                            if (k == "http_config")
                            {
                                _ = Http(v, directory);
                            }
                            return fields.Contains(k);
                        });
                        return item;
                    });
                    if (items.Count > 0)
                    {
                        unsupported.Add(new UnsupportedIntegration(key, items.Count, value.Line));
                    }
                    return true;
            }
        });
        if (name.Length == 0)
        {
            Error(node, "missing name in receiver");
            return null;
        }
        return new ReceiverConfig
        {
            Name = name,
            WebhookConfigs = webhooks,
            SlackConfigs = slacks,
            PagerdutyConfigs = pagerduties,
            EmailConfigs = emails,
            Unsupported = unsupported,
            Line = node.Line,
        };
    }

    private WebhookConfig? Webhook(YamlNode node, GlobalConfig global, string? directory)
    {
        string? url = null;
        var urlGiven = false;
        var sendResolved = true;
        HttpClientConfig? http = null;
        ulong maxAlerts = 0;
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "send_resolved": sendResolved = Bool(value, true); return true;
                case "http_config": http = Http(value, directory); return true;
                case "url": url = Url(value, secret: false); urlGiven = !IsNull(value); return true;
                case "max_alerts": maxAlerts = UInt64(value); return true;
                default: return false;
            }
        });
        if (url is null)
        {
            if (!urlGiven)
            {
                Error(node, "missing URL in webhook config");
            }
            return null;
        }
        return new WebhookConfig { SendResolved = sendResolved, HttpConfig = http ?? global.HttpConfig, Url = url, MaxAlerts = maxAlerts, Line = node.Line };
    }

    private SlackConfig? Slack(YamlNode node, GlobalConfig global, string? directory)
    {
        var d = new SlackConfig();
        var sendResolved = false;
        HttpClientConfig? http = null;
        string? apiUrl = null;
        string apiUrlFile = "", channel = "", username = d.Username, color = d.Color, title = d.Title, titleLink = d.TitleLink;
        string pretext = d.Pretext, text = d.Text, footer = d.Footer, fallback = d.Fallback, callbackId = d.CallbackId;
        string iconEmoji = d.IconEmoji, iconUrl = d.IconUrl, imageUrl = "", thumbUrl = "";
        bool shortFields = false, linkNames = false;
        List<SlackField> fields = [];
        List<SlackAction> actions = [];
        List<string> mrkdwnIn = [];
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "send_resolved": sendResolved = Bool(value, false); return true;
                case "http_config": http = Http(value, directory); return true;
                case "api_url": apiUrl = Url(value, secret: true); return true;
                case "api_url_file": apiUrlFile = Str(value); return true;
                case "channel": channel = Str(value); return true;
                case "username": username = Str(value); return true;
                case "color": color = Str(value); return true;
                case "title": title = Str(value); return true;
                case "title_link": titleLink = Str(value); return true;
                case "pretext": pretext = Str(value); return true;
                case "text": text = Str(value); return true;
                case "fields": fields = Seq(value, "[]*config.SlackField", SlackFieldOf); return true;
                case "short_fields": shortFields = Bool(value, false); return true;
                case "footer": footer = Str(value); return true;
                case "fallback": fallback = Str(value); return true;
                case "callback_id": callbackId = Str(value); return true;
                case "icon_emoji": iconEmoji = Str(value); return true;
                case "icon_url": iconUrl = Str(value); return true;
                case "image_url": imageUrl = Str(value); return true;
                case "thumb_url": thumbUrl = Str(value); return true;
                case "link_names": linkNames = Bool(value, false); return true;
                case "mrkdwn_in": mrkdwnIn = StrList(value); return true;
                case "actions": actions = Seq(value, "[]*config.SlackAction", SlackActionOf); return true;
                default: return false;
            }
        });
        if (apiUrl is not null && apiUrlFile.Length > 0)
        {
            Error(node, "at most one of api_url & api_url_file must be configured");
            return null;
        }
        if (apiUrl is null && apiUrlFile.Length == 0)
        {
            if (global.SlackApiUrl is null && global.SlackApiUrlFile.Length == 0)
            {
                Error(node, "no global Slack API URL set either inline or in a file");
                return null;
            }
            apiUrl = global.SlackApiUrl;
            apiUrlFile = global.SlackApiUrlFile;
        }
        else
        {
            apiUrlFile = Join(directory, apiUrlFile);
        }
        return new SlackConfig
        {
            SendResolved = sendResolved, HttpConfig = http ?? global.HttpConfig, ApiUrl = apiUrl, ApiUrlFile = apiUrlFile,
            Channel = channel, Username = username, Color = color, Title = title, TitleLink = titleLink, Pretext = pretext,
            Text = text, Fields = fields, ShortFields = shortFields, Footer = footer, Fallback = fallback, CallbackId = callbackId,
            IconEmoji = iconEmoji, IconUrl = iconUrl, ImageUrl = imageUrl, ThumbUrl = thumbUrl, LinkNames = linkNames,
            MrkdwnIn = mrkdwnIn, Actions = actions, Line = node.Line,
        };
    }

    private SlackField? SlackFieldOf(YamlNode node)
    {
        string title = "", value = "";
        bool? isShort = null;
        Fields(node, Plain, (key, v) =>
        {
            switch (key)
            {
                case "title": title = Str(v); return true;
                case "value": value = Str(v); return true;
                case "short": isShort = IsNull(v) ? null : Bool(v, false); return true;
                default: return false;
            }
        });
        if (title.Length == 0)
        {
            Error(node, "missing title in Slack field configuration");
            return null;
        }
        if (value.Length == 0)
        {
            Error(node, "missing value in Slack field configuration");
            return null;
        }
        return new SlackField { Title = title, Value = value, Short = isShort };
    }

    private SlackAction? SlackActionOf(YamlNode node)
    {
        string type = "", text = "", url = "", style = "", name = "", value = "";
        SlackConfirmationField? confirm = null;
        var ok = true;
        Fields(node, Plain, (key, v) =>
        {
            switch (key)
            {
                case "type": type = Str(v); return true;
                case "text": text = Str(v); return true;
                case "url": url = Str(v); return true;
                case "style": style = Str(v); return true;
                case "name": name = Str(v); return true;
                case "value": value = Str(v); return true;
                case "confirm":
                    confirm = SlackConfirmOf(v);
                    ok = confirm is not null || IsNull(v);
                    return true;
                default: return false;
            }
        });
        if (type.Length == 0)
        {
            Error(node, "missing type in Slack action configuration");
            return null;
        }
        if (text.Length == 0)
        {
            Error(node, "missing text in Slack action configuration");
            return null;
        }
        if (url.Length > 0)
        {
            name = "";
        }
        else if (name.Length == 0)
        {
            Error(node, "missing name or url in Slack action configuration");
            return null;
        }
        return ok ? new SlackAction { Type = type, Text = text, Url = url, Style = style, Name = name, Value = value, Confirm = confirm } : null;
    }

    private SlackConfirmationField? SlackConfirmOf(YamlNode node)
    {
        string text = "", title = "", okText = "", dismissText = "";
        Fields(node, Plain, (key, v) =>
        {
            switch (key)
            {
                case "text": text = Str(v); return true;
                case "title": title = Str(v); return true;
                case "ok_text": okText = Str(v); return true;
                case "dismiss_text": dismissText = Str(v); return true;
                default: return false;
            }
        });
        if (text.Length == 0)
        {
            Error(node, "missing text in Slack confirmation configuration");
            return null;
        }
        return new SlackConfirmationField { Text = text, Title = title, OkText = okText, DismissText = dismissText };
    }

    private PagerdutyConfig? Pagerduty(YamlNode node, GlobalConfig global, string? directory)
    {
        var d = new PagerdutyConfig();
        var sendResolved = true;
        HttpClientConfig? http = null;
        string serviceKey = "", serviceKeyFile = "", routingKey = "", routingKeyFile = "", client = d.Client, clientUrl = d.ClientUrl;
        string description = d.Description, source = "", severity = "", @class = "", component = "", group = "";
        string? url = null;
        Dictionary<string, string>? details = null;
        List<PagerdutyImage> images = [];
        List<PagerdutyLink> links = [];
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "send_resolved": sendResolved = Bool(value, true); return true;
                case "http_config": http = Http(value, directory); return true;
                case "service_key": serviceKey = Str(value); return true;
                case "service_key_file": serviceKeyFile = Str(value); return true;
                case "routing_key": routingKey = Str(value); return true;
                case "routing_key_file": routingKeyFile = Str(value); return true;
                case "url": url = Url(value, secret: false); return true;
                case "client": client = Str(value); return true;
                case "client_url": clientUrl = Str(value); return true;
                case "description": description = Str(value); return true;
                case "details": details = StrMap(value); return true;
                case "images": images = Seq(value, "[]config.PagerdutyImage", PagerdutyImageOf); return true;
                case "links": links = Seq(value, "[]config.PagerdutyLink", PagerdutyLinkOf); return true;
                case "source": source = Str(value); return true;
                case "severity": severity = Str(value); return true;
                case "class": @class = Str(value); return true;
                case "component": component = Str(value); return true;
                case "group": group = Str(value); return true;
                default: return false;
            }
        });
        if (routingKey.Length == 0 && serviceKey.Length == 0 && routingKeyFile.Length == 0 && serviceKeyFile.Length == 0)
        {
            Error(node, "missing service or routing key in PagerDuty config");
            return null;
        }
        if (routingKey.Length > 0 && routingKeyFile.Length > 0)
        {
            Error(node, "at most one of routing_key & routing_key_file must be configured");
            return null;
        }
        if (serviceKey.Length > 0 && serviceKeyFile.Length > 0)
        {
            Error(node, "at most one of service_key & service_key_file must be configured");
            return null;
        }
        details ??= new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in PagerdutyConfig.DefaultDetails)
        {
            details.TryAdd(k, v);
        }
        return new PagerdutyConfig
        {
            SendResolved = sendResolved, HttpConfig = http ?? global.HttpConfig, ServiceKey = serviceKey,
            ServiceKeyFile = Join(directory, serviceKeyFile), RoutingKey = routingKey, RoutingKeyFile = Join(directory, routingKeyFile),
            Url = url ?? global.PagerdutyUrl, Client = client, ClientUrl = clientUrl, Description = description, Details = details,
            Images = images, Links = links, Source = source, Severity = severity, Class = @class, Component = component,
            Group = group, Line = node.Line,
        };
    }

    private PagerdutyImage? PagerdutyImageOf(YamlNode node)
    {
        string src = "", alt = "", href = "";
        Fields(node, "config.PagerdutyImage", (key, v) =>
        {
            switch (key)
            {
                case "src": src = Str(v); return true;
                case "alt": alt = Str(v); return true;
                case "href": href = Str(v); return true;
                default: return false;
            }
        });
        return new PagerdutyImage(src, alt, href);
    }

    private PagerdutyLink? PagerdutyLinkOf(YamlNode node)
    {
        string href = "", text = "";
        Fields(node, "config.PagerdutyLink", (key, v) =>
        {
            switch (key)
            {
                case "href": href = Str(v); return true;
                case "text": text = Str(v); return true;
                default: return false;
            }
        });
        return new PagerdutyLink(href, text);
    }

    private EmailConfig? Email(YamlNode node, GlobalConfig global, string? directory)
    {
        var d = new EmailConfig { To = "" };
        var sendResolved = false;
        string to = "", from = "", hello = "", smarthost = "", user = "", password = "", passwordFile = "", secret = "", identity = "";
        string html = d.Html, text = "";
        bool? requireTls = null;
        var tls = new TlsConfig();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "send_resolved": sendResolved = Bool(value, false); return true;
                case "to": to = Str(value); return true;
                case "from": from = Str(value); return true;
                case "hello": hello = Str(value); return true;
                case "smarthost": smarthost = HostPort(value); return true;
                case "auth_username": user = Str(value); return true;
                case "auth_password": password = Str(value); return true;
                case "auth_password_file": passwordFile = Str(value); return true;
                case "auth_secret": secret = Str(value); return true;
                case "auth_identity": identity = Str(value); return true;
                case "headers":
                    foreach (var (name, v) in StrMap(value))
                    {
                        // Header names are case-insensitive: Alertmanager normalizes them with Go's strings.Title.
                        var normalized = GoTitle(name);
                        if (!headers.TryAdd(normalized, v))
                        {
                            Error(value, $"duplicate header {GoQuote(normalized)} in email config");
                        }
                    }
                    return true;
                case "html": html = Str(value); return true;
                case "text": text = Str(value); return true;
                case "require_tls": requireTls = IsNull(value) ? null : Bool(value, true); return true;
                case "tls_config": tls = Tls(value, directory); return true;
                default: return false;
            }
        });
        if (to.Length == 0)
        {
            Error(node, "missing to address in email config");
            return null;
        }
        if (smarthost.Length == 0)
        {
            if (global.SmtpSmarthost.Length == 0)
            {
                Error(node, "no global SMTP smarthost set");
                return null;
            }
            smarthost = global.SmtpSmarthost;
        }
        if (from.Length == 0)
        {
            if (global.SmtpFrom.Length == 0)
            {
                Error(node, "no global SMTP from set");
                return null;
            }
            from = global.SmtpFrom;
        }
        if (password.Length == 0 && passwordFile.Length == 0)
        {
            password = global.SmtpAuthPassword;
            passwordFile = global.SmtpAuthPasswordFile;
        }
        return new EmailConfig
        {
            SendResolved = sendResolved, To = to, From = from, Hello = hello.Length > 0 ? hello : global.SmtpHello,
            Smarthost = smarthost, AuthUsername = user.Length > 0 ? user : global.SmtpAuthUsername, AuthPassword = password,
            AuthPasswordFile = Join(directory, passwordFile), AuthSecret = secret.Length > 0 ? secret : global.SmtpAuthSecret,
            AuthIdentity = identity.Length > 0 ? identity : global.SmtpAuthIdentity, Headers = headers, Html = html, Text = text,
            RequireTls = requireTls ?? global.SmtpRequireTls, Tls = tls, Line = node.Line,
        };
    }

    // Go's strings.Title: upper-cases the first letter of each word (words split at non-letters/digits).
    private static string GoTitle(string s)
    {
        var chars = s.ToCharArray();
        var previousIsSeparator = true;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (previousIsSeparator)
            {
                chars[i] = char.ToUpperInvariant(c);
            }
            previousIsSeparator = !(char.IsLetterOrDigit(c) || c == '_' || c == '\'');
        }
        return new string(chars);
    }

    /// <summary>A <c>host:port</c> (SMTP smarthost), checked like Go's <c>net.SplitHostPort</c>.</summary>
    private string HostPort(YamlNode node)
    {
        var s = Str(node);
        if (s.Length == 0)
        {
            return "";
        }
        string? error = null;
        var colon = s.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"address {s}: missing port in address";
        }
        else if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"address {s}: missing ']' in address";
            }
            else if (close + 1 != colon)
            {
                error = close + 1 == s.Length ? $"address {s}: missing port in address" : $"address {s}: missing port in address";
            }
        }
        else if (s.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            error = $"address {s}: too many colons in address";
        }
        if (error is null && colon == s.Length - 1)
        {
            error = $"address {GoQuote(s)}: port cannot be empty";
        }
        if (error is not null)
        {
            Error(node, error);
            return "";
        }
        return s;
    }

    /// <summary>An http(s) URL, checked like Alertmanager's <c>parseURL</c> (Go's <c>url.Parse</c>, scheme, host).</summary>
    private string? Url(YamlNode node, bool secret)
    {
        if (IsNull(node))
        {
            return null;
        }
        var s = Str(node);
        if (secret && s == "<secret>")
        {
            return s;
        }
        if (GoUrl.Check(s) is { } error)
        {
            Error(node, error);
            return null;
        }
        return s;
    }

    private HttpClientConfig Http(YamlNode node, string? directory)
    {
        BasicAuth? basic = null;
        Authorization? authorization = null;
        OAuth2? oauth2 = null;
        var tls = new TlsConfig();
        string bearer = "", bearerFile = "", proxyUrl = "";
        bool followRedirects = true, http2 = true;
        var connectHeader = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "basic_auth": basic = Basic(value, directory); return true;
                case "authorization": authorization = Authz(value, directory); return true;
                case "oauth2": oauth2 = OAuth(value, directory); return true;
                case "bearer_token": bearer = Str(value); return true;
                case "bearer_token_file": bearerFile = Str(value); return true;
                case "tls_config": tls = Tls(value, directory); return true;
                case "proxy_url": proxyUrl = ProxyUrl(value); return true;
                case "proxy_connect_header":
                    if (value is YamlMapping m)
                    {
                        foreach (var (k, v) in m.Entries)
                        {
                            connectHeader[Str(k)] = StrList(v);
                        }
                    }
                    else if (!IsNull(value))
                    {
                        TypeError(value, "config.Header");
                    }
                    return true;
                case "follow_redirects": followRedirects = Bool(value, true); return true;
                case "enable_http2": http2 = Bool(value, true); return true;
                default: return false;
            }
        });
        // prometheus/common's HTTPClientConfig.Validate, in its order.
        if (bearer.Length > 0 && bearerFile.Length > 0)
        {
            Error(node, "at most one of bearer_token & bearer_token_file must be configured");
        }
        else if ((basic is not null || oauth2 is not null) && (bearer.Length > 0 || bearerFile.Length > 0))
        {
            Error(node, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        else if (basic is not null && basic.Password.Length > 0 && basic.PasswordFile.Length > 0)
        {
            Error(node, "at most one of basic_auth password & password_file must be configured");
        }
        else if (authorization is not null && (bearer.Length > 0 || bearerFile.Length > 0))
        {
            Error(node, "authorization is not compatible with bearer_token & bearer_token_file");
        }
        else if (authorization is not null && authorization.Credentials.Length > 0 && authorization.CredentialsFile.Length > 0)
        {
            Error(node, "at most one of authorization credentials & credentials_file must be configured");
        }
        else if (authorization is not null && string.Equals(authorization.Type, "basic", StringComparison.OrdinalIgnoreCase))
        {
            Error(node, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
        else if ((basic is not null ? 1 : 0) + (oauth2 is not null ? 1 : 0) + (authorization is not null ? 1 : 0) > 1)
        {
            Error(node, "at most one of basic_auth, oauth2 & authorization must be configured");
        }
        else if (oauth2 is not null)
        {
            if (oauth2.ClientId.Length == 0)
            {
                Error(node, "oauth2 client_id must be configured");
            }
            else if (oauth2.ClientSecret.Length == 0 && oauth2.ClientSecretFile.Length == 0)
            {
                Error(node, "either oauth2 client_secret or client_secret_file must be configured");
            }
            else if (oauth2.TokenUrl.Length == 0)
            {
                Error(node, "oauth2 token_url must be configured");
            }
            else if (oauth2.ClientSecret.Length > 0 && oauth2.ClientSecretFile.Length > 0)
            {
                Error(node, "at most one of oauth2 client_secret & client_secret_file must be configured");
            }
        }
        if (authorization is null && (bearer.Length > 0 || bearerFile.Length > 0))
        {
            authorization = new Authorization { Type = "Bearer", Credentials = bearer, CredentialsFile = Join(directory, bearerFile) };
        }
        return new HttpClientConfig
        {
            BasicAuth = basic, Authorization = authorization, OAuth2 = oauth2, Tls = tls, ProxyUrl = proxyUrl,
            ProxyConnectHeader = connectHeader, FollowRedirects = followRedirects, EnableHttp2 = http2,
        };
    }

    private string ProxyUrl(YamlNode node)
    {
        var s = Str(node);
        if (s.Length > 0 && GoUrl.ParseError(s) is { } error)
        {
            Error(node, error);
            return "";
        }
        return s;
    }

    private BasicAuth? Basic(YamlNode node, string? directory)
    {
        if (IsNull(node))
        {
            return null;
        }
        string user = "", password = "", passwordFile = "";
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "username": user = Str(value); return true;
                case "password": password = Str(value); return true;
                case "password_file": passwordFile = Str(value); return true;
                default: return false;
            }
        });
        return new BasicAuth { Username = user, Password = password, PasswordFile = Join(directory, passwordFile) };
    }

    private Authorization? Authz(YamlNode node, string? directory)
    {
        if (IsNull(node))
        {
            return null;
        }
        string type = "", credentials = "", credentialsFile = "";
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "type": type = Str(value); return true;
                case "credentials": credentials = Str(value); return true;
                case "credentials_file": credentialsFile = Str(value); return true;
                default: return false;
            }
        });
        return new Authorization { Type = type.Length == 0 ? "Bearer" : type.Trim(), Credentials = credentials, CredentialsFile = Join(directory, credentialsFile) };
    }

    private OAuth2? OAuth(YamlNode node, string? directory)
    {
        if (IsNull(node))
        {
            return null;
        }
        string id = "", secret = "", secretFile = "", tokenUrl = "", proxyUrl = "";
        List<string> scopes = [];
        var endpointParams = new Dictionary<string, string>(StringComparer.Ordinal);
        var tls = new TlsConfig();
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "client_id": id = Str(value); return true;
                case "client_secret": secret = Str(value); return true;
                case "client_secret_file": secretFile = Str(value); return true;
                case "scopes": scopes = StrList(value); return true;
                case "token_url": tokenUrl = Str(value); return true;
                case "endpoint_params": endpointParams = StrMap(value); return true;
                case "tls_config": tls = Tls(value, directory); return true;
                case "proxy_url": proxyUrl = ProxyUrl(value); return true;
                default: return false;
            }
        });
        return new OAuth2
        {
            ClientId = id, ClientSecret = secret, ClientSecretFile = Join(directory, secretFile), Scopes = scopes,
            TokenUrl = tokenUrl, EndpointParams = endpointParams, Tls = tls, ProxyUrl = proxyUrl,
        };
    }

    private TlsConfig Tls(YamlNode node, string? directory)
    {
        string ca = "", cert = "", key = "", serverName = "", min = "", max = "";
        var insecure = false;
        Fields(node, Plain, (k, value) =>
        {
            switch (k)
            {
                case "ca_file": ca = Str(value); return true;
                case "cert_file": cert = Str(value); return true;
                case "key_file": key = Str(value); return true;
                case "server_name": serverName = Str(value); return true;
                case "insecure_skip_verify": insecure = Bool(value, false); return true;
                case "min_version": min = TlsVersion(value); return true;
                case "max_version": max = TlsVersion(value); return true;
                default: return false;
            }
        });
        return new TlsConfig
        {
            CaFile = Join(directory, ca), CertFile = Join(directory, cert), KeyFile = Join(directory, key), ServerName = serverName,
            InsecureSkipVerify = insecure, MinVersion = min, MaxVersion = max,
        };
    }

    private string TlsVersion(YamlNode node)
    {
        var s = Str(node);
        if (s is "TLS10" or "TLS11" or "TLS12" or "TLS13")
        {
            return s;
        }
        Error(node, $"unknown TLS version: {s}");
        return "";
    }

    // Alertmanager's resolveFilepaths: relative paths are relative to the configuration file's directory.
    private static string Join(string? directory, string path)
        => path.Length == 0 || directory is null || Path.IsPathRooted(path) ? path : Path.Combine(directory, path);
}
