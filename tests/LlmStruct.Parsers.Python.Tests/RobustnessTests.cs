using LlmStruct.Parsing;
using System.Text;

namespace LlmStruct.Parsers.Python.Tests;

public sealed class RobustnessTests
{
    [Fact]
    public void EmptyFile_OnAFreshThread_IsAnEmptyModule()
    {
        // The first file a thread sees may be empty (an __init__.py): no per-thread buffer exists yet.
        ParseResult? result = null;
        var thread = new Thread(() => result = Py.Parser.Parse(new SourceFile("pkg/__init__.py", ReadOnlyMemory<byte>.Empty)));
        thread.Start();
        thread.Join();
        Assert.NotNull(result);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Module.Definitions);
    }

    [Fact]
    public void DeeplyNestedParenthesesGiveAnError()
    {
        string code = "x = " + new string('(', 10_000) + "1" + new string(')', 10_000) + "\n";
        Assert.Equal("too many nested parentheses", Py.Error(code).Reason);
    }

    [Fact]
    public void DeeplyNestedUnaryOperatorsGiveAnError()
    {
        var result = Py.Parse("x = " + new string('-', 100_000) + "1\n");
        Assert.NotEmpty(result.Errors);
        result = Py.Parse("x = " + string.Concat(Enumerable.Repeat("not ", 50_000)) + "1\n");
        Assert.NotEmpty(result.Errors);
        result = Py.Parse("x = " + string.Concat(Enumerable.Repeat("lambda: ", 50_000)) + "1\n");
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void DeeplyNestedBlocksGiveAnError()
    {
        var sb = new StringBuilder("def keep(): pass\n");
        for (int i = 0; i < 1000; i++)
        {
            sb.Append(' ', i).Append("if x:\n");
        }
        sb.Append(' ', 1000).Append("pass\n");
        var result = Py.Parse(sb.ToString());
        Assert.Equal("too many levels of indentation", result.Errors[0].Reason);
        Assert.Equal("keep", result.Module.Definitions[0].Name);
    }

    [Fact]
    public void OneMegabyteLineParses()
    {
        string code = "x = [" + string.Concat(Enumerable.Repeat("f(1), ", 1024 * 1024 / 6)) + "]\ndef g(): return [" + string.Concat(Enumerable.Repeat("h(1), ", 100_000)) + "]\n";
        var module = Py.Module(code);
        Assert.Equal(100_000, module.Definitions[0].Calls.Single().Count);
    }

    [Fact]
    public void TwoHundredThousandLinesParse()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++)
        {
            sb.Append("def f").Append(i).Append("(a, b=1):\n    '''Doc.'''\n    return g(a)\n\n");
        }
        var module = Py.Module(sb.ToString());
        Assert.Equal(50_000, module.Definitions.Length);
        Assert.Equal(199_999, module.Definitions[^1].StartLine + 2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("#")]
    [InlineData("\\")]
    [InlineData("'")]
    [InlineData("f'{")]
    [InlineData("f'{x:{")]
    [InlineData("def")]
    [InlineData("@")]
    [InlineData("match x:\n case")]
    [InlineData("class C(:")]
    [InlineData("\t\t\t  \f x")]
    [InlineData("lambda")]
    [InlineData("x = [\n")]
    [InlineData("\uFEFFx = 1")]
    [InlineData("\ud800")]
    public void NeverThrows(string code)
    {
        var result = Py.Parse(code);
        Assert.NotNull(result.Module);
        Assert.DoesNotContain(result.Errors, e => e.Reason.StartsWith("internal", StringComparison.Ordinal));
    }
}
