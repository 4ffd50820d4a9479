using Vigil.Alerting.Templates;
using Vigil.Templates;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Receivers;

public sealed class TemplateTests
{
    private static TemplateData Data => TemplateData.Create(Scenario.Context(), Scenario.Both);

    [Fact]
    public void Default_subject_is_what_alertmanager_sends()
    {
        // The title of the Slack message and the PagerDuty summary a real Alertmanager 0.25 sent for this group.
        var subject = NotificationTemplates.Default.ExecuteText("{{ template \"__subject\" . }}", Data);
        Assert.Equal("[FIRING:1] Down api (page)", subject);
    }

    [Fact]
    public void Resolved_subject_has_no_count_and_group_labels_put_alertname_first()
    {
        var data = TemplateData.Create(new Alerting.Pipeline.NotificationContext
        {
            Receiver = "all",
            GroupKey = "k",
            GroupLabels = Model.Labels.Of("zone", "eu", "alertname", "Down"),
            ExternalUrl = "http://x",
            Now = Scenario.Now,
        }, [Scenario.Resolved]);
        Assert.Equal("[RESOLVED] Down eu (b:1 api page)", NotificationTemplates.Default.ExecuteText("{{ template \"__subject\" . }}", data));
    }

    [Fact]
    public void Text_alert_list_matches_alertmanager()
    {
        var text = NotificationTemplates.Default.ExecuteText("{{ template \"pagerduty.default.instances\" .Alerts }}", Data);
        Assert.Equal("Labels:\n - alertname = Down\n - instance = a:1\n - job = api\n - severity = page\nAnnotations:\n - description = it is down\n - summary = API down\nSource: http://prom/graph?g0.expr=up\nLabels:\n - alertname = Down\n - instance = b:1\n - job = api\n - severity = page\nAnnotations:\n - summary = API down\nSource: \n", text);
    }

    [Fact]
    public void Alertmanager_functions()
    {
        var t = NotificationTemplates.Default;
        Assert.Equal("HELLO world", t.ExecuteText("{{ \"hello\" | toUpper }} {{ \"WORLD\" | toLower }}", Data));
        Assert.Equal("Hello-World Foo_bar", t.ExecuteText("{{ title \"hello-world foo_bar\" }}", Data));
        Assert.Equal("a, b, c", t.ExecuteText("{{ stringSlice \"a\" \"b\" \"c\" | join \", \" }}", Data));
        Assert.Equal("true false", t.ExecuteText("{{ match \"^D\" .CommonLabels.alertname }} {{ match \"x\" \"abc\" }}", Data));
        Assert.Equal("host-a", t.ExecuteText("{{ reReplaceAll \"(.*):(.*)\" \"host-$1\" \"a:1\" }}", Data));
        Assert.Equal("<b>", t.ExecuteText("{{ safeHtml \"<b>\" }}", Data));
        // Map access, len, range and missingkey=zero, as Alertmanager's ExecuteTextString sets it.
        Assert.Equal("Down 3 [] alertname=Down job=api severity=page ", t.ExecuteText("{{ .CommonLabels.alertname }} {{ len .CommonLabels }} [{{ .CommonLabels.nothere }}] {{ range $k, $v := .CommonLabels }}{{ $k }}={{ $v }} {{ end }}", Data));
        Assert.Equal("firing resolved", t.ExecuteText("{{ range .Alerts }}{{ .Status }} {{ end }}", Data).TrimEnd());
        Assert.Equal("", t.ExecuteText("", Data));
    }

