namespace Vigil.Templates.Tests;

/// <summary>
/// Go text/template behaviour that Prometheus's alert templates cannot show (other missingkey modes, template sets,
/// custom functions, .NET data, delimiters). Expected texts follow Go 1.19's text/template source (exec.go, funcs.go).
/// </summary>
public sealed class GoTemplateTests
{
    private static readonly Dictionary<string, string> s_labels = new(StringComparer.Ordinal) { ["job"] = "api", ["instance"] = "a:1" };

    private static string Run(string text, object? data, TemplateFunctions? functions = null) => GoTemplate.Parse("t", text, functions).Execute(data);

    [Fact]
    public void Missing_map_key_prints_no_value_by_default()
        => Assert.Equal("<no value>|api", Run("{{ .nope }}|{{ .job }}", s_labels));

    [Fact]
    public void Missing_map_key_is_the_element_zero_value_with_missingkey_zero()
    {
        var t = GoTemplate.Parse("t", "[{{ .nope }}][{{ .x }}]", null, MissingKeyBehavior.Zero);
        Assert.Equal("[][]", t.Execute(s_labels));
        Assert.Equal("[<no value>][1]", t.Execute(new Dictionary<string, object?> { ["x"] = 1L }));
    }

    [Fact]
    public void Missing_map_key_is_an_error_with_missingkey_error()
    {
        var t = GoTemplate.Parse("t", "{{ .job }}{{ .nope }}", null, MissingKeyBehavior.Error);
        var e = Assert.Throws<TemplateException>(() => t.Execute(s_labels));
        Assert.Equal("template: t:1:13: executing \"t\" at <.nope>: map has no entry for key \"nope\"", e.Message);
        var nil = Assert.Throws<TemplateException>(() => t.Execute(null));
        Assert.Equal("template: t:1:3: executing \"t\" at <.job>: nil data; no entry for key \"job\"", nil.Message);
    }

    [Fact]
    public void Field_of_nil_data_is_no_value()
        => Assert.Equal("<no value>", Run("{{ .A.B }}", null));

    [Fact]
    public void Template_set_executes_named_templates_and_lists_them()
    {
        var t = GoTemplate.Parse("main", "{{ define \"a\" }}A{{ .job }}{{ end }}{{ define \"b\" }}B{{ template \"a\" . }}{{ end }}main:{{ template \"b\" . }}");
        Assert.Equal("main:BAapi", t.Execute(s_labels));
        Assert.Equal("BAapi", t.ExecuteTemplate("b", s_labels));
        Assert.Equal(["a", "b", "main"], t.TemplateNames.Order(StringComparer.Ordinal));
        Assert.Equal("main", t.Name);
        var e = Assert.Throws<TemplateException>(() => t.ExecuteTemplate("zzz", null));
        Assert.Equal("template: no template \"zzz\" associated with template \"main\"", e.Message);
    }

    [Fact]
    public void ParseMore_adds_and_replaces_definitions_like_a_second_Parse()
    {
        var t = GoTemplate.Parse("main", "{{ template \"x\" . }}");
        var missing = Assert.Throws<TemplateException>(() => t.Execute(null));
        Assert.Equal("template: main:1:12: executing \"main\" at <{{template \"x\" .}}>: template \"x\" not defined", missing.Message);
        t.ParseMore("{{ define \"x\" }}first{{ end }}");
        Assert.Equal("first", t.Execute(null));
        t.ParseMore("{{ define \"x\" }}second{{ end }}");
        Assert.Equal("second", t.Execute(null));
        // A define that is only whitespace does not replace a real one (Go's associate).
        t.ParseMore("{{ define \"x\" }}  {{ end }}");
        Assert.Equal("second", t.Execute(null));
        // Text outside defines replaces the body of the template itself.
        t.ParseMore("new body {{ template \"x\" }}");
        Assert.Equal("new body second", t.Execute(null));
    }

    [Fact]
    public void ParseMore_reports_the_parse_error_of_the_new_text()
    {
        var t = GoTemplate.Parse("main", "ok");
        var e = Assert.Throws<TemplateException>(() => t.ParseMore("\n{{ nope }}"));
        Assert.Equal("template: main:2: function \"nope\" not defined", e.Message);
        Assert.Equal("ok", t.Execute(null));
    }

    [Fact]
    public void Multiple_definitions_in_one_parse_are_an_error()
    {
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", "{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}"));
        Assert.Equal("template: t:1: template: multiple definition of template \"a\"", e.Message);
    }

