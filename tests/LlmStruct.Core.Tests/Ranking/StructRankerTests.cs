using LlmStruct.Model;
using LlmStruct.Ranking;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Ranking;

public sealed class StructRankerTests
{
    private static StructDocument Hub() => Link(Document(
        Module("core.py", "python", [], Fn("shared")),
        Module("a.py", "python", [Import("core")], Fn("a", "core.shared")),
        Module("b.py", "python", [Import("core")], Fn("b", "core.shared")),
        Module("c.py", "python", [Import("core")], Fn("c", "core.shared")),
        Module("lonely.py", "python", [], Fn("alone"))));

    [Fact]
    public void The_most_referenced_file_ranks_first()
    {
        var ranking = StructRanker.Rank(Hub(), []);
        Assert.Equal("core.py", ranking.Files[0].Path);
        Assert.Equal(1.0, ranking.Files.Sum(f => f.Score), 9);
    }

    [Fact]
    public void Ties_break_by_path()
    {
        var ranking = StructRanker.Rank(Hub(), []);
        Assert.Equal(["a.py", "b.py", "c.py", "lonely.py"], ranking.Files.Skip(1).Select(f => f.Path));
    }

    [Fact]
    public void Focus_by_path_or_symbol_puts_those_files_first()
    {
        Assert.Equal("lonely.py", StructRanker.Rank(Hub(), ["lonely.py"]).Files[0].Path);
        Assert.Equal("lonely.py", StructRanker.Rank(Hub(), ["alone"]).Files[0].Path);
        Assert.Equal("b.py", StructRanker.Rank(Hub(), ["b.py#b"]).Files[0].Path);
        // Personalisation flows along edges: the focused file's callee outranks the unfocused callers.
        var focused = StructRanker.Rank(Hub(), ["a.py"]);
        Assert.Equal(["a.py", "core.py"], focused.Files.Take(2).Select(f => f.Path));
    }

    [Fact]
    public void Folder_focus_selects_every_file_below_it()
    {
        var document = Link(Document(
            Module("pkg/x.py", "python", [], Fn("x")),
            Module("pkg/y.py", "python", [], Fn("y")),
            Module("other.py", "python", [], Fn("o"))));
        var ranking = StructRanker.Rank(document, ["pkg/"]);
        Assert.True(ranking.Files[0].Focused && ranking.Files[1].Focused && !ranking.Files[2].Focused);
    }

    [Fact]
    public void Ranking_is_identical_across_runs_and_module_orders()
    {
        var document = Hub();
        var shuffled = document with { Modules = [.. document.Modules.OrderByDescending(m => m.Sha256 + m.Path, StringComparer.Ordinal)] };
        var first = StructRanker.Rank(document, ["a.py"]);
        var second = StructRanker.Rank(shuffled, ["a.py"]);
        Assert.Equal(first.Files.Select(f => (f.Path, f.Score)), second.Files.Select(f => (f.Path, f.Score)));
        Assert.InRange(first.Iterations, 1, StructRanker.MaxIterations);
    }

    [Fact]
    public void Empty_document_ranks_nothing() => Assert.Empty(StructRanker.Rank(new StructDocument(), []).Files);
}
