using System.Text.Json;
using System.Xml.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Context;
using LlmStruct.Model;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Context;

public sealed class ContextBuilderTests
{
    private static readonly ContextBuilder Builder = new();
    private static readonly Lazy<StructDocument> Large = new(() => Synthetic(120));

    /// <summary>A linked document with <paramref name="files"/> modules of documented functions calling each other.</summary>
    internal static StructDocument Synthetic(int files)
    {
        var modules = new List<ModuleInfo>();
        for (int i = 0; i < files; i++)
        {
            var defs = new List<Definition>();
            for (int j = 0; j < 6; j++)
            {
                defs.Add(Fn($"handle_item_{j}", $"m{(i * 7 + j) % files}.handle_item_{(j + 1) % 6}") with
                {
                    Docstring = $"Handles item {j} of module {i}: validates the input, normalises names and stores the result.",
                    Parameters = [new ParameterInfo { Name = "value", Type = "str" }, new ParameterInfo { Name = "strict", Type = "bool", Default = "False" }],
                    ReturnType = "dict[str, int]",
                });
            }
            var imports = Enumerable.Range(1, 3).Select(k => Import($"m{(i * 7 + k) % files}")).ToArray();
            modules.Add(Module($"m{i}.py", "python", [.. imports], [.. defs]) with { Docstring = $"Module {i} of the synthetic project." });
        }
        return Link(Document([.. modules]) with { Context = new ContextInfo { Summary = "A synthetic project used to test context rendering." } });
    }

    [Fact]
    public void Signatures_KeepPythonsSlashAndBareStar()
    {
        var f = Fn("f") with
        {
            Parameters =
            [
                new ParameterInfo { Name = "a", Kind = ParameterKinds.PositionalOnly },
                new ParameterInfo { Name = "b" },
                new ParameterInfo { Name = "c", Kind = ParameterKinds.KeywordOnly, Default = "1" },
                new ParameterInfo { Name = "kw", Kind = ParameterKinds.VarKeyword },
            ],
        };
        var g = Fn("g") with
        {
            Parameters = [new ParameterInfo { Name = "args", Kind = ParameterKinds.VarPositional }, new ParameterInfo { Name = "d", Kind = ParameterKinds.KeywordOnly }],
        };
        var text = Builder.Build(Link(Document(Module("m.py", "python", [], f, g))), new ContextRequest { Budget = 2000 }).Text;
        Assert.Contains("function f(a, /, b, *, c = 1, **kw)", text);
        Assert.Contains("function g(*args, d)", text);
    }

    [Theory]
    [InlineData(1000, "md", "o200k")]
    [InlineData(4000, "xml", "cl100k")]
    [InlineData(16000, "json", "o200k")]
    public void Fills_at_least_95_percent_and_never_exceeds(int budget, string format, string tokenizer)
    {
        var result = Builder.Build(Large.Value, new ContextRequest { Budget = budget, Format = format, Tokenizer = tokenizer });
        Assert.Equal(result.Tokens, Builder.CountTokens(result.Text, tokenizer));
        Assert.InRange(result.Tokens, (int)Math.Ceiling(budget * 0.95), budget);
        Assert.InRange(result.FilesIncluded, 1, Large.Value.Modules.Length);
    }

    [Fact]
    public void Small_content_is_rendered_whole()
    {
        var small = Synthetic(2);
        var result = Builder.Build(small, new ContextRequest { Budget = 100_000 });
        Assert.Equal(2, result.FilesIncluded);
        Assert.Contains("### m0.py", result.Text);
        Assert.Contains("function handle_item_0(value: str, strict: bool = False) -> dict[str, int] — Handles item 0", result.Text);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(700)]
    [InlineData(5000)]
    public void Xml_and_json_stay_well_formed_when_cut(int budget)
    {
        var xml = Builder.Build(Large.Value, new ContextRequest { Budget = budget, Format = "xml" }).Text;
        Assert.Equal("context", XDocument.Parse(xml).Root!.Name.LocalName);
        var json = Builder.Build(Large.Value, new ContextRequest { Budget = budget, Format = "json" }).Text;
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal("project", parsed.RootElement.EnumerateObject().First().Name);
    }

    [Fact]
    public void Focus_moves_the_focused_file_to_the_top()
    {
        var text = Builder.Build(Large.Value, new ContextRequest { Budget = 2000, Focus = ["m77.py"] }).Text;
        Assert.Contains("### m77.py", text);
        Assert.StartsWith("### m77.py", text[text.IndexOf("### ", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Unknown_format_or_tokenizer_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Builder.Build(Large.Value, new ContextRequest { Format = "html" }));
        Assert.Throws<ArgumentException>(() => Builder.Build(Large.Value, new ContextRequest { Tokenizer = "gpt2" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder.Build(Large.Value, new ContextRequest { Budget = 0 }));
    }

    [Property(MaxTest = 60)]
    public Property Budget_is_never_exceeded(PositiveInt raw, NonNegativeInt formatIndex)
    {
        int budget = 1 + (raw.Get - 1) % 100_000;
        var format = ContextFormats.All[formatIndex.Get % ContextFormats.All.Length];
        var result = Builder.Build(Medium.Value, new ContextRequest { Budget = budget, Format = format });
        return (result.Tokens <= budget && Builder.CountTokens(result.Text) == result.Tokens).Label($"budget {budget} {format}: {result.Tokens}");
    }

    [Property(MaxTest = 20)]
    public Property Fills_at_least_95_percent_when_content_allows(PositiveInt raw, NonNegativeInt formatIndex)
    {
        int budget = 200 + (raw.Get - 1) % 20_000;
        var format = ContextFormats.All[formatIndex.Get % ContextFormats.All.Length];
        var result = Builder.Build(Large.Value, new ContextRequest { Budget = budget, Format = format });
        // A path-only line is never cut (a cut path names no file), so small budgets may end up to one such line short.
        return (result.Tokens <= budget && result.Tokens >= Math.Min(0.95 * budget, budget - 16)).Label($"budget {budget} {format}: {result.Tokens}");
    }

    [Fact]
    public void Budget_edges_are_never_exceeded()
    {
        foreach (var budget in (int[])[1, 2, 3, 5, 8, 13, 99_999, 100_000])
        {
            foreach (var format in ContextFormats.All)
            {
                var result = Builder.Build(Medium.Value, new ContextRequest { Budget = budget, Format = format });
                Assert.True(result.Tokens <= budget, $"{format} at {budget}: {result.Tokens}");
            }
        }
    }

    [Property(MaxTest = 25)]
    public Property Output_is_identical_across_runs_and_file_orders(int seed, PositiveInt raw)
    {
        int budget = 1 + raw.Get % 3000;
        var document = Medium.Value;
        var random = new Random(seed);
        var shuffled = document with { Modules = [.. document.Modules.OrderBy(_ => random.Next())] };
        var request = new ContextRequest { Budget = budget, Focus = ["m3.py"] };
        var first = Builder.Build(document, request).Text;
        var second = Builder.Build(Link(shuffled), request).Text;
        return (first == second).Label($"budget {budget}");
    }

    private static readonly Lazy<StructDocument> Medium = new(() => Synthetic(12));
}
