using Vigil.Alerting.Config;

namespace Vigil.Alerting.Tests.Config;

/// <summary>Loading and validation; expected messages are amtool check-config 0.25's, plus the line Vigil adds.</summary>
public sealed class AlertmanagerConfigLoaderTests
{
    private static AlertmanagerConfig Load(string yaml)
    {
        Assert.True(AlertmanagerConfigLoader.TryLoad(yaml, "am.yml", "/etc/am", out var config, out var errors), string.Join('\n', errors));
        return config;
    }

    private static ConfigError Fail(string yaml)
    {
        Assert.False(AlertmanagerConfigLoader.TryLoad(yaml, "am.yml", null, out _, out var errors));
        return errors[0];
    }

    [Fact]
    public void Applies_alertmanagers_defaults()
    {
        var config = Load("route:\n  receiver: r\nreceivers:\n- name: r\n");
        Assert.Equal(TimeSpan.FromMinutes(5), config.Global.ResolveTimeout);
        Assert.Equal("localhost", config.Global.SmtpHello);
        Assert.True(config.Global.SmtpRequireTls);
        Assert.Equal("https://events.pagerduty.com/v2/enqueue", config.Global.PagerdutyUrl);
        Assert.Null(config.Route.GroupBy);
        Assert.Null(config.Route.GroupWait);
    }

    [Fact]
    public void Receivers_take_globals_and_their_own_defaults()
    {
        var config = Load("""
            global:
              smtp_from: am@example.org
              smtp_smarthost: mail:25
              smtp_auth_password: pw
              smtp_require_tls: false
              slack_api_url: https://hooks.slack.example/x
            route:
              receiver: r
            receivers:
            - name: r
              webhook_configs:
              - url: http://hook.example/alerts
              slack_configs:
              - channel: '#ops'
              pagerduty_configs:
              - routing_key: k
                details: {firing: mine}
              email_configs:
              - to: ops@example.org
                headers: {subject: hello}
            templates: ['tmpl/*.tmpl', '/abs/x.tmpl']
            """);
        var r = Assert.Single(config.Receivers);
        var webhook = Assert.Single(r.WebhookConfigs);
        Assert.True(webhook.SendResolved);
        Assert.Equal("http://hook.example/alerts", webhook.Url);
        var slack = Assert.Single(r.SlackConfigs);
        Assert.False(slack.SendResolved);
        Assert.Equal("https://hooks.slack.example/x", slack.ApiUrl);
        Assert.Equal("{{ template \"slack.default.title\" . }}", slack.Title);
        var pd = Assert.Single(r.PagerdutyConfigs);
        Assert.Equal("https://events.pagerduty.com/v2/enqueue", pd.Url);
        Assert.Equal("mine", pd.Details["firing"]);
        Assert.Equal("{{ .Alerts.Firing | len }}", pd.Details["num_firing"]);
        var email = Assert.Single(r.EmailConfigs);
        Assert.Equal("am@example.org", email.From);
        Assert.Equal("mail:25", email.Smarthost);
        Assert.Equal("localhost", email.Hello);
        Assert.Equal("pw", email.AuthPassword);
        Assert.False(email.RequireTls);
        Assert.Equal("hello", email.Headers["Subject"]);
        Assert.Equal(["/etc/am/tmpl/*.tmpl", "/abs/x.tmpl"], config.Templates);
    }

    [Fact]
    public void Unsupported_integrations_are_accepted_and_listed()
    {
        var config = Load("route:\n  receiver: r\nreceivers:\n- name: r\n  opsgenie_configs:\n  - api_key: x\n  - api_key: y\n");
        var unsupported = Assert.Single(Assert.Single(config.Receivers).Unsupported);
        Assert.Equal(("opsgenie_configs", 2, 6), (unsupported.Key, unsupported.Count, unsupported.Line));
    }

