using System.Diagnostics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Tests;

public class PropertyTests
{
    /// <summary>A generated program: functions with parameters and calls, and classes with methods.</summary>
    public sealed record Spec(List<(string Name, bool Async, List<string> Params, List<string> Calls)> Functions,
        List<(string Name, string? Base, List<string> Methods)> Classes)
    {
        public override string ToString() => Render();

        public string Render()
        {
            var sb = new StringBuilder();
            foreach (var f in Functions)
            {
                sb.Append(f.Async ? "async " : "").Append($"function {f.Name}({string.Join(", ", f.Params)}) {{\n");
                foreach (var c in f.Calls)
                {
                    sb.Append($"  {c}();\n");
                }
                sb.Append("}\n");
            }
            foreach (var c in Classes)
            {
                sb.Append($"class {c.Name}{(c.Base is null ? "" : " extends " + c.Base)} {{\n");
                foreach (var m in c.Methods)
                {
                    sb.Append($"  {m}() {{ return 1; }}\n");
                }
                sb.Append("}\n");
            }
            return sb.ToString();
        }
    }

    private static readonly string[] Reserved = ["do", "if", "in", "for", "let", "new", "try", "var", "case", "else", "enum", "eval", "null",
        "this", "true", "void", "with", "await", "break", "catch", "class", "const", "false", "super", "throw", "while", "yield",
        "delete", "export", "import", "public", "return", "static", "switch", "typeof", "default", "extends", "finally", "package",
        "private", "continue", "debugger", "function", "arguments", "interface", "protected", "implements", "instanceof", "async", "get", "set", "of"];

    private static Gen<string> Identifier(string prefix) =>
        from len in Gen.Choose(1, 8)
        from chars in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz_$".ToCharArray()), len)
        select Reserved.Contains(prefix + new string(chars)) ? prefix + new string(chars) + "_" : prefix + new string(chars);

    private static Gen<List<string>> Distinct(string prefix, int max) =>
        Gen.ListOf(Identifier(prefix)).Select(l => l.Distinct().Take(max).ToList());

    private static Arbitrary<Spec> Specs()
    {
        var function = from name in Identifier("f")
                       from isAsync in ArbMap.Default.GeneratorFor<bool>()
                       from ps in Distinct("p", 4)
                       from calls in Gen.ListOf(Identifier("c")).Select(l => l.Take(5).ToList())
                       select (name, isAsync, ps, calls);
        var @class = from name in Identifier("K")
                     from hasBase in ArbMap.Default.GeneratorFor<bool>()
                     from methods in Distinct("m", 4)
                     select (name, hasBase ? "Base" : null, methods);
        var spec = from fs in Gen.ListOf(function).Select(l => l.Take(6).DistinctBy(f => f.name).ToList())
                   from cs in Gen.ListOf(@class).Select(l => l.Take(4).DistinctBy(c => c.name).ToList())
                   select new Spec(fs, [.. cs.Select(c => (c.name, (string?)c.Item2, c.methods))]);
        return spec.ToArbitrary();
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Generated_programs_round_trip_to_their_structure() => Prop.ForAll(Specs(), spec =>
    {
        var result = new JavaScriptParser().Parse(SourceFile.FromText("gen.js", spec.Render()));
        if (result.Errors.Count > 0)
        {
            return false;
        }
        var defs = result.Module.Definitions;
        var functions = defs.Where(d => d.Kind == DefinitionKinds.Function).ToList();
        var classes = defs.Where(d => d.Kind == DefinitionKinds.Class).ToList();
        bool functionsMatch = functions.Select(f => f.Name).SequenceEqual(spec.Functions.Select(f => f.Name))
            && functions.Zip(spec.Functions).All(p =>
                p.First.Async == p.Second.Async
                && p.First.Parameters.Select(x => x.Name).SequenceEqual(p.Second.Params)
                && p.First.Calls.Sum(c => c.Count) == p.Second.Calls.Count
                && p.First.Calls.Select(c => c.Callee).Order(StringComparer.Ordinal)
                    .SequenceEqual(p.Second.Calls.Distinct().Order(StringComparer.Ordinal)));
        bool classesMatch = classes.Select(c => c.Name).SequenceEqual(spec.Classes.Select(c => c.Name))
            && classes.Zip(spec.Classes).All(p =>
                p.First.Bases.SequenceEqual(p.Second.Base is null ? [] : [p.Second.Base])
                && p.First.Children.Select(m => m.Name).SequenceEqual(p.Second.Methods));
        return functionsMatch && classesMatch;
    });

    private static readonly byte[] Seed = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "service.js"));

    private static Arbitrary<byte[]> Mutants()
    {
        var edit = from kind in Gen.Choose(0, 2)
                   from at in Gen.Choose(0, Seed.Length - 1)
                   from length in Gen.Choose(1, 40)
                   from fill in Gen.Elements("{[(<`'\"/*\\}])>;\n\0\xff".Select(c => (byte)c).ToArray())
                   select (kind, at, length, fill);
        return Gen.ListOf(edit).Select(edits =>
        {
            var bytes = new List<byte>(Seed);
            foreach (var (kind, at0, length, fill) in edits.Take(8))
            {
                ByteEdits.Apply(bytes, kind, Math.Min(at0, bytes.Count), length, fill);
            }
            return bytes.ToArray();
        }).ToArbitrary();
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Mutated_real_files_never_crash_or_hang() => Prop.ForAll(Mutants(), bytes =>
    {
        var watch = Stopwatch.StartNew();
        var result = new JavaScriptParser().Parse(new SourceFile("mutant.js", bytes));
        return result.Module is not null && watch.Elapsed < TimeSpan.FromSeconds(5)
            && result.Errors.All(e => e.Line >= 0 && e.Column >= 0 && e.Reason.Length > 0);
    });
}

/// <summary>The edits the mutation properties make: 0 removes <c>length</c> bytes, 1 inserts <c>length</c> copies of <c>fill</c>, 2 replaces one byte.</summary>
internal static class ByteEdits
{
    public static void Apply(List<byte> bytes, int kind, int at, int length, byte fill)
    {
        switch (kind)
        {
            case 0:
                bytes.RemoveRange(at, Math.Min(length, bytes.Count - at));
                break;
            case 1:
                bytes.InsertRange(at, Enumerable.Repeat(fill, length));
                break;
            default:
                if (at < bytes.Count)
                {
                    bytes[at] = fill;
                }
                break;
        }
    }
}
