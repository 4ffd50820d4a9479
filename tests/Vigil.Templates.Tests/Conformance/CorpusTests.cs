namespace Vigil.Templates.Tests.Conformance;

/// <summary>Every template of the promtool-recorded corpus expands exactly as Prometheus 2.42 expanded it.</summary>
public sealed class CorpusTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in TemplateCorpus.TestFiles())
        {
            data.Add(file);
        }
        return data;
    }

    /// <summary>Every annotation of the file, one-shot and parsed once; the message lists every mismatch.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Annotations_expand_as_prometheus_did(string file)
    {
        var failures = new System.Text.StringBuilder();
        foreach (var c in TemplateCorpus.Cases(file))
        {
            var got = TemplateCorpus.ExpandLikePrometheus(c.Template, c.Value);
            var parsedOnce = TemplateCorpus.ExpandParsedOnce(c.Template, c.Value);
            if (got != c.Expected || parsedOnce != c.Expected)
            {
                failures.Append($"{file} {c.Annotation}: {c.Template}\nexpected:    {c.Expected}\ngot:         {got}\nparsed once: {parsedOnce}\n\n");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    public static TheoryData<string> ParseErrorFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in TemplateCorpus.ParseErrorCases().Select(c => c.File).Distinct())
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ParseErrorFiles))]
    public void Parse_errors_are_gos(string file)
    {
        var failures = new System.Text.StringBuilder();
        foreach (var c in TemplateCorpus.ParseErrorCases().Where(c => c.File == file))
        {
            var expander = new PrometheusTemplateExpander(AlertTemplateData.Definitions + c.Template, "__alert_A", null, 0, null, null);
            string got;
            try
            {
                expander.ParseTest();
                got = "(parsed)";
            }
            catch (TemplateException e)
            {
                got = e.Message;
            }
            if (got != c.Error)
            {
                failures.Append($"{file} {c.Annotation}: {c.Template}\nexpected: {c.Error}\ngot:      {got}\n\n");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void Corpus_covers_every_recorded_file()
    {
        var cases = TemplateCorpus.TestFiles().Sum(f => TemplateCorpus.Cases(f).Count);
        Assert.True(cases >= 140, $"the corpus has {cases} annotations; it should not shrink");
        Assert.True(TemplateCorpus.ParseErrorCases().Count >= 50);
    }
}
