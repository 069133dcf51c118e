using System.Text;
using FsCheck;
using FsCheck.Fluent;
using LlmStruct.Parsing;
using static LlmStruct.Parsers.CSharp.Tests.TestParsing;

namespace LlmStruct.Parsers.CSharp.Tests;

public class RobustnessTests
{
    private const string Sample = """
        using System;
        namespace N;
        /// <summary>Doc.</summary>
        [A(1)] public partial class C<T> : B where T : new()
        {
            public C(int x) : base(x) { }
            public int P { get; set; } = Make();
            public async Task<int> M(ref int a, params int[] r) { Local(); void Local() => Console.WriteLine(a?.ToString()); return await F(); }
            public static C operator +(C a, C b) => a;
        }
        record R(int X);
        enum E { A, B = 2 }
        """;

    [Fact]
    public void SyntaxErrors_AreReportedWithOneBasedPositions_AndStructureIsKept()
    {
        var result = Parse("class C\n{\n    void M() { int x = ; }\n}\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("src/A.cs", 3, 24), (error.File, error.Line, error.Column));
        Assert.Equal("Invalid expression term ';'", error.Reason);
        Assert.NotNull(result.Module.Definitions.Single().Children.Single(d => d.Name == "M"));
    }

    [Fact]
    public void NamelessDeclarations_AreSkipped_AndTheRestIsKept()
    {
        var result = Parse("class { }\nclass C { void () { } int (int) => 1; void Ok(int) { } int ; }\nenum E { , A }\nnamespace { class D { } }\n");
        Assert.Null(TestParsing.BrokenRule(result, "src/A.cs"));
        var names = TestParsing.Flatten(result.Module.Definitions).Select(d => d.QualifiedName).ToList();
        Assert.Contains(names, n => n.EndsWith("Ok", StringComparison.Ordinal));
        Assert.Contains("E.A", names);
        Assert.Contains("D", names);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void InvalidUtf8_IsOneWholeFileError()
    {
        var result = Parser.Parse(new SourceFile("bad.cs", new byte[] { (byte)'c', 0xC3, 0x28 }));
        var error = Assert.Single(result.Errors);
        Assert.Equal((0, 0), (error.Line, error.Column));
        Assert.Contains("invalid UTF-8", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16WithBom_IsDecoded()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("class Ü { }")).ToArray();
        var result = Parser.Parse(new SourceFile("u.cs", bytes));
        Assert.Empty(result.Errors);
        Assert.Equal("Ü", result.Module.Definitions.Single().Name);
    }

    [Fact]
    public void TooManyErrors_AreCapped()
    {
        var result = Parse(string.Concat(Enumerable.Repeat("class { }\n", 500)));
        Assert.Equal(CSharpParser.MaxErrors + 1, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Reason.Contains("more syntax errors", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("a(", ")")]
    [InlineData("new[] { ", " }")]
    [InlineData("x => ", "")]
    [InlineData("-", "")]
    [InlineData("a.", "b")]
    public void DeeplyNestedExpressions_DoNotCrash_EvenOnASmallStack(string open, string close)
    {
        var expression = string.Concat(Enumerable.Repeat(open, 10_000)) + "1" + string.Concat(Enumerable.Repeat(close, 10_000));
        var source = $"class C {{ object M() {{ return {expression}; }} int Ok() => 1; }}";
        var result = SmallStack.Run(() => Parse(source));
        Assert.NotNull(result.Module);
        Assert.Contains(TestParsing.Flatten(result.Module.Definitions), d => d.QualifiedName == "C.M");
    }

    [Fact]
    public void DeeplyNestedDeclarations_ReportOneDepthErrorOrRoslynsOwn()
    {
        const int depth = 3_000;
        var source = string.Concat(Enumerable.Range(0, depth).Select(i => $"class C{i} {{ ")) + string.Concat(Enumerable.Repeat("}", depth));
        var result = SmallStack.Run(() => Parse(source));
        Assert.NotEmpty(result.Errors);
        Assert.Equal("C0", result.Module.Definitions.First().Name);

        var functions = "class C { void M() { " + string.Concat(Enumerable.Range(0, depth).Select(i => $"void F{i}() {{ ")) + string.Concat(Enumerable.Repeat("}", depth)) + "} }";
        var functionResult = SmallStack.Run(() => Parse(functions));
        Assert.NotEmpty(functionResult.Errors);
    }

    [Fact]
    public void Cancellation_IsHonoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Parser.Parse(SourceFile.FromText("a.cs", Sample), cts.Token));
    }

    [Fact]
    public void SameInput_GivesEqualOutput()
    {
        var a = Parse(Sample);
        var b = Parse(Sample);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(a.Module),
            System.Text.Json.JsonSerializer.Serialize(b.Module));
        Assert.Empty(a.Errors);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public FsCheck.Property RandomBytes_NeverThrow()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var result = Parser.Parse(new SourceFile("r.cs", bytes));
            return TestParsing.BrokenRule(result, "r.cs") is null;
        });
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public FsCheck.Property TruncatedAndSplicedSources_NeverThrow()
    {
        var gen = from cut in Gen.Choose(0, Sample.Length)
                  from start in Gen.Choose(0, Sample.Length)
                  from junk in Gen.Elements("{", "}", "(", "<", "\"", "/*", "///", "#if X", "@\"", "$\"{", "'", "\0", "\uD800")
                  select Sample[..cut] + junk + Sample[Math.Min(start, Sample.Length)..];
        return Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var result = Parser.Parse(new SourceFile("t.cs", Encoding.UTF8.GetBytes(text)));
            return TestParsing.BrokenRule(result, "t.cs") is null;
        });
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public FsCheck.Property TokenSoup_NeverThrows_AndKeepsTheModelsRules()
    {
        string[] tokens =
        [
            "class", "struct", "record", "interface", "enum", "namespace", "delegate", "void", "int", "operator", "implicit", "this",
            "static", "public", "partial", "async", "extension", "event", "get", "set", "=>", "(", ")", "{", "}", "[", "]", "<", ">",
            ";", ",", ".", "=", "+", "?", ":", "~", "new", "ref", "out", "params", "A", "B", "x", "1", "\"s\"", "$\"{", "///",
            "\n", "using", "global", "static", "#if", "#endif",
        ];
        var gen = Gen.Elements(tokens).ArrayOf().Select(parts => string.Join(' ', parts));
        return Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var result = Parser.Parse(new SourceFile("s.cs", Encoding.UTF8.GetBytes(text)));
            var broken = TestParsing.BrokenRule(result, "s.cs");
            return (broken is null).Label(broken ?? "ok");
        });
    }
}
