namespace LlmStruct.Parsers.Python.Tests;

public sealed class FStringTests
{
    [Theory]
    [InlineData("x = f'{a}'")]
    [InlineData("x = f'{a!r:>{width}.{precision}}'")]
    [InlineData("x = f'{a=}'")]
    [InlineData("x = f'{a = !s}'")]
    [InlineData("x = f'{{literal}} {a}'")]
    [InlineData("x = f'{a[\"b\"]}'")]
    [InlineData("x = f\"{d[\"key\"]}\"")]
    [InlineData("x = f'{f'{f'{1}'}'}'")]
    [InlineData("x = f'''{\n  a +\n  b\n}'''")]
    [InlineData("x = f'{x:{y}}'")]
    [InlineData("x = f'{lambda_}' rf'\\{x}' fr'{x}\\n'")]
    [InlineData("x = f'{a if b else c}'")]
    [InlineData("x = f'{\"\\n\".join(xs)}'")]
    [InlineData("x = f'{ {1: 2}[1] }'")]
    [InlineData("x = f'\\N{BULLET} {a}'")]
    public void AcceptsFStrings(string code) => Py.Module(code);

    [Theory]
    [InlineData("x = f'{}'", "f-string: empty expression not allowed")]
    [InlineData("x = f'{a!x}'", "f-string: invalid conversion character: expected 's', 'r', or 'a'")]
    [InlineData("x = f'}'", "f-string: single '}' is not allowed")]
    [InlineData("x = f'{a!}'", "f-string: missing conversion character")]
    public void RejectsBadFStrings(string code, string reason) => Assert.Equal(reason, Py.Error(code).Reason);

    [Fact]
    public void CallsInsideFStringsCount()
    {
        var module = Py.Module("def f(xs):\n    return f\"{', '.join(map(str, xs))} and {len(xs)!r:>{width()}}\"\n");
        Assert.Equal(["', '.join", "len", "map", "width"], module.Definitions[0].Calls.Select(c => c.Callee).Order(StringComparer.Ordinal));
    }
}
