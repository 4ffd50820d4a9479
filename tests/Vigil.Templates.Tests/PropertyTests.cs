using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vigil.Model.Exposition;
using Vigil.Templates.Execution;

namespace Vigil.Templates.Tests;

/// <summary>Parsing and executing arbitrary text never fails with anything but a <see cref="TemplateException"/>.</summary>
public sealed class PropertyTests
{
    private static readonly string[] s_tokens =
    [
        "{{", "}}", "{{- ", " -}}", " ", "\n", ".", ".Labels", ".Labels.job", ".Value", ".Nope", "$", "$x", "$y", "$labels", "$value", ":=", "=", "|", ",",
        "(", ")", "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "\"a\"", "\"t\"", "`r`", "'x'", "1", "-2",
        "1.5", "0x1F", "1e3", "nil", "true", "false", "printf", "\"%d %s %v %q %x %5.2f\"", "index", "len", "slice", "eq", "ne", "lt", "and", "or", "not",
        "print", "println", "html", "js", "urlquery", "call", "humanize", "humanizeDuration", "humanizeTimestamp", "toTime", "query", "first", "label",
        "value", "args", "reReplaceAll", "match", "\"(a+\"", "title", "toUpper", "safeHtml", "sortByLabel", "parseDuration", "stripPort", "pathPrefix",
        "/*", "*/", "text", "é", "\"\\u00e9\"", "-", "+", "@", "#", "{", "}",
    ];

    [Property(MaxTest = 2000)]
    public void Arbitrary_text_parses_and_executes_or_fails_with_a_template_exception(NonNull<string> text)
        => AssertOnlyTemplateExceptions(text.Get);

    [Property(MaxTest = 3000)]
    public Property Token_soup_parses_and_executes_or_fails_with_a_template_exception()
    {
        var soup = from tokens in Gen.ListOf(Gen.Elements(s_tokens), 40)
                   select string.Concat(tokens);
        return Prop.ForAll(soup.ToArbitrary(), AssertOnlyTemplateExceptions);
    }

    [Property(MaxTest = 3000)]
    public void Shortest_float_formatting_is_gos(NormalFloat value)
        => Assert.Equal(GoFloat.Format(value.Get), GoFloatFormat.Format(value.Get, 'g', -1));

    [Property(MaxTest = 1000)]
    public void Fixed_and_exponent_formatting_round_trip(NormalFloat value, byte precision)
    {
        var prec = precision % 17;
        var e = GoFloatFormat.Format(value.Get, 'e', prec);
        var f = GoFloatFormat.Format(value.Get, 'f', prec);
        // Both must be the value rounded to the precision: reading them back lands within half a unit of the last digit.
        var ulpE = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(value.Get == 0 ? 1 : value.Get))) - prec);
        Assert.InRange(Math.Abs(double.Parse(e, System.Globalization.CultureInfo.InvariantCulture) - value.Get), 0, (ulpE * 0.5000001) + (Math.Abs(value.Get) * 1e-15));
        Assert.InRange(Math.Abs(double.Parse(f, System.Globalization.CultureInfo.InvariantCulture) - value.Get), 0, (Math.Pow(10, -prec) * 0.5000001) + (Math.Abs(value.Get) * 1e-15));
    }

    private static void AssertOnlyTemplateExceptions(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["__name__"] = "m", ["job"] = "j" };
        var data = AlertTemplateData.Create(labels, new Dictionary<string, string>(), "", 1.5);
        try
        {
            new PrometheusTemplateExpander(AlertTemplateData.Definitions + text, "__alert_A", data, 0, (_, _) => [], "http://x/").Expand();
        }
        catch (TemplateException)
        {
        }
        try
        {
            GoTemplate.Parse("t", text).Execute(labels);
        }
        catch (TemplateException)
        {
        }
    }
}
