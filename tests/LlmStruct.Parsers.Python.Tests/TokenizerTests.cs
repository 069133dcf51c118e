using System.Text;
using LlmStruct.Parsers.Python.Tokens;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.Python.Tests;

public sealed class TokenizerTests
{
    private static List<TokenKind> Kinds(string code)
    {
        var t = new Tokenizer(code);
        t.Run();
        return [.. t.Tokens.Take(t.Count).Select(x => x.Kind)];
    }

    [Fact]
    public void EmitsIndentAndDedent()
    {
        var kinds = Kinds("if x:\n    y\nz\n");
        Assert.Equal(
            [TokenKind.If, TokenKind.Name, TokenKind.Colon, TokenKind.Newline, TokenKind.Indent, TokenKind.Name, TokenKind.Newline,
             TokenKind.Dedent, TokenKind.Name, TokenKind.Newline, TokenKind.EndMarker], kinds);
    }

    [Fact]
    public void BracketsAndBackslashJoinLines()
    {
        var kinds = Kinds("x = (1,\n     2)\ny = 1 + \\\n    2\n");
        Assert.Equal(2, kinds.Count(k => k == TokenKind.Newline));
        Assert.DoesNotContain(TokenKind.Indent, kinds);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void AnyLineEndingGivesTheSameLines(string eol)
    {
        var module = Py.Module(string.Join(eol, "import os", "", "def f():", "    return 1", "", "class C:", "    pass", ""));
        Assert.Equal([(3, 4), (6, 7)], module.Definitions.Select(d => (d.StartLine, d.EndLine)));
    }

    [Fact]
    public void TabsCountToMultiplesOfEight()
    {
        // A tab and eight spaces are the same column and consistent in both measures only when written alike.
        Py.Module("if x:\n\ty = 1\n\tz = 2\n");
        Assert.Equal("inconsistent use of tabs and spaces in indentation", Py.Error("if x:\n\ty = 1\n        z = 2\n").Reason);
    }

    [Fact]
    public void ReportsUnindentMismatch() =>
        Assert.Equal("unindent does not match any outer indentation level", Py.Error("if x:\n    a\n  b\n").Reason);

    [Theory]
    [InlineData("x = 1_000_000 + 0x_FF + 0o17 + 0b1010 + 1.5e-3 + .5 + 5. + 1_0.0_1j + 0 + 00 + 1e10 + 3J")]
    [InlineData("x = 0xdead_beef if 1else 2")]
    public void AcceptsNumericLiterals(string code) => Py.Module(code);

    [Theory]
    [InlineData("x = 1__0", "invalid decimal literal")]
    [InlineData("x = 0x", "invalid hexadecimal literal")]
    [InlineData("x = 0o9", "invalid digit '9' in octal literal")]
    [InlineData("x = 012", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")]
    [InlineData("x = 1abc", "invalid decimal literal")]
    public void RejectsBadNumbers(string code, string reason) => Assert.Equal(reason, Py.Error(code).Reason);

    [Fact]
    public void AcceptsEveryStringPrefix()
    {
        var prefixes = new[] { "", "r", "u", "R", "U", "f", "F", "fr", "Fr", "fR", "FR", "rf", "rF", "Rf", "RF" };
        var bytes = new[] { "b", "B", "br", "Br", "bR", "BR", "rb", "rB", "Rb", "RB" };
        Py.Module(string.Join("\n", prefixes.Select(p => $"a = {p}'x' {p}\"y\" {p}'''z''' {p}\"\"\"w\"\"\"")));
        Py.Module(string.Join("\n", bytes.Select(p => $"a = {p}'x' {p}\"y\" {p}'''z'''")));
        Assert.Equal("invalid syntax", Py.Error("a = ur'x'").Reason);
    }

    [Fact]
    public void ReportsUnterminatedStrings()
    {
        Assert.Equal("unterminated string literal (detected at line 1)", Py.Error("x = 'abc\n").Reason);
        Assert.Equal("unterminated triple-quoted string literal (detected at line 3)", Py.Error("x = '''abc\n\n").Reason);
    }

    [Fact]
    public void NormalizesNonAsciiIdentifiers()
    {
        var module = Py.Module("def ﬁle(): pass\nclass Ωmega: pass\n");
        Assert.Equal(["file", "Ωmega"], module.Definitions.Select(d => d.Name));
        Assert.StartsWith("invalid character '€' (U+20AC)", Py.Error("x€ = 1").Reason);
    }

    [Fact]
    public void HonoursEncodingDeclarations()
    {
        var latin1 = Encoding.Latin1.GetBytes("# -*- coding: latin-1 -*-\ndef f():\n    \"caf\u00e9\"\n");
        var r = Py.Parser.Parse(new SourceFile("l.py", latin1));
        Assert.Empty(r.Errors);
        Assert.Equal("caf\u00e9", r.Module.Definitions[0].Docstring);

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var cp1252 = Encoding.GetEncoding(1252).GetBytes("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n\"\u20ac sign\"\n");
        r = Py.Parser.Parse(new SourceFile("c.py", cp1252));
        Assert.Empty(r.Errors);
        Assert.Equal("\u20ac sign", r.Module.Docstring);

        var bom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("\"\u00fcber\"\n")).ToArray();
        Assert.Equal("\u00fcber", Py.Parser.Parse(new SourceFile("b.py", bom)).Module.Docstring);

        var bad = Py.Parser.Parse(new SourceFile("u.py", Encoding.ASCII.GetBytes("# coding: klingon\nx = 1\n")));
        Assert.Equal("unknown encoding: klingon", bad.Errors[0].Reason);

        var invalid = Py.Parser.Parse(new SourceFile("i.py", new byte[] { (byte)'x', (byte)'=', 0xFF, (byte)'\n' }));
        Assert.NotEmpty(invalid.Errors);
    }
}
