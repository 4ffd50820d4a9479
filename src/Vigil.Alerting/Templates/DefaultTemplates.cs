namespace Vigil.Alerting.Templates;

/// <summary>
/// Alertmanager 0.25's default notification templates (<c>template/default.tmpl</c>): the same names and the same
/// text (method calls such as <c>.Alerts.Firing</c> go through <see cref="MethodCallRewriter"/>) and the same output.
/// </summary>
/// <remarks>
/// <c>email.default.html</c> is a simplified equivalent of Alertmanager's inlined-CSS Mailgun layout: the same
/// content (the count and group labels in the header, a link to Alertmanager, each firing and then each resolved
/// alert with labels, annotations and source), in plain HTML with every value escaped.
/// </remarks>
public static class DefaultTemplates
{
    /// <summary>The template file's text.</summary>
    public const string Text = """
        {{ define "__alertmanager" }}Alertmanager{{ end }}
        {{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}

        {{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
        {{ define "__description" }}{{ end }}

        {{ define "__text_alert_list" }}{{ range . }}Labels:
        {{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
        {{ end }}Annotations:
        {{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
        {{ end }}Source: {{ .GeneratorURL }}
        {{ end }}{{ end }}


        {{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
        {{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
        {{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
        {{ define "slack.default.callbackid" }}{{ end }}
        {{ define "slack.default.pretext" }}{{ end }}
        {{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
        {{ define "slack.default.iconemoji" }}{{ end }}
        {{ define "slack.default.iconurl" }}{{ end }}
        {{ define "slack.default.text" }}{{ end }}
        {{ define "slack.default.footer" }}{{ end }}


        {{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
        {{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
        {{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
        {{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}


        {{ define "opsgenie.default.message" }}{{ template "__subject" . }}{{ end }}
        {{ define "opsgenie.default.description" }}{{ .CommonAnnotations.SortedPairs.Values | join " " }}
        {{ if gt (len .Alerts.Firing) 0 -}}
        Alerts Firing:
        {{ template "__text_alert_list" .Alerts.Firing }}
        {{- end }}
        {{ if gt (len .Alerts.Resolved) 0 -}}
        Alerts Resolved:
        {{ template "__text_alert_list" .Alerts.Resolved }}
        {{- end }}
        {{- end }}
        {{ define "opsgenie.default.source" }}{{ template "__alertmanagerURL" . }}{{ end }}


        {{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
        {{ define "__email_alert" }}<tr><td style="padding: 0 0 20px">
        <strong>Labels</strong><br />
        {{ range .Labels.SortedPairs }}{{ .Name | html }} = {{ .Value | html }}<br />
        {{ end }}{{ if gt (len .Annotations) 0 }}<strong>Annotations</strong><br />
        {{ end }}{{ range .Annotations.SortedPairs }}{{ .Name | html }} = {{ .Value | html }}<br />
        {{ end }}<a href="{{ .GeneratorURL | html }}">Source</a><br />
        </td></tr>
        {{ end }}
        {{ define "email.default.html" }}<!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml">
        <head>
        <meta name="viewport" content="width=device-width" />
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
        <title>{{ template "__subject" . }}</title>
        </head>
        <body style="font-family: 'Helvetica Neue', Helvetica, Arial, sans-serif; font-size: 14px; background-color: #f6f6f6">
        <table style="max-width: 600px; margin: 0 auto; background-color: #fff; border: 1px solid #e9e9e9" width="100%" cellpadding="0" cellspacing="0">
        <tr><td style="font-size: 16px; color: #fff; background-color: #E6522C; padding: 20px; text-align: center">
        {{ .Alerts | len }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name | html }}={{ .Value | html }} {{ end }}
        </td></tr>
        <tr><td style="padding: 10px"><table width="100%" cellpadding="0" cellspacing="0">
        <tr><td style="padding: 0 0 20px"><a href="{{ template "__alertmanagerURL" . }}">View in {{ template "__alertmanager" . }}</a></td></tr>
        {{ if gt (len .Alerts.Firing) 0 }}<tr><td style="padding: 0 0 20px"><strong>[{{ .Alerts.Firing | len }}] Firing</strong></td></tr>
        {{ end }}{{ range .Alerts.Firing }}{{ template "__email_alert" . }}{{ end }}
        {{ if gt (len .Alerts.Resolved) 0 }}{{ if gt (len .Alerts.Firing) 0 }}<tr><td><hr /></td></tr>
        {{ end }}<tr><td style="padding: 0 0 20px"><strong>[{{ .Alerts.Resolved | len }}] Resolved</strong></td></tr>
        {{ end }}{{ range .Alerts.Resolved }}{{ template "__email_alert" . }}{{ end }}
        </table></td></tr>
        </table>
        <p style="text-align: center; color: #999; font-size: 12px"><a href="{{ .ExternalURL | html }}">Sent by {{ template "__alertmanager" . }}</a></p>
        </body>
        </html>
        {{ end }}
        """;
}
