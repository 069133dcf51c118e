namespace LlmStruct.Parsers.CSharp.Tests;

public class NestingGuardTests
{
    private static string Deep(string open, string close, int n) =>
        string.Concat(Enumerable.Repeat(open, n)) + "x" + string.Concat(Enumerable.Repeat(close, n));

    [Fact]
    public void OrdinaryCode_IsLeftAlone()
    {
        var text = "class C { void M() { var s = \"(((\" + @\"[[[\"\"\" + $\"{a} {{ ((\" + '(' ; /* ((( */ // {{{\n var r = \"\"\"\n (((\n \"\"\"; } }";
        var result = NestingGuard.Scan(text);
        Assert.Same(text, result.Text);
        Assert.Empty(result.Blanked);
        Assert.True(result.MaxSeen <= 4, $"depth {result.MaxSeen}");
    }

    [Fact]
    public void BracketsInsideStringsAndComments_DoNotAccumulate()
    {
        var line = "var s = \"(\"; // (\n /* [ */ var c = '('; var v = @\"{\"; var raw = \"\"\"<\"\"\";\n  #region Helpers (((\n";
        var text = "class C { void M() {\n" + string.Concat(Enumerable.Repeat(line, 1_000)) + "} }";
        var result = NestingGuard.Scan(text);
        Assert.Empty(result.Blanked);
        Assert.Equal(2, result.MaxSeen);
    }

    [Fact]
    public void DeepRegions_AreBlanked_KeepingLineBreaks()
    {
        var deep = Deep("(\n", ")", 300);
        var text = "class C { object M() => " + deep + "; int Ok() => 1; }";
        var result = NestingGuard.Scan(text);
        var region = Assert.Single(result.Blanked);
        Assert.Equal(text.Length, result.Text.Length);
        Assert.Equal(text.Count(c => c == '\n'), result.Text.Count(c => c == '\n'));
        Assert.Equal(text[..region.Start], result.Text[..region.Start]);
        Assert.Equal(text[(region.Start + region.Length)..], result.Text[(region.Start + region.Length)..]);
        Assert.Contains("int Ok() => 1;", result.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("List<", ">")]
    [InlineData("(a, ", ")")]
    [InlineData("$\"{", "}\"")]
    [InlineData("@$\"{", "}\"")]
    [InlineData("$$\"\"\"{{", "}}\"\"\"")]
    [InlineData("typeof(", ")")]
    [InlineData("new[] { ", " }")]
    public void InterpolationsGenericsAndTuples_CountAsNesting(string open, string close)
    {
        var result = NestingGuard.Scan("class C { object M() => " + Deep(open, close, 1_000) + "; }");
        Assert.NotEmpty(result.Blanked);
        Assert.Equal(NestingGuard.MaxDepth + 1, result.MaxSeen);
    }

    [Theory]
    [InlineData("List<", ">")]
    [InlineData("(a, ", ")")]
    [InlineData("$\"{", "}\"")]
    [InlineData("$$\"\"\"{{", "}}\"\"\"")]
    [InlineData("A<", ">.B")]
    [InlineData("if (a) ", "")]
    [InlineData("class D {", "}")]
    public void RoslynKillers_AreParsedSafely_AndTheRestOfTheFileIsKept(string open, string close)
    {
        var source = "class C {\n void M() { var v = " + Deep(open, close, 10_000) + "; }\n int Ok() => 1;\n}\nclass After { }\n";
        var result = SmallStack.Run(() => TestParsing.Parse(source));
        var all = TestParsing.Flatten(result.Module.Definitions).Select(d => d.QualifiedName).ToList();
        Assert.Contains("C.M", all);
        Assert.Contains("After", all);
        Assert.NotEmpty(result.Errors);
    }
}