    [Fact]
    public void Reads_routes_matchers_and_time_intervals()
    {
        var config = Load("""
            route:
              receiver: r
              group_by: ['...']
              routes:
              - matchers: ['team="a", sev=~"crit|warn"', 'env!=dev']
                match: {x: y}
                match_re: {svc: 'api|web'}
                group_by: []
                continue: true
                group_wait: 10s
                mute_time_intervals: [nights]
            receivers:
            - name: r
            time_intervals:
            - name: nights
              time_intervals:
              - times: [{start_time: '20:00', end_time: '24:00'}]
                weekdays: ['Saturday', 'monday:FRIDAY']
                days_of_month: ['-7:-1']
                months: ['may', '1:3']
                years: ['2024:2030']
                location: Europe/Berlin
            """);
        Assert.True(config.Route.GroupByAll);
        var child = Assert.Single(config.Route.Routes);
        Assert.Equal("{env!=\"dev\",sev=~\"crit|warn\",team=\"a\"}", child.Matchers.ToString());
        Assert.Equal("{env!=\"dev\",sev=~\"crit|warn\",svc=~\"^(?:api|web)$\",team=\"a\",x=\"y\"}", child.AllMatchers().ToString());
        Assert.Null(child.GroupBy); // group_by: [] names no label, so the parent's grouping stays
        Assert.True(child.Continue);
        Assert.Equal(TimeSpan.FromSeconds(10), child.GroupWait);
        var interval = Assert.Single(Assert.Single(config.TimeIntervals).Intervals);
        Assert.Equal([new(1200, 1440)], interval.Times!);
        Assert.Equal([new(6, 6), new(1, 5)], interval.Weekdays!);
        Assert.Equal([new(-7, -1)], interval.DaysOfMonth!);
        Assert.Equal([new(5, 5), new(1, 3)], interval.Months!);
        Assert.Equal("Europe/Berlin", interval.LocationName);
    }

