namespace Vigil.Templates.Tests;

public sealed class AlertTemplateDataTests
{
    [Fact]
    public void Definitions_are_prometheus_2_42s_alerting_rule_preamble()
        => Assert.Equal("{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}", AlertTemplateData.Definitions);
}
