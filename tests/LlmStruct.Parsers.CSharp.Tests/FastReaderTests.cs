using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using LlmStruct.Parsing;
using Xunit.Abstractions;

namespace LlmStruct.Parsers.CSharp.Tests;

/// <summary>
/// The fast reader either gives up on a file or gives exactly the Roslyn path's result: checked on every C# file of
/// this repository and on mutations of them.
/// </summary>
public sealed class FastReaderTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static List<(string Path, byte[] Bytes)> RepositoryFiles()
    {
        var root = RepositoryRoot();
        return [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes(f)))];
    }

    /// <summary>Null when the fast reader gave up or agrees; otherwise the two serialized results.</summary>
    private static (bool Taken, string? Difference) Compare(string path, byte[] bytes)
    {
        var file = new SourceFile(path, bytes);
        var fast = TestParsing.Parser.Parse(file, useFastReader: true);
        var roslyn = TestParsing.Parser.Parse(file, useFastReader: false);
        var a = JsonSerializer.Serialize(fast, Json);
        var b = JsonSerializer.Serialize(roslyn, Json);
        bool taken = SourceText.TryDecode(bytes, out var text, out _) && Fast.FastReader.TryRead(path, text, default) is not null;
        if (a == b)
        {
            return (taken, null);
        }
        int at = 0;
        while (at < a.Length && at < b.Length && a[at] == b[at])
        {
            at++;
        }
        int from = Math.Max(0, at - 300);
        return (taken, $"{path} differs at {at}\nfast:   …{a[from..Math.Min(a.Length, at + 200)]}\nroslyn: …{b[from..Math.Min(b.Length, at + 200)]}");
    }

    [Fact]
    public void Every_csharp_file_of_the_repository_is_left_to_Roslyn_or_read_identically()
    {
        var files = RepositoryFiles();
        Assert.True(files.Count > 100, $"only {files.Count} files found");
        long bytes = 0, takenBytes = 0;
        int taken = 0;
        var differences = new List<string>();
        var giveUps = new Dictionary<string, List<string>>();
        foreach (var (path, content) in files)
        {
            var (isTaken, difference) = Compare(path, content);
            if (!isTaken && Fast.FastReader.LastBail is { } bail)
            {
                var place = $"{Path.GetFileName(bail.Source)}:{bail.SourceLine}";
                if (!giveUps.TryGetValue(place, out var list))
                {
                    giveUps[place] = list = [];
                }
                list.Add($"{path}:{bail.TextLine}");
            }
            bytes += content.Length;
            if (isTaken)
            {
                taken++;
                takenBytes += content.Length;
            }
            if (difference is not null)
            {
                differences.Add(difference);
            }
        }
        output.WriteLine($"fast reader took {taken}/{files.Count} files ({100.0 * taken / files.Count:F1}%), {takenBytes}/{bytes} bytes ({100.0 * takenBytes / bytes:F1}%)");
        foreach (var (line, where) in giveUps.OrderByDescending(g => g.Value.Count).Take(30))
        {
            output.WriteLine($"gave up at {line}: {where.Count} files, e.g. {string.Join(", ", where.Take(3))}");
        }
        Assert.True(differences.Count == 0, $"{differences.Count} files differ:\n" + string.Join("\n\n", differences.Take(5)));
        Assert.True(taken > 0, "the fast reader took no file");
    }

    [Fact]
    public void A_plain_file_is_taken_and_equals_roslyn()
    {
        const string source = """
            using System;
            using static System.Math;
            using Map = System.Collections.Generic.Dictionary<string, int>;

            namespace Demo.App;

            /// <summary>A <see cref="Demo"/> thing &amp; more.</summary>
            [Serializable]
            public sealed class Greeter<T>(string name) : Base(name), IDisposable where T : class
            {
                private readonly int _count = Compute(1), _other;
                public string Name { get; init; } = name.Trim();

                /// <summary>Says hello.</summary>
                public async Task<int> GreetAsync(int times = 2, params string[] rest)
                {
                    int Local(int x) => x switch { > 0 => Helper.Run(x), _ => 0 };
                    var list = new List<int> { 1, 2 };
                    await Task.Delay(Local(times)).ConfigureAwait(false);
                    foreach (var item in list.Where(i => i > 0).Select(i => i * 2))
                    {
                        Console.WriteLine($"item {item}");
                    }
                    return list?.Count ?? nameof(Name).Length;
                }

                public void Dispose() { }
            }
            """;
        var (taken, difference) = Compare("src/Demo.cs", System.Text.Encoding.UTF8.GetBytes(source));
        Assert.Null(difference);
        Assert.True(taken);
    }

    [Theory]
    [InlineData("using System;\nusing static System.Math;\nusing Map = System.Collections.Generic.Dictionary<string, int>;\nnamespace Demo.App;\nclass A { }")]
    [InlineData("/// <summary>A <see cref=\"Demo\"/> thing &amp; more.</summary>\n[Serializable]\npublic sealed class Greeter<T>(string name) : Base(name), IDisposable where T : class { }")]
    [InlineData("class A { private readonly int _count = Compute(1), _other; public string Name { get; init; } = name.Trim(); }")]
    [InlineData("class A { public async Task<int> GreetAsync(int times = 2, params string[] rest) { await Task.Delay(1).ConfigureAwait(false); } }")]
    [InlineData("class A { void M() { int Local(int x) => x switch { > 0 => Helper.Run(x), _ => 0 }; } }")]
    [InlineData("class A { void M() { var list = new List<int> { 1, 2 }; } }")]
    [InlineData("class A { void M() { foreach (var item in list.Where(i => i > 0)) { } } }")]
    [InlineData("class A { void M() { list.Select(i => i * 2); } }")]
    [InlineData("class A { void M() { Console.WriteLine($\"item {item}\"); } }")]
    [InlineData("class A { int M() { return list?.Count ?? nameof(Name).Length; } }")]
    [InlineData("using System;\nawait Task.Delay(1);\nint Add(int a, int b) => a + b;\nConsole.WriteLine(Add(1, 2));\nclass A { }")]
    [InlineData("class A { void M() { app.MapGet(\"/x\", async Task<int> (string? s, CancellationToken ct) => await Run(s, ct)); } }")]
    [InlineData("class A { string M(object o) => o is { } x ? $\"{x.ToString()!.Trim():x2}-{(o is null ? 1 : 2),5}\" : \"\"; }")]
    [InlineData("#pragma warning disable CA1000, CS0618 // a reason\nclass A { void M() { F(); } }\n#pragma warning restore CA1000 // done")]
    [InlineData("class A { void M(bool async) { async |= F(); async = G() && async; } }")]
    [InlineData("class A { void M() { switch (F(), s[1..]) { case (1, \"x\"): G(); break; default: break; } } }")]
    [InlineData("class A { void M(int[] a) { ref var x = ref a[F(1) >> 2]; ref readonly int y = ref G(ref a[0]), z = ref x; } }")]
    [InlineData("class A { void M(int n) { var a = new (int To, double Weight)[n][]; var b = new (string, long)[] { (\"a\", F()) }; var c = new int[n][,]; } }")]
    [InlineData("class A { void M(int n) { foreach (var (k, v) in new (Dictionary<string, object?>, string)[] { (new(), \"x\") }) { G(k); } } }")]
    [InlineData("class A { void M() { var a = new (x, y)[1]; var b = new (F(), y); } }")]
    [InlineData("class A { string M(object o) => o is string ? F(\"!\") : o is List<int> ? G(1) : o is B ? (H()) : o is C ? null : \"#\"; }")]
    [InlineData("class A { void M() { Assert.Equal(\"x\", a?[\"k\"]?.GetValue<string>()); var b = c?[F(1)]!.D().E?[0](); G(d?[1..]); } }")]
    [InlineData("/// <summary>Maps a -> b, and c => d (x > y).</summary>\nclass A { }")]
    [InlineData("class A { void M() { W($\"\"\"\n        a = \"{F(1)}\"\n          b = {G()}\n        \"\"\"); W($$\"\"\"{\"v\":\"{{H(x)}}\"}\"\"\"); W($\"\"\"x{y:x2}\"\"\"); } }")]
    [InlineData("class A { void M() { var b = \"\"\"{\"a\": 1}\"\"\"u8; F(\"\"\"\n    x\n    \"\"\"u8.ToArray()); } }")]
    [InlineData("class A { bool M(char c) => c is '\\x1c' or '\\x85' or '\\x0000' || F('\\xA'); }")]
    public void Plain_snippets_are_taken_and_equal_roslyn(string source)
    {
        var (taken, difference) = Compare("src/A.cs", System.Text.Encoding.UTF8.GetBytes(source));
        Assert.Null(difference);
        Assert.True(taken);
    }

    [Theory]
    [InlineData("class A { void M() { #if X\n } }")]
    [InlineData("class A { void M() { Foo( } }")]
    [InlineData("class A { void M() { goto x; } }")]
    [InlineData("class A { void M() { int x = 1 } }")]
    [InlineData("class A { void M() { var a = new int[2][3]; } }")]
    [InlineData("class A { char M() => '\\x12345'; }")]
    [InlineData("class A { char M() => '\\x'; }")]
    [InlineData("class A { void M() { F($\"\"\"a {{b}} c\"\"\"); } }")]
    [InlineData("class A { void M() { F($$\"\"\"a }} c\"\"\"); } }")]
    [InlineData("class A { void M() { F($\"\"\"\n    a {G()}\n      \"\"\"); } }")]
    [InlineData("/// <summary>a ]]> b</summary>\nclass A { }")]
    [InlineData("class A { void M() { if (x) ref int y = ref z; } }")]
    public void Unusual_or_broken_input_is_left_to_roslyn(string source)
    {
        Assert.Null(Fast.FastReader.TryRead("a.cs", source, default));
    }

    private static readonly Lazy<List<(string Path, byte[] Bytes)>> Samples = new(() =>
        [.. RepositoryFiles().Where(f => f.Bytes.Length < 20_000)]);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public void Mutated_files_are_left_to_roslyn_or_read_identically(PositiveInt pick, PositiveInt where, byte value, byte how)
    {
        var files = Samples.Value;
        var (path, original) = files[pick.Get % files.Count];
        var bytes = original.ToList();
        int at = where.Get % Math.Max(1, bytes.Count);
        switch (how % 5)
        {
            case 0:
                bytes = bytes.Take(at).ToList(); // truncation
                break;
            case 1:
                int brace = bytes.FindIndex(at, b => b is (byte)'{' or (byte)'}' or (byte)'(' or (byte)';');
                if (brace >= 0)
                {
                    bytes.RemoveAt(brace); // a deleted brace, parenthesis or semicolon
                }
                break;
            case 2:
                bytes.Insert(at, (byte)(value % 95 + 32)); // a random printable byte
                break;
            case 3:
                bytes.Insert(at, value); // a random byte
                break;
            default:
                var nested = System.Text.Encoding.UTF8.GetBytes(
                    "class Deep { void M() { var x = " + new string('(', value % 60) + "1" + new string(')', value % 60) + "; } }\n");
                bytes.AddRange(nested); // deep nesting
                break;
        }
        var (_, difference) = Compare(path, [.. bytes]);
        Assert.Null(difference);
    }
}
