namespace LlmStruct.Parsers.Python.Tests;

public sealed class ErrorTests
{
    [Fact]
    public void KeepsWhatWasReadBeforeAnErrorAndRecoversAtTheNextTopLevelStatement()
    {
        var result = Py.Parse("def before(): pass\n\ndef broken():\n    x = = 1\n\nclass After:\n    def m(self): pass\n");
        Assert.Single(result.Errors);
        Assert.Equal(4, result.Errors[0].Line);
        Assert.Equal("m.py", result.Errors[0].File);
        Assert.Contains(result.Module.Definitions, d => d.Name == "before");
        Assert.Contains(result.Module.Definitions, d => d.Name == "After" && d.Children.Length == 1);
    }

    [Theory]
    [InlineData("x = (\n", "'(' was never closed", 1, 5)]
    [InlineData("x = 'abc\n", "unterminated string literal (detected at line 1)", 1, 5)]
    [InlineData("x = '''\n\n", "unterminated triple-quoted string literal (detected at line 3)", 1, 5)]
    [InlineData("  x = 1\n", "unexpected indent", 1, 3)]
    [InlineData("if x:\npass\n", "expected an indented block after 'if' statement on line 1", 2, 1)]
    [InlineData("x = 1 +\n", "invalid syntax", 1, 8)]
    [InlineData("class C\n    pass\n", "expected ':'", 1, 8)]
    [InlineData("x = }\n", "unmatched '}'", 1, 5)]
    [InlineData("x = $\n", "invalid syntax", 1, 5)]
    [InlineData("x = 1\0\n", "source code cannot contain null bytes", 1, 6)]
    public void ReportsCpythonLikeErrors(string code, string reason, int line, int column)
    {
        var error = Py.Error(code);
        Assert.Equal((reason, line), (error.Reason, error.Line));
        Assert.InRange(error.Column, column - 2, column + 2);
    }

    [Fact]
    public void HonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var result = Py.Parser.Parse(LlmStruct.Parsing.SourceFile.FromText("m.py", "x = 1\n"), cts.Token);
        Assert.Equal("parsing was cancelled", result.Errors[0].Reason);
    }
}
