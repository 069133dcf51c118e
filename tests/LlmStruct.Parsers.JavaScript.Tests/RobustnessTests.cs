using System.Text;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Tests;

public class RobustnessTests
{
    [Fact]
    public void Syntax_errors_have_one_based_positions_and_the_parsers_reason()
    {
        var result = Js.Parse("const a = 1;\nlet x = ;\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("test.js", 2, 9), (error.File, error.Line, error.Column));
        Assert.Contains("Unexpected token", error.Reason);
    }

    [Fact]
    public void Jsx_errors_come_from_the_jsx_parser()
    {
        var error = Assert.Single(Js.Parse("const a = <div>;\n", "a.jsx").Errors);
        Assert.True(error.Line >= 1 && error.Column >= 1);
    }

    [Theory]
    [InlineData("[", "]", 10_000)]
    [InlineData("(", ")", 10_000)]
    [InlineData("{", "}", 10_000)]
    [InlineData("function f(){", "}", 3_000)]
    [InlineData("!", "", 50_000)]
    [InlineData("a ? b : ", "c", 20_000)]
    public void Deep_nesting_gives_an_error_or_a_result_never_a_crash(string open, string close, int depth)
    {
        var source = new StringBuilder();
        source.Append("x = ");
        for (int i = 0; i < depth; i++)
        {
            source.Append(open);
        }
        source.Append('1');
        for (int i = 0; i < depth; i++)
        {
            source.Append(close);
        }
        var result = Js.Parse(source.ToString());
        Assert.NotNull(result.Module);
    }

    [Fact]
    public void Brackets_deeper_than_the_limit_are_refused_clearly()
    {
        var result = Js.Parse("x = " + new string('[', 10_000) + new string(']', 10_000));
        Assert.Contains("nested deeper", Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_entry()
    {
        var result = new JavaScriptParser().Parse(new SourceFile("bad.js", new byte[] { 0x66, 0xff, 0xfe, 0x00 }));
        Assert.Contains("UTF-8", Assert.Single(result.Errors).Reason);
    }

    [Fact]
    // Behaviour only: how long it takes is measured by ParserBenchmarks.MinifiedBundle (benchmarks/), never asserted here.
    public void A_five_megabyte_minified_bundle_parses_whole()
    {
        var sb = new StringBuilder();
        int i = 0;
        while (sb.Length < 5 * 1024 * 1024)
        {
            sb.Append($"var a{i}=function(b,c){{return b.x{i}(c)+[1,2,{{k:c}}].map(function(d){{return d*{i}}})}};");
            i++;
        }
        var result = Js.Parse(sb.ToString(), "bundle.min.js");
        Assert.Empty(result.Errors);
        Assert.Equal(i, result.Module.Definitions.Length);
        // Every function, once (definitions on one line are ordered by name).
        Assert.Equal(Enumerable.Range(0, i).Select(n => $"a{n}").Order(StringComparer.Ordinal), result.Module.Definitions.Select(d => d.Name));
        Assert.All(result.Module.Definitions, d => Assert.Equal(1, d.StartLine));
    }

    [Fact]
    public void Cancellation_is_an_error_not_an_exception()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var result = new JavaScriptParser().Parse(SourceFile.FromText("a.js", "function f() {}"), cts.Token);
        Assert.Contains("cancelled", Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Registration_adds_the_parser()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddLlmStruct().AddJavaScriptParser().AddJavaScriptParser();
        Assert.Single(services, s => s.ImplementationType == typeof(JavaScriptParser));
        var parser = new JavaScriptParser();
        Assert.Equal("javascript", parser.Language);
        Assert.Equal([".cjs", ".js", ".jsx", ".mjs"], parser.Extensions);
    }
}

public class PartialResultTests
{
    [Fact]
    public void Definitions_before_a_syntax_error_are_kept()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "syntax-error.js"));
        var result = new JavaScriptParser().Parse(new LlmStruct.Parsing.SourceFile("syntax-error.js", bytes));
        var error = Assert.Single(result.Errors);
        Assert.True(error.Line >= 3, $"{error.Line}:{error.Column} {error.Reason}");
        Assert.Equal(["ok"], result.Module.Definitions.Select(d => d.Name));
    }

    [Fact]
    public void Nothing_readable_before_the_error_gives_an_empty_module() =>
        Assert.Empty(Js.Parse("let x = ;\n").Module.Definitions);
}