    [Fact]
    public void Custom_functions_are_called_with_gos_argument_rules()
    {
        var functions = new TemplateFunctions()
            .Add("shout", (string s) => s.ToUpperInvariant() + "!")
            .Add("twice", (double d) => d * 2)
            .Add("count", (long n) => n + 1)
            .Add("join", (string sep, params object?[] parts) => string.Join(sep, parts))
            .Add("fail", string (string s) => throw new InvalidOperationException("failed on " + s));
        Assert.Equal("API! 3 4 a-1-b", Run("{{ .job | shout }} {{ twice 1.5 }} {{ count 3 }} {{ join \"-\" \"a\" 1 \"b\" }}", s_labels, functions));
        var e = Assert.Throws<TemplateException>(() => Run("{{ fail .job }}", s_labels, functions));
        Assert.Equal("template: t:1:3: executing \"t\" at <fail .job>: error calling fail: failed on api", e.Message);
        var wrongType = Assert.Throws<TemplateException>(() => Run("{{ shout 1 }}", null, functions));
        Assert.Equal("template: t:1:9: executing \"t\" at <1>: expected string; found 1", wrongType.Message);
        var wrongCount = Assert.Throws<TemplateException>(() => Run("{{ shout }}", null, functions));
        Assert.Equal("template: t:1:3: executing \"t\" at <shout>: wrong number of args for shout: want 1 got 0", wrongCount.Message);
    }

    [Fact]
    public void Custom_function_replaces_a_builtin_of_the_same_name()
    {
        var functions = new TemplateFunctions().Add("len", (object? x) => "custom");
        Assert.Equal("custom", Run("{{ len \"abc\" }}", null, functions));
    }

    [Fact]
    public void Function_names_must_be_identifiers()
        => Assert.Throws<ArgumentException>(() => new TemplateFunctions().Add("not-a-name", () => 1));

    public sealed class Host
    {
        public string Name { get; init; } = "db1";

        public List<long> Ports { get; init; } = [5432, 9187];

        public Dictionary<string, object?> Meta { get; init; } = new(StringComparer.Ordinal) { ["rack"] = "r1", ["tags"] = new[] { "a", "b" } };

        public string Greet(string who) => $"hello {who} from {Name}";

        public long PortCount() => Ports.Count;
    }

    [Fact]
    public void Net_objects_are_structs_with_fields_and_methods()
    {
        var host = new Host();
        Assert.Equal("db1 [5432 9187] 9187 2 r1 b hello you from db1 2",
            Run("{{ .Name }} {{ .Ports }} {{ index .Ports 1 }} {{ len .Ports }} {{ .Meta.rack }} {{ index .Meta.tags 1 }} {{ .Greet \"you\" }} {{ .PortCount }}", host));
        Assert.Equal("0=5432 1=9187 ", Run("{{ range $i, $p := .Ports }}{{ $i }}={{ $p }} {{ end }}", host));
        var e = Assert.Throws<TemplateException>(() => Run("{{ .Nope }}", host));
        Assert.Equal("template: t:1:3: executing \"t\" at <.Nope>: can't evaluate field Nope in type *Host", e.Message);
        var args = Assert.Throws<TemplateException>(() => Run("{{ .Name 1 }}", host));
        Assert.Equal("template: t:1:3: executing \"t\" at <.Name>: Name has arguments but cannot be invoked as function", args.Message);
    }

    public sealed class KV : Dictionary<string, string>
    {
        public KV()
            : base(StringComparer.Ordinal)
        {
        }

