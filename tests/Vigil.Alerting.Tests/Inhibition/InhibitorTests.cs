using Vigil.Alerting.Config;
using Vigil.Alerting.Inhibition;
using Vigil.Model;

namespace Vigil.Alerting.Tests.Inhibition;

public sealed class InhibitorTests
{
    private static Inhibitor Load(string rules)
    {
        Assert.True(AlertmanagerConfigLoader.TryLoad("route:\n  receiver: r\nreceivers:\n- name: r\ninhibit_rules:\n" + rules, "i.yml", null, out var config, out var errors), string.Join('\n', errors));
        return new Inhibitor(config.InhibitRules);
    }

    private const string CriticalMutesWarning = """
        - source_matchers: [severity=critical]
          target_matchers: [severity=warning]
          equal: [cluster, alertname]
        """;

    [Fact]
    public void A_firing_source_mutes_a_target_with_equal_labels()
    {
        var inhibitor = Load(CriticalMutesWarning);
        var source = Labels.Of("alertname", "Down", "cluster", "eu", "severity", "critical");
        var target = Labels.Of("alertname", "Down", "cluster", "eu", "severity", "warning");
        Assert.True(inhibitor.Mutes(target, [source, target], out var by));
        Assert.Equal(source, by);
        Assert.False(inhibitor.Mutes(Labels.Of("alertname", "Down", "cluster", "us", "severity", "warning"), [source], out _));
        Assert.False(inhibitor.Mutes(target, [target], out _));
        Assert.False(inhibitor.Mutes(source, [source], out _));
    }

    [Fact]
    public void Absent_equal_labels_are_equal()
    {
        var inhibitor = Load(CriticalMutesWarning);
        Assert.True(inhibitor.Mutes(Labels.Of("severity", "warning"), [Labels.Of("severity", "critical")], out _));
    }

    [Fact]
    public void An_alert_matching_both_sides_does_not_mute_another_such_alert()
    {
        var inhibitor = Load("""
            - source_matchers: [team=a]
              target_matchers: [team=~a|b]
            """);
        var both1 = Labels.Of("team", "a", "x", "1");
        var both2 = Labels.Of("team", "a", "x", "2");
        var targetOnly = Labels.Of("team", "b");
        Assert.False(inhibitor.Mutes(both1, [both1, both2], out _));
        Assert.True(inhibitor.Mutes(targetOnly, [both1], out _));
    }

    [Fact]
    public void Old_match_and_match_re_are_folded_into_anchored_matchers()
    {
        var inhibitor = Load("""
            - source_match: {alertname: NodeDown}
              target_match_re: {alertname: 'Disk.*|Load'}
              equal: [instance]
            """);
        var rule = Assert.Single(inhibitor.Rules);
        Assert.Equal("{alertname=\"NodeDown\"}", rule.SourceMatchers.ToString());
        Assert.Equal("{alertname=~\"^(?:Disk.*|Load)$\"}", rule.TargetMatchers.ToString());
        var down = Labels.Of("alertname", "NodeDown", "instance", "n1");
        Assert.True(inhibitor.Mutes(Labels.Of("alertname", "DiskFull", "instance", "n1"), [down], out _));
        Assert.False(inhibitor.Mutes(Labels.Of("alertname", "XDiskFull", "instance", "n1"), [down], out _));
        Assert.False(inhibitor.Mutes(Labels.Of("alertname", "Load", "instance", "n2"), [down], out _));
    }
}