    [Fact]
    public void Bad_regexp_and_bad_syntax_are_go_errors()
    {
        var e = Assert.Throws<TemplateException>(() => NotificationTemplates.Default.ExecuteText("{{ match \"(\" \"x\" }}", Data));
        Assert.Contains("error calling match: error parsing regexp: missing closing ): `(`", e.Message, StringComparison.Ordinal);
        var p = Assert.Throws<TemplateException>(() => NotificationTemplates.Default.ExecuteText("{{ if }}", Data));
        Assert.Contains("missing value for if", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KV_methods_are_alertmanagers()
    {
        var kv = Data.CommonLabels;
        Assert.Equal(["alertname", "job", "severity"], kv.Names());
        Assert.Equal(["Down", "api", "page"], kv.Values());
        Assert.Equal(["severity"], kv.Remove(["alertname", "job"]).Names());
        Assert.Equal("alertname=Down, job=api, severity=page", kv.ToString());
        Assert.Single(Data.Alerts.Firing());
        Assert.Single(Data.Alerts.Resolved());
        Assert.Equal("ee238735509db162", Data.Alerts[0].Fingerprint);
    }

    [Fact]
    public void Template_files_from_globs_override_the_defaults()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("tmpl"));
        File.WriteAllText(dir.File("tmpl/a.tmpl"), "{{ define \"slack.default.title\" }}Custom {{ .CommonLabels.alertname }}{{ end }}\n{{ define \"mine\" }}M{{ end }}");
        File.WriteAllText(dir.File("tmpl/b.txt"), "{{ define \"mine\" }}not loaded{{ end }}");
        var templates = NotificationTemplates.Load([dir.File("tmpl/*.tmpl"), dir.File("none/*.tmpl")]);
        Assert.Equal("Custom Down", templates.ExecuteText("{{ template \"slack.default.title\" . }}", Data));
        Assert.Equal("M", templates.ExecuteText("{{ template \"mine\" . }}", Data));
        Assert.Equal([dir.File("tmpl/a.tmpl")], templates.Files);
    }

    [Fact]
    public void A_broken_template_file_is_reported_with_its_name_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.tmpl"), "{{ define \"x\" }}\n{{ nosuchfunc }}{{ end }}");
        var e = Assert.Throws<NotificationTemplateException>(() => NotificationTemplates.Load([dir.File("*.tmpl")]));
        Assert.Contains("template: bad.tmpl:2: function \"nosuchfunc\" not defined", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_email_html_escapes_values_and_lists_alerts()
    {
        var html = NotificationTemplates.Default.ExecuteHtml("{{ template \"email.default.html\" . }}", Data);
        Assert.Contains("<title>[FIRING:1] Down api (page)</title>", html, StringComparison.Ordinal);
        Assert.Contains("2 alerts for alertname=Down job=api", html, StringComparison.Ordinal);
        Assert.Contains("[1] Firing", html, StringComparison.Ordinal);
        Assert.Contains("[1] Resolved", html, StringComparison.Ordinal);
        Assert.Contains("href=\"http://am.example:9093/#/alerts?receiver=all\"", html, StringComparison.Ordinal);
        Assert.Contains("description = it is down<br />", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ range .Alerts.Firing }}{{ .Labels.instance }}{{ end }}", "a:1")]
    [InlineData("{{ len .Alerts.Resolved }} {{ .Alerts.Firing | len }}", "1 1")]
    [InlineData("{{ .CommonLabels.SortedPairs.Values | join \",\" }}", "Down,api,page")]
    [InlineData("{{ .CommonLabels.Names }}", "[alertname job severity]")]
    [InlineData("{{ range .CommonLabels.SortedPairs }}{{ .Name }}:{{ .Value }} {{ end }}", "alertname:Down job:api severity:page ")]
    [InlineData("{{ (.CommonLabels.Remove (stringSlice \"job\" \"alertname\")).Names }}", "[severity]")]
    [InlineData("{{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join \" \" }}{{ end }}", "page")]
    [InlineData("{{ range $a := .Alerts }}{{ $a.Labels.SortedPairs.Names | len }}{{ end }}", "44")]
    [InlineData("{{ $.Alerts.Firing | len }} {{ \".Alerts.Firing\" }} {{/* .Alerts.Firing */}}", "1 .Alerts.Firing ")]
    [InlineData("text .Alerts.Firing {{ 1.5 }}", "text .Alerts.Firing 1.5")]
    public void Alertmanager_methods_work_in_user_templates(string text, string expected)
    {
        Assert.Equal(expected, NotificationTemplates.Default.ExecuteText(text, Data));
    }
}
