using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using LlmStruct.Schema;

namespace LlmStruct.Core.Tests.Pipeline;

/// <summary>Same code in, same bytes out — whatever the file order, thread count or number of runs.</summary>
public class DeterminismProperties
{
    private static readonly string[] Folders = ["", "src/", "src/pkg/", "lib/", "tests/", "a b/", "ünï/"];
    private static readonly string[] Names = ["main", "util", "core", "io", "Zeta", "alpha", "b-2", "naïve"];
    private static readonly string[] Statements =
        ["import os", "import sys", "def run", "def stop", "class Shape", " def area", " def area", "call print", "call run", "error", "", "# note"];

    private static Arbitrary<(string Path, string Content)[]> Trees() =>
        (from files in (from folder in Gen.Elements(Folders)
                        from name in Gen.Elements(Names)
                        from lines in Gen.Elements(Statements).ArrayOf()
                        select (Path: folder + name + ".tst", Content: string.Join("\n", lines) + "\n")).ArrayOf()
         select files.DistinctBy(f => f.Path).ToArray()).ToArbitrary();

    private static Arbitrary<((string Path, string Content)[] Tree, int Seed)> TreesWithSeed() =>
        (from tree in Trees().Generator
         from seed in Gen.Choose(0, int.MaxValue)
         select (tree, seed)).ToArbitrary();

    [Property(MaxTest = 30)]
    public Property AnyFileOrder_AnyParallelism_RepeatedRuns_GiveIdenticalBytes() =>
        Prop.ForAll(TreesWithSeed(), input =>
        {
            var (files, seed) = input;
            using var first = Materialize(files, new Random(seed));
            using var second = Materialize(files, new Random(unchecked(seed * 31 + 7)));
            var a = Run(first.Root, 1);
            var b = Run(second.Root, 4);
            var c = Run(first.Root, 3);
            return a.SequenceEqual(b) && a.SequenceEqual(c);
        });

    [Property(MaxTest = 30)]
    public Property EveryOutput_ValidatesAndRoundTrips() =>
        Prop.ForAll(TreesWithSeed(), input =>
        {
            using var tree = Materialize(input.Tree, new Random(input.Seed));
            var bytes = Run(tree.Root, 2);
            var problems = StructValidator.Check(bytes);
            var read = StructJson.Deserialize(bytes);
            var roundTrip = StructJson.Serialize(read);
            return (problems.Count == 0).Label(string.Join("; ", problems))
                .And(bytes.AsSpan().SequenceEqual(roundTrip)).Label("round trip")
                .And(bytes.AsSpan().SequenceEqual(ReferenceJson.SerializeWhole(read))).Label("module-by-module writer == whole-document serializer");
        });

    [Property(MaxTest = 50)]
    public Property Assembler_IgnoresInputOrder() =>
        Prop.ForAll(TreesWithSeed(), input =>
        {
            var parser = new TestParser();
            var modules = input.Tree.Select(f =>
            {
                var result = parser.Parse(SourceFile.FromText(f.Path, f.Content));
                return (Module: result.Module with { Path = f.Path, Language = "test", Sha256 = new string('a', 64) }, result.Errors);
            }).ToArray();
            var shuffled = modules.ToArray();
            new Random(input.Seed).Shuffle(shuffled);
            var options = new LlmStructOptions { Project = new ProjectOptions { Name = "p" } };
            var x = StructAssembler.Assemble(".", options, modules.Select(m => m.Module), modules.SelectMany(m => m.Errors), []);
            var y = StructAssembler.Assemble(".", options, shuffled.Select(m => m.Module), shuffled.SelectMany(m => m.Errors).Reverse(), []);
            return StructJson.Serialize(x).AsSpan().SequenceEqual(StructJson.Serialize(y));
        });

    private static byte[] Run(string root, int parallelism)
    {
        var options = new LlmStructOptions { Project = new ProjectOptions { Name = "p" } };
        StructDocument doc = PipelineHarness.RunAsync(root, parallelism, options).GetAwaiter().GetResult();
        return StructJson.Serialize(doc);
    }

    private static TempTree Materialize((string Path, string Content)[] files, Random random)
    {
        var tree = new TempTree();
        var order = files.ToArray();
        random.Shuffle(order);
        foreach (var (path, content) in order)
        {
            tree.Write(path, content);
        }
        return tree;
    }
}
