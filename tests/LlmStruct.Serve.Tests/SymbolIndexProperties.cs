using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Model;
using LlmStruct.Serve.Project;

namespace LlmStruct.Serve.Tests;

/// <summary>
/// Symbol search through the name-ordered index answers exactly as the plain scan in entry order does (exact names,
/// then prefixes, then qualified names or ids containing the text), for random documents, queries and limits.
/// </summary>
public class SymbolIndexProperties
{
    private static readonly string[] Names = ["run", "Run", "run_all", "r", "ru", "runner", "a", "ab", "a_b", "JSON", "json", "json_x", "__init__", "_", "x1", "Parse", "parse_args"];
    private static readonly string[] Queries = ["run", "RUN", "r", "ru", "a", "json", "_", "x", "init", " run ", "", "parse", "#", "m1", "zz", "a_", "ab"];

    private static Gen<Definition> Definitions(string module, int depth) =>
        from name in Gen.Elements(Names)
        from salt in Gen.Choose(0, 3)
        from children in depth > 0 ? Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Definitions(module, depth - 1), n)) : Gen.Constant(Array.Empty<Definition>())
        select new Definition
        {
            Name = name,
            QualifiedName = "Q" + salt + "." + name,
            Id = module + "#" + name + salt,
            Children = [.. children],
        };

    private static Gen<StructDocument> Documents() =>
        from count in Gen.Choose(0, 5)
        from modules in Gen.ArrayOf(
            from n in Gen.Choose(0, 3)
            from definitions in Gen.ArrayOf(Definitions("m" + n + ".py", 2), 4)
            select new ModuleInfo { Path = "m" + n + ".py", Definitions = [.. definitions] }, count)
        select new StructDocument { Modules = [.. modules] };

    // The search as a plain scan: the reference the index must agree with.
    private static List<string> Reference(StructDocument document, string query, int limit)
    {
        var entries = new List<Definition>();
        void Add(IEnumerable<Definition> definitions)
        {
            foreach (var d in definitions)
            {
                entries.Add(d);
                Add(d.Children);
            }
        }
        foreach (var module in document.Modules)
        {
            Add(module.Definitions);
        }
        entries.Sort((a, b) =>
        {
            int c = a.Name.Length.CompareTo(b.Name.Length);
            if (c == 0) { c = string.CompareOrdinal(a.Name, b.Name); }
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });
        var q = query.Trim().ToLowerInvariant();
        var hits = new List<int>();
        if (q.Length == 0 || limit <= 0)
        {
            return [];
        }
        for (int pass = 0; pass < 3 && hits.Count < limit; pass++)
        {
            for (int i = 0; i < entries.Count && hits.Count < limit; i++)
            {
                var name = entries[i].Name.ToLowerInvariant();
                bool match = pass switch
                {
                    0 => name == q,
                    1 => name.StartsWith(q, StringComparison.Ordinal),
                    _ => (entries[i].QualifiedName + " " + entries[i].Id).ToLowerInvariant().Contains(q, StringComparison.Ordinal),
                };
                if (match && !hits.Contains(i))
                {
                    hits.Add(i);
                }
            }
        }
        return [.. hits.Select(i => entries[i].Id)];
    }

    [Property(MaxTest = 300)]
    public Property The_index_answers_as_the_scan_does() =>
        Prop.ForAll(Documents().ToArbitrary(), Gen.Elements(Queries).ToArbitrary(), Gen.Choose(0, 12).ToArbitrary(), (document, query, limit) =>
            new SymbolIndex(document).Search(query, limit).Select(e => e.Definition.Id).SequenceEqual(Reference(document, query, limit)));
}