        public string Names() => string.Join(",", Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_map_type_with_methods_has_both_keys_and_methods_but_not_the_frameworks_methods()
    {
        var kv = new KV { ["b"] = "2", ["a"] = "1" };
        Assert.Equal("a,b 1 map[a:1 b:2]", Run("{{ .Names }} {{ .a }} {{ . }}", kv));
        Assert.Equal("<no value>", Run("{{ .ContainsKey }}", kv));
    }

    [Fact]
    public void Index_out_of_range_and_nil_index_are_gos_errors()
    {
        var host = new Host();
        var e = Assert.Throws<TemplateException>(() => Run("{{ index .Ports 2 }}", host));
        Assert.Equal("template: t:1:3: executing \"t\" at <index .Ports 2>: error calling index: index out of range: 2", e.Message);
        var nil = Assert.Throws<TemplateException>(() => Run("{{ index .Ports nil }}", host));
        Assert.Equal("template: t:1:3: executing \"t\" at <index .Ports nil>: error calling index: cannot index slice/array with nil", nil.Message);
    }

    [Fact]
    public void Delimiters_can_be_changed()
    {
        var t = GoTemplate.Parse("t", "{{ not an action }} [[ .job ]] [[- \" x\" -]] y", null, MissingKeyBehavior.Default, "[[", "]]");
        Assert.Equal("{{ not an action }} api xy", t.Execute(s_labels));
    }

    [Fact]
    public void Deep_recursion_stops_with_gos_depth_error_instead_of_overflowing_the_stack()
    {
        var t = GoTemplate.Parse("t", "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}");
        var e = Assert.Throws<TemplateException>(() => t.Execute(null));
        Assert.EndsWith("exceeded maximum template depth (100000)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_parentheses_fail_to_parse_instead_of_overflowing_the_stack()
    {
        var text = "{{ " + new string('(', 200_000) + "1" + new string(')', 200_000) + " }}";
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", text));
        Assert.Equal("template: t:1: max expression depth exceeded", e.Message);
    }

    [Fact]
    public void A_parsed_template_executes_concurrently_with_the_same_result()
    {
        var t = GoTemplate.Parse("t", "{{ range $k, $v := . }}{{ $k }}={{ $v | printf \"%q\" }},{{ end }}");
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = t.Execute(new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["job"] = "api" }));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"i=\"{i}\",job=\"api\",", results[i]);
        }
    }

    [Fact]
    public void Execute_appends_to_a_caller_supplied_builder()
    {
        var sb = new System.Text.StringBuilder("prefix:");
        GoTemplate.Parse("t", "{{ .job }}").Execute(sb, s_labels);
        Assert.Equal("prefix:api", sb.ToString());
    }

    [Fact]
    public void Expander_wraps_errors_like_prometheus()
    {
        var parse = Assert.Throws<TemplateException>(() => new PrometheusTemplateExpander("{{ nope }}", "n", null, 0, null, "").Expand());
        Assert.Equal("error parsing template n: template: n:1: function \"nope\" not defined", parse.Message);
        var exec = Assert.Throws<TemplateException>(() => new PrometheusTemplateExpander("{{ humanize true }}", "n", null, 0, null, "").Expand());
        Assert.Equal("error executing template n: template: n:1:3: executing \"n\" at <humanize true>: error calling humanize: can't convert bool to float", exec.Message);
        var check = Assert.Throws<TemplateException>(() => new PrometheusTemplateExpander("{{ nope }}", "n", null, 0, null, "").ParseTest());
        Assert.Equal("template: n:1: function \"nope\" not defined", check.Message);
    }

    [Fact]
    public void Expander_external_url_and_path_prefix()
    {
        var data = AlertTemplateData.Create(s_labels, new Dictionary<string, string> { ["dc"] = "eu" }, "http://prom.example:9090/sub/path", 2);
        var text = AlertTemplateData.Definitions + "{{ externalURL }}|{{ pathPrefix }}|{{ $externalURL }}|{{ $externalLabels.dc }}|{{ $value }}|{{ $labels.job }}";
        var expander = new PrometheusTemplateExpander(text, "__alert_X", data, 0, null, "http://prom.example:9090/sub/path");
        Assert.Equal("http://prom.example:9090/sub/path|/sub/path|http://prom.example:9090/sub/path|eu|2|api", expander.Expand());
    }

    [Fact]
    public void Expander_query_runs_at_the_expansion_time_and_its_error_is_the_template_error()
    {
        long seen = -1;
        IReadOnlyList<TemplateQuerySample> Query(string q, long ts)
        {
            seen = ts;
            return q == "bad" ? throw new InvalidOperationException("1:1: parse error: boom") : [new TemplateQuerySample(Vigil.Model.Labels.Of("job", "x"), 7)];
        }
        Assert.Equal("7 x", new PrometheusTemplateExpander("{{ with query \"up\" }}{{ (first .).Value }} {{ (first .).Labels.job }}{{ end }}", "q", null, 1234, Query, "").Expand());
        Assert.Equal(1234, seen);
        var e = Assert.Throws<TemplateException>(() => new PrometheusTemplateExpander("{{ query \"bad\" }}", "q", null, 0, Query, "").Expand());
        Assert.Equal("error executing template q: template: q:1:3: executing \"q\" at <query \"bad\">: error calling query: 1:1: parse error: boom", e.Message);
    }
}
