using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace LlmStruct.Core.Tests.Caching;

/// <summary>For random sequences of edits, adds and deletes, the incremental result equals the cold one, byte for byte.</summary>
public class IncrementalProperties
{
    private static readonly string[] Paths = ["a.tst", "b.tst", "pkg/c.tst", "pkg/d.tst", "pkg/sub/e.tst"];
    private static readonly string[] Lines = ["def f", "def g", "class K", " def m", "call f", "import os", "error", ""];

    private sealed record Step(string Path, bool Delete, string Content, bool FreshStamp);

    private static Arbitrary<Step[]> Steps() =>
        (from path in Gen.Elements(Paths)
         from delete in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
         from lines in Gen.Elements(Lines).ArrayOf()
         from freshStamp in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
         select new Step(path, delete, string.Join("\n", lines) + "\n", freshStamp)).ArrayOf().ToArbitrary();

    [Property(MaxTest = 25)]
    public Property IncrementalEqualsCold() => Prop.ForAll(Steps(), steps =>
    {
        using var tree = new TempTree();
        var cacheDir = Path.Combine(tree.Root, ".llmstruct", "cache");
        int clock = 0;
        foreach (var batch in steps.Chunk(3))
        {
            foreach (var step in batch)
            {
                var full = Path.Combine(tree.Root, step.Path);
                if (step.Delete)
                {
                    if (File.Exists(full))
                    {
                        File.Delete(full);
                    }
                    continue;
                }
                tree.Write(step.Path, step.Content);
                // Mostly an old, distinct stamp (the fast path: unchanged files are not read); sometimes a fresh one,
                // as an editor saving twice within a second leaves it (git's "racy" case: only the hash can tell).
                File.SetLastWriteTimeUtc(full, step.FreshStamp ? DateTime.UtcNow : new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++clock));
            }
            var incremental = ParseCacheTests.RunAsync(tree.Root, cacheDir).GetAwaiter().GetResult();
            var cold = ParseCacheTests.RunAsync(tree.Root, null).GetAwaiter().GetResult();
            // The same batch through BuildAsync, which reuses or patches the previous struct.json where it can.
            var output = Path.Combine(tree.Root, "out", "struct.json");
            OutputReuseTests.BuildAsync(tree.Root, output, Path.Combine(tree.Root, ".llmstruct", "build-cache")).GetAwaiter().GetResult();
            if (!incremental.Bytes.AsSpan().SequenceEqual(cold.Bytes) || !File.ReadAllBytes(output).AsSpan().SequenceEqual(cold.Bytes))
            {
                return false;
            }
        }
        return true;
    });
}