    [Theory]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\nfoo: 1\n", 5, "field foo not found in type config.plain")]
    [InlineData("route:\n  receiver: x\n  receiver: y\nreceivers:\n- name: x\n", 3, "field receiver already set in type config.plain")]
    [InlineData("route:\n  receiver: x\n  group_wait: 5x\nreceivers:\n- name: x\n", 3, "not a valid duration string: \"5x\"")]
    [InlineData("route:\n  receiver: x\n  group_interval: 0s\nreceivers:\n- name: x\n", 3, "group_interval cannot be zero")]
    [InlineData("route:\n  receiver: x\n  repeat_interval: 0s\nreceivers:\n- name: x\n", 3, "repeat_interval cannot be zero")]
    [InlineData("route:\n  receiver: x\n  matchers: [a=b]\nreceivers:\n- name: x\n", 2, "root route must not have any matchers")]
    [InlineData("route:\n  receiver: x\n  continue: true\nreceivers:\n- name: x\n", 2, "cannot have continue in root route")]
    [InlineData("route:\n  group_by: [a]\nreceivers:\n- name: x\n", 2, "root route must specify a default receiver")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n- name: x\n", 5, "notification config name \"x\" is not unique")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n- webhook_configs: []\n", 5, "missing name in receiver")]
    [InlineData("route:\n  receiver: x\n  routes:\n  - receiver: nope\nreceivers:\n- name: x\n", 4, "undefined receiver \"nope\" used in route")]
    [InlineData("route:\n  receiver: x\n  routes:\n  - mute_time_intervals: [foo]\nreceivers:\n- name: x\n", 4, "undefined time interval \"foo\" used in route")]
    [InlineData("route:\n  receiver: x\n  routes:\n  - matchers: [\"a=~(b\"]\nreceivers:\n- name: x\n", 4, "error parsing regexp: missing closing ): `^(?:(b)$`")]
    [InlineData("route:\n  receiver: x\n  routes:\n  - match_re: {a: \"(b\"}\nreceivers:\n- name: x\n", 4, "error parsing regexp: missing closing ): `^(?:(b)$`")]
    [InlineData("route:\n  receiver: x\n  routes:\n  - match: {1a: b}\nreceivers:\n- name: x\n", 4, "invalid label name \"1a\"")]
    [InlineData("route:\n  receiver: x\n  group_by: [..., a]\nreceivers:\n- name: x\n", 3, "cannot have wildcard group_by (`...`) and other other labels at the same time")]
    [InlineData("route:\n  receiver: x\n  group_by: [a, a]\nreceivers:\n- name: x\n", 3, "duplicated label \"a\" in group_by")]
    [InlineData("route:\n  receiver: x\n  group_by: a\nreceivers:\n- name: x\n", 3, "cannot unmarshal !!str `a` into []string")]
    [InlineData("route:\n  receiver: x\n  routes:\n  - continue: maybe\nreceivers:\n- name: x\n", 4, "cannot unmarshal !!str `maybe` into bool")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n  webhook_configs:\n  - url: ftp://a\n", 6, "unsupported scheme \"ftp\" for URL")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n  webhook_configs:\n  - send_resolved: true\n", 6, "missing URL in webhook config")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n  slack_configs:\n  - channel: a\n", 6, "no global Slack API URL set either inline or in a file")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n  email_configs:\n  - to: a@b\n", 6, "no global SMTP smarthost set")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n  pagerduty_configs:\n  - url: http://a\n", 6, "missing service or routing key in PagerDuty config")]
    [InlineData("global:\n  smtp_smarthost: nohost\nroute:\n  receiver: x\nreceivers:\n- name: x\n", 2, "address nohost: missing port in address")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - weekdays: [funday]\n", 8, "funday is not a valid weekday")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - days_of_month: [\"10:-25\"]\n", 8, "end day -25 is always before start day 10")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - years: [\"20x\"]\n", 8, "strconv.Atoi: parsing \"20x\": invalid syntax")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - location: Mars/Base\n", 8, "unknown time zone Mars/Base")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - times: [{start_time: \"10:00\", end_time: \"09:00\"}]\n", 8, "start time cannot be equal or greater than end time")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - foo: 1\n", 8, "field foo not found in type timeinterval.TimeInterval")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ninhibit_rules:\n- source_matchers: [\"a=b\"]\n  equal: [\"a-b\"]\n", 7, "\"a-b\" is not a valid label name")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\n  opsgenie_configs:\n  - foo: 1\n", 6, "field foo not found in type config.plain")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ninhibit_rules:\n- equal: a\n", 6, "cannot unmarshal !!str `a` into model.LabelNames")]
    [InlineData("route:\n  receiver: x\nreceivers:\n- name: x\ntime_intervals:\n- name: t\n  time_intervals:\n  - location: utc\n", 8, "unknown time zone utc")]
    [InlineData("", 0, "no route provided in config")]
    [InlineData("route:\n  receiver: x\n  routes:\n  -\n  - receiver: x\nreceivers:\n- name: x\n", 4, "null route in routes list")]
    public void Reports_alertmanagers_error_with_its_line(string yaml, int line, string message)
    {
        var error = Fail(yaml);
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Reports_every_error_not_only_the_first()
    {
        Assert.False(AlertmanagerConfigLoader.TryLoad("route:\n  receiver: x\n  a: 1\n  b: 2\nreceivers:\n- name: y\n", "am.yml", null, out _, out var errors));
        Assert.Equal(
            ["am.yml:3: field a not found in type config.plain", "am.yml:4: field b not found in type config.plain", "am.yml:2: undefined receiver \"x\" used in route"],
            errors.Select(static e => e.ToString()));
    }

    [Fact]
    public void Anchors_and_merge_keys_work_as_in_yaml_v2()
    {
        var config = Load("""
            route:
              receiver: r
              routes:
              - &base
                receiver: r
                group_wait: 1s
              - <<: *base
                matchers: [a=b]
            receivers:
            - name: r
            """);
        Assert.Equal(TimeSpan.FromSeconds(1), config.Route.Routes[1].GroupWait);
        Assert.Equal("{a=\"b\"}", config.Route.Routes[1].Matchers.ToString());
    }
}
