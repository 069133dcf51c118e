using System.Diagnostics;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Testing;

namespace LlmStruct.Parsers.CSharp.Tests;

public class RoslynAgreementTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void OurDefinitions_AgreeWithRoslynsSymbols_OverThisRepositorysSources()
    {
        var root = RepositoryRoot();
        var modules = SourceFiles(root, "src").Select(path => Parse(root, path)).ToList();
        var (differences, compared) = RoslynAgreement.Compare(root, modules);
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(50)));
        output.WriteLine($"{modules.Count} files, {compared} declarations compared with Roslyn's symbols");
        Assert.True(compared > 100, $"only {compared} declarations compared");
    }

    [Fact]
    public void Fixture_WithEveryConstruct_AgreesWithRoslyn()
    {
        var root = Path.Combine(Path.GetTempPath(), "llmstruct-csharp-agreement-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "All.cs"), Fixture);
            File.WriteAllText(Path.Combine(root, "Program.cs"), TopLevelFixture);
            ModuleInfo[] modules = [Parse(root, "All.cs"), Parse(root, "Program.cs")];
            var (differences, compared) = RoslynAgreement.Compare(root, modules);
            Assert.True(differences.Count == 0, string.Join("\n", differences));
            Assert.Equal(TestParsing.Flatten(modules.SelectMany(m => m.Definitions)).Count(d => !d.Modifiers.Contains("extension")), compared);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Comparison_ReportsDisagreements()
    {
        var root = Path.Combine(Path.GetTempPath(), "llmstruct-csharp-disagree-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "A.cs"), "class C { void M(int a) { } }");
            var module = Parse(root, "A.cs");
            var wrong = module with
            {
                Definitions = [module.Definitions[0] with { Children = [module.Definitions[0].Children[0] with { Name = "N" }] }],
            };
            var (differences, _) = RoslynAgreement.Compare(root, [wrong]);
            Assert.Equal(2, differences.Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private const string TopLevelFixture = """
        using System;
        Console.WriteLine(Twice(2));
        static int Twice(int x)
        {
            return Inner(x);
            int Inner(int y) => y * 2;
        }
        record Point(int X, int Y);
        """;

    private const string Fixture = """
        global using System;
        namespace Outer.Inner
        {
            /// <summary>Doc.</summary>
            [Serializable]
            public partial class C<T> : IDisposable, IComparable<C<T>> where T : new()
            {
                private const int A = 1, B = 2;
                public static readonly string S = Make(() => { int InLambda() => 1; return InLambda(); });
                public event EventHandler? E1, E2;
                public event EventHandler E3 { add { } remove { } }
                public C() : this(1) { }
                public C(int x) { Local(x); void Local(int y) { static void Deeper() { } Deeper(); } }
                static C() { }
                ~C() { }
                public int P { get { int G() => 1; return G(); } set { } }
                public int this[int i, string s] => i;
                public static C<T> operator +(C<T> a, C<T> b) => a;
                public static C<T> operator checked -(C<T> a, C<T> b) => a;
                public static C<T> operator -(C<T> a, C<T> b) => a;
                public static bool operator true(C<T> a) => true;
                public static bool operator false(C<T> a) => false;
                public static implicit operator int(C<T> a) => 0;
                public static explicit operator string(C<T> a) => "";
                void IDisposable.Dispose() { }
                int IComparable<C<T>>.CompareTo(C<T>? other) => 0;
                public void Generic<U>(U u, params object[] rest) where U : class { }
                public static string Make(Func<int> f) => "";
                public class Nested { public struct Deep { } }
                public delegate void Handler(object sender, ref int e);
            }
            public partial class C<T> { }
            interface I { void M(); int Q { get; } }
            enum Color { Red, Green = 2 }
            record R(int X, string Y);
            record struct RS(int A);
            public readonly struct S { public S(int v) { } }
        }
        namespace Second.Part;
        static class Ext
        {
            public static int Twice(this int x) => x * 2;
            extension(string s)
            {
                public bool Blank() => s.Length == 0;
            }
        }
        """;

    private static ModuleInfo Parse(string root, string relativePath)
    {
        var result = TestParsing.Parser.Parse(new SourceFile(relativePath, File.ReadAllBytes(Path.Combine(root, relativePath))));
        return result.Module with { Path = relativePath, Language = "csharp" };
    }

    private static IEnumerable<string> SourceFiles(string root, string folder) =>
        Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
        {
            dir = dir.Parent;
        }
        Debug.Assert(dir is not null);
        return dir?.FullName ?? throw new InvalidOperationException("LlmStruct.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}
