namespace LlmStruct.Parsers.Python.Tests;

public sealed class PatternTests
{
    private static string Match(string pattern) => $"match subject:\n    case {pattern}:\n        pass\n";

    [Theory]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("1 + 2j")]
    [InlineData("-1.5 - 2j")]
    [InlineData("'a' 'b'")]
    [InlineData("b'x'")]
    [InlineData("None | True | False")]
    [InlineData("x")]
    [InlineData("_")]
    [InlineData("Color.RED")]
    [InlineData("a.b.c")]
    [InlineData("(x)")]
    [InlineData("()")]
    [InlineData("[]")]
    [InlineData("[a, *rest]")]
    [InlineData("(a, *_, b)")]
    [InlineData("a, b")]
    [InlineData("*a, b")]
    [InlineData("{}")]
    [InlineData("{'k': v, 1: _, Color.RED: x, **rest}")]
    [InlineData("Point(x=0, y=0)")]
    [InlineData("Point(1, 2, z=[a, b])")]
    [InlineData("p.Point()")]
    [InlineData("[1, 2] | (3, 4) as pair")]
    [InlineData("str() | bytes() as s")]
    [InlineData("x if x > 0")]
    [InlineData("{'a': [1, {'b': c}]} if c")]
    public void AcceptsPatterns(string pattern) => Py.Module(Match(pattern));

    [Theory]
    [InlineData("1 + 1", "imaginary number required in complex literal")]
    [InlineData("a as _", "cannot use '_' as a target")]
    [InlineData("C(b=1, a)", "positional patterns follow keyword patterns")]
    [InlineData("{**rest, 'a': 1}", "invalid syntax")]
    [InlineData("1 as 2", "invalid pattern target")]
    public void RejectsBadPatterns(string pattern, string reason) => Assert.Equal(reason, Py.Error(Match(pattern)).Reason);

    [Fact]
    public void MatchAndCaseStayNames()
    {
        var module = Py.Module("match = re.match(p, s)\nmatch(x)\ncase = 1\nmatch[1]: int = 2\n");
        Assert.Contains(module.Variables, v => v.Name == "match");
    }

    [Fact]
    public void DefinitionsInsideCasesBelongToTheScope()
    {
        var module = Py.Module("match x:\n    case 1:\n        def one(): pass\n    case _:\n        class Other: pass\n");
        Assert.Equal(["one", "Other"], module.Definitions.Select(d => d.Name));
    }
}
