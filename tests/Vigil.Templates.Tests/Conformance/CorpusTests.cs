namespace Vigil.Templates.Tests.Conformance;

/// <summary>Every template of the promtool-recorded corpus expands exactly as Prometheus 2.42 expanded it.</summary>
public sealed class CorpusTests
{
    public static TheoryData<string, string> Annotations()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in TemplateCorpus.TestFiles())
        {
            foreach (var c in TemplateCorpus.Cases(file))
            {
                data.Add(file, c.Annotation);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Annotations))]
    public void Annotation_expands_as_prometheus_did(string file, string annotation)
    {
        var c = TemplateCorpus.Cases(file).Single(x => x.Annotation == annotation);
        var got = TemplateCorpus.ExpandLikePrometheus(c.Template, c.Value);
        Assert.True(c.Expected == got, $"{file} {annotation}: {c.Template}\nexpected: {c.Expected}\ngot:      {got}");
        var parsedOnce = TemplateCorpus.ExpandParsedOnce(c.Template, c.Value);
        Assert.True(c.Expected == parsedOnce, $"{file} {annotation} parsed once: {c.Template}\nexpected: {c.Expected}\ngot:      {parsedOnce}");
    }

    public static TheoryData<string, string> ParseErrors()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in TemplateCorpus.ParseErrorCases())
        {
            data.Add(c.File, c.Annotation);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void Parse_error_is_gos(string file, string annotation)
    {
        var c = TemplateCorpus.ParseErrorCases().Single(x => x.File == file && x.Annotation == annotation);
        var expander = new PrometheusTemplateExpander(AlertTemplateData.Definitions + c.Template, "__alert_A", null, 0, null, null);
        var e = Assert.Throws<TemplateException>(expander.ParseTest);
        Assert.True(c.Error == e.Message, $"{file} {annotation}: {c.Template}\nexpected: {c.Error}\ngot:      {e.Message}");
    }

    [Fact]
    public void Corpus_covers_every_recorded_file()
    {
        var cases = TemplateCorpus.TestFiles().Sum(f => TemplateCorpus.Cases(f).Count);
        Assert.True(cases >= 140, $"the corpus has {cases} annotations; it should not shrink");
        Assert.True(TemplateCorpus.ParseErrorCases().Count >= 50);
    }
}
