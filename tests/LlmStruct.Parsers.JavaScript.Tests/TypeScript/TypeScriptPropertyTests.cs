using FsCheck;
using FsCheck.Fluent;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Tests.TypeScript;

/// <summary>Mutations of real TypeScript files (truncations, deleted brackets, random bytes): error entries, never an exception.</summary>
public class TypeScriptPropertyTests
{
    private static readonly byte[][] Seeds =
    [
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TypeScript", "fixtures", "shapes.ts")),
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TypeScript", "fixtures", "widget.tsx")),
    ];

    private static Arbitrary<(byte[] Bytes, string Path)> Mutants()
    {
        var edit = from kind in Gen.Choose(0, 4)
                   from at in Gen.Choose(0, 4000)
                   from length in Gen.Choose(1, 40)
                   from fill in Gen.Elements("{[(<`'\"/*\\}])>;:?=@#\n\0\xff".Select(c => (byte)c).ToArray())
                   select (kind, at, length, fill);
        return (from seed in Gen.Choose(0, Seeds.Length - 1)
                from edits in Gen.ListOf(edit)
                select (seed, edits)).Select(x =>
        {
            var bytes = new List<byte>(Seeds[x.seed]);
            foreach (var (kind, at0, length, fill) in x.edits.Take(8))
            {
                int at = bytes.Count == 0 ? 0 : at0 % bytes.Count;
                if (kind == 3)
                {
                    // truncation
                    bytes.RemoveRange(at, bytes.Count - at);
                }
                else if (kind == 4)
                {
                    // delete the next bracket
                    int bracket = bytes.FindIndex(at, b => b is (byte)'{' or (byte)'}' or (byte)'(' or (byte)')' or (byte)'[' or (byte)']' or (byte)'<' or (byte)'>');
                    if (bracket >= 0)
                    {
                        bytes.RemoveAt(bracket);
                    }
                }
                else
                {
                    // remove, insert, replace
                    ByteEdits.Apply(bytes, kind, at, length, fill);
                }
            }
            return (bytes.ToArray(), x.seed == 0 ? "mutant.ts" : "mutant.tsx");
        }).ToArbitrary();
    }

    [FsCheck.Xunit.Property(MaxTest = 400)]
    public Property Mutated_real_files_give_error_entries_never_exceptions() => Prop.ForAll(Mutants(), mutant =>
    {
        var result = new TypeScriptParser().Parse(new SourceFile(mutant.Path, mutant.Bytes));
        return result.Module is not null
            && result.Errors.All(e => e.Line >= 0 && e.Column >= 0 && e.Reason.Length > 0 && !e.Reason.StartsWith("internal parser error", StringComparison.Ordinal));
    });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Random_bytes_never_throw() => Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
    {
        var result = new TypeScriptParser().Parse(new SourceFile("random.ts", bytes));
        return result.Module is not null && result.Errors.All(e => !e.Reason.StartsWith("internal parser error", StringComparison.Ordinal));
    });
}
