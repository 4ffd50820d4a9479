using Vigil.Alerting.Config;
using Vigil.Alerting.Routing;
using Vigil.Model;

namespace Vigil.Alerting.Tests.Routing;

public sealed class RouteTests
{
    private const string Tree = """
        route:
          receiver: default
          group_by: [alertname]
          group_wait: 10s
          routes:
          - matchers: [team=a]
            receiver: team-a
            continue: true
            group_by: [cluster, alertname]
            routes:
            - matchers: [sev=crit]
              receiver: team-a-pager
              repeat_interval: 1h
          - match: {team: a}
            receiver: team-a-mail
          - match_re: {service: 'db|cache'}
            group_by: ['...']
            group_interval: 1m
            routes:
            - matchers: ['env!=prod']
              receiver: dev
          - matchers: [team=b]
            group_by: []
            mute_time_intervals: [offhours]
        receivers:
        - name: default
        - name: team-a
        - name: team-a-pager
        - name: team-a-mail
        - name: dev
        time_intervals:
        - name: offhours
        """;

    private static Route Root()
    {
        Assert.True(AlertmanagerConfigLoader.TryLoad(Tree, "t.yml", null, out var config, out var errors), string.Join('\n', errors));
        return Route.Build(config.Route);
    }

    private static string Receivers(Route root, params string[] labels)
        => string.Join(',', root.Match(Labels.Of(labels)).Select(static r => r.Options.Receiver));

    [Theory]
    [InlineData("default")]
    [InlineData("team-a,team-a-mail", "team", "a")]
    [InlineData("team-a-pager,team-a-mail", "team", "a", "sev", "crit")]
    [InlineData("default", "service", "dbx")]
    [InlineData("dev", "service", "db")]
    [InlineData("default", "service", "db", "env", "prod")]
    [InlineData("default", "team", "b")]
    public void Matches_depth_first_with_continue_and_falls_back_to_the_parent(string expected, params string[] labels)
    {
        Assert.Equal(expected, Receivers(Root(), labels));
    }

    [Fact]
    public void Children_inherit_unset_options()
    {
        var root = Root();
        Assert.Equal(["alertname"], root.Options.GroupBy);
        Assert.Equal(TimeSpan.FromSeconds(10), root.Options.GroupWait);
        Assert.Equal(TimeSpan.FromMinutes(5), root.Options.GroupInterval);
        Assert.Equal(TimeSpan.FromHours(4), root.Options.RepeatInterval);
        var pager = root.Routes[0].Routes[0];
        Assert.Equal(["alertname", "cluster"], pager.Options.GroupBy);
        Assert.Equal(TimeSpan.FromHours(1), pager.Options.RepeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), pager.Options.GroupWait);
        var dev = root.Routes[2].Routes[0];
        Assert.True(dev.Options.GroupByAll);
        Assert.Equal(TimeSpan.FromMinutes(1), dev.Options.GroupInterval);
        var teamB = root.Routes[3];
        Assert.Equal("default", teamB.Options.Receiver);
        Assert.Equal(["alertname"], teamB.Options.GroupBy); // group_by: [] keeps the parent's, as in Alertmanager
        Assert.Equal(["offhours"], teamB.Options.MuteTimeIntervals);
        Assert.Empty(root.Options.MuteTimeIntervals);
    }

    [Fact]
    public void Keys_and_ids_are_alertmanagers()
    {
        var root = Root();
        Assert.Equal("{}", root.Key);
        Assert.Equal("{}", root.Id);
        Assert.Equal("{}/{team=\"a\"}/{sev=\"crit\"}", root.Routes[0].Routes[0].Key);
        Assert.Equal("{}/{team=\"a\"}/{sev=\"crit\"}/0", root.Routes[0].Routes[0].Id);
        Assert.Equal("{}/{team=\"a\"}", root.Routes[1].Key);
        Assert.Equal("{}/{team=\"a\"}/1", root.Routes[1].Id);
        Assert.Equal("{}/{service=~\"^(?:db|cache)$\"}/{env!=\"prod\"}/0", root.Routes[2].Routes[0].Id);
    }

    [Fact]
    public void Group_keys_use_the_routes_key_and_its_group_labels()
    {
        var root = Root();
        var alert = Labels.Of("alertname", "Down", "cluster", "eu", "team", "a", "sev", "crit", "instance", "x");
        Assert.Equal("{}/{team=\"a\"}/{sev=\"crit\"}:{alertname=\"Down\", cluster=\"eu\"}", root.Routes[0].Routes[0].GroupKey(alert));
        Assert.Equal("{}:{alertname=\"Down\"}", root.GroupKey(alert));
        var dev = root.Routes[2].Routes[0];
        Assert.Equal(alert, dev.GroupLabels(alert));
        Assert.Equal("k:{a1=\"x\", a=\"y\"}", Route.GroupKeyOf("k", Labels.Of("a", "y", "a1", "x"))); // Go sorts "name=value" strings
    }

    [Fact]
    public void Walk_visits_parents_before_children()
    {
        var seen = new List<string>();
        Root().Walk(r => seen.Add(r.Options.Receiver));
        Assert.Equal(["default", "team-a", "team-a-pager", "team-a-mail", "default", "dev", "default"], seen);
    }

    // treeprint pads the vertical link with two no-break spaces; the expected trees below use plain ones for legibility.
    [Fact]
    public void Printers_draw_amtools_tree()
    {
        var root = Root();
        Assert.Equal(
            """
            .
            └── default-route  receiver: default
                ├── {team="a"}  continue: true  receiver: team-a
                │   └── {sev="crit"}  receiver: team-a-pager
                ├── {team="a"}  receiver: team-a-mail
                ├── {service=~"^(?:db|cache)$"}  receiver: default
                │   └── {env!="prod"}  receiver: dev
                └── {team="b"}  receiver: default

            """.ReplaceLineEndings("\n"),
            RouteTreePrinter.Show(root).Replace("│\u00a0\u00a0 ", "│   ", StringComparison.Ordinal));
        Assert.Equal(
            """
            .
            └── default-route
                ├── {team="a"}
                │   └── {sev="crit"}  receiver: team-a-pager
                └── {team="a"}  receiver: team-a-mail

            """.ReplaceLineEndings("\n"),
            RouteTreePrinter.Matching(root, Labels.Of("team", "a", "sev", "crit")).Replace("│\u00a0\u00a0 ", "│   ", StringComparison.Ordinal));
    }
}
