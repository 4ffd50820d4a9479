namespace Vigil.Templates.Tests;

/// <summary>Parse once, execute many: executing a typical alert annotation allocates little.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Executing_an_annotation_over_a_few_labels_stays_within_its_allocation_budget()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["__name__"] = "up", ["instance"] = "db1:9100", ["job"] = "node", ["severity"] = "page" };
        var data = AlertTemplateData.Create(labels, new Dictionary<string, string>(), "", 0.25);
        var template = GoTemplate.Parse("__alert_A", AlertTemplateData.Definitions + "{{ $labels.instance }} of job {{ $labels.job }} is down ({{ $value }})", null, MissingKeyBehavior.Zero);
        var sb = new System.Text.StringBuilder(256);
        for (var i = 0; i < 100; i++)
        {
            sb.Clear();
            template.Execute(sb, data);
        }
        sb.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        template.Execute(sb, data);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("db1:9100 of job node is down (0.25)", sb.ToString());
        Assert.True(allocated < 1024, $"one execution allocated {allocated} bytes");
    }
}
