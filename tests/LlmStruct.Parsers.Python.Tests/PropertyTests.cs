using System.Text;
using FsCheck.Xunit;
using LlmStruct.Model;
using LlmStruct.Parsers.Python.Tests.Oracle;

namespace LlmStruct.Parsers.Python.Tests;

/// <summary>FsCheck properties: generated programs round-trip their structure; mutated real files never crash the parser.</summary>
public sealed class PropertyTests
{
    private sealed record Expected(string QualifiedName, string Kind, int StartLine, int EndLine, string Parameters, string Decorators, string Bases, bool Async, string Calls);

    /// <summary>Writes a random valid program with a seeded generator and records what extraction must find.</summary>
    private sealed class ProgramWriter(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly StringBuilder _sb = new();
        private int _line;
        private int _names;
        public List<Expected> Expected { get; } = [];

        public string Write()
        {
            int items = _random.Next(1, 5);
            for (int i = 0; i < items; i++)
            {
                if (_random.Next(3) == 0)
                {
                    Line(0, $"x{_names++} = {_random.Next(100)}");
                }
                Definition(0, "", parentIsClass: false, depth: 0);
            }
            return _sb.ToString();
        }

        private void Line(int indent, string text)
        {
            _sb.Append(' ', indent * 4).Append(text).Append('\n');
            _line++;
        }

        private string Name() => (_random.Next(4) == 0 ? "_" : "") + "n" + _names++;

        /// <summary>Writes one definition; returns the callees of its decorators (they belong to the enclosing scope).</summary>
        private List<string> Definition(int indent, string prefix, bool parentIsClass, int depth)
        {
            string name = Name();
            var decorators = new List<string>();
            for (int i = _random.Next(3); i > 0; i--)
            {
                decorators.Add(_random.Next(3) switch { 0 => "deco", 1 => $"mod.deco{i}(1, key='v')", _ => "deco[0].attr" });
            }
            int start = _line + 1;
            foreach (var d in decorators)
            {
                Line(indent, "@" + d);
            }
            bool isClass = _random.Next(3) == 0;
            string qualified = prefix + name;
            if (isClass)
            {
                var bases = new List<string>();
                for (int i = _random.Next(3); i > 0; i--)
                {
                    bases.Add(i == 1 && _random.Next(2) == 0 ? "metaclass=Meta" : $"Base{i}");
                }
                bases = [.. bases.Where(b => !b.Contains('=')), .. bases.Where(b => b.Contains('='))];
                Line(indent, $"class {name}" + (bases.Count > 0 ? $"({string.Join(", ", bases)})" : "") + ":");
                Line(indent + 1, "'''Doc.'''");
                var calls = Body(indent + 1);
                int children = depth < 2 ? _random.Next(3) : 0;
                int index = Expected.Count;
                Expected.Add(null!);
                for (int i = 0; i < children; i++)
                {
                    calls.UnionWith(Definition(indent + 1, qualified + ".", parentIsClass: true, depth + 1));
                }
                Expected[index] = new Expected(qualified, "class", start, _line, "", string.Join("|", decorators), string.Join("|", bases), false, string.Join("|", calls));
            }
            else
            {
                bool isAsync = _random.Next(4) == 0;
                var parameters = Parameters(parentIsClass);
                Line(indent, $"{(isAsync ? "async " : "")}def {name}({parameters.Text}) -> int:");
                var calls = Body(indent + 1);
                int children = depth < 2 ? _random.Next(2) : 0;
                int index = Expected.Count;
                Expected.Add(null!);
                for (int i = 0; i < children; i++)
                {
                    calls.UnionWith(Definition(indent + 1, qualified + ".", parentIsClass: false, depth + 1));
                }
                Line(indent + 1, "return 0");
                Expected[index] = new Expected(qualified, parentIsClass ? "method" : "function", start, _line, parameters.Model,
                    string.Join("|", decorators), "", isAsync, string.Join("|", calls));
            }
            return [.. decorators.Where(d => d.Contains('(')).Select(d => d[..d.IndexOf('(')])];
        }

        private (string Text, string Model) Parameters(bool method)
        {
            var text = new List<string>();
            var model = new List<string>();
            if (method)
            {
                text.Add("self");
                model.Add("self/regular");
            }
            int regular = _random.Next(3);
            for (int i = 0; i < regular; i++)
            {
                text.Add($"p{i}: int = {i}");
                model.Add($"p{i}/regular");
            }
            if (text.Count > 0 && _random.Next(3) == 0)
            {
                text.Add("/");
                for (int i = 0; i < model.Count; i++)
                {
                    model[i] = model[i].Replace("/regular", "/positional_only", StringComparison.Ordinal);
                }
            }
            int star = _random.Next(3);
            if (star == 1)
            {
                text.Add("*args");
                model.Add("args/var_positional");
            }
            if (star >= 1)
            {
                if (star == 2)
                {
                    text.Add("*");
                }
                text.Add("key=None");
                model.Add("key/keyword_only");
            }
            if (_random.Next(2) == 0)
            {
                text.Add("**kwargs");
                model.Add("kwargs/var_keyword");
            }
            return (string.Join(", ", text), string.Join(", ", model));
        }

        private SortedSet<string> Body(int indent)
        {
            var callees = new SortedSet<string>(StringComparer.Ordinal);
            for (int i = _random.Next(4); i > 0; i--)
            {
                string callee = _random.Next(3) switch { 0 => "print", 1 => "self.helper" + i, _ => "os.path.join" };
                callees.Add(callee);
                Line(indent, $"{callee}(f\"{{len(x)}}\", [y for y in z])");
                callees.Add("len");
            }
            if (_random.Next(3) == 0)
            {
                Line(indent, "if cond:");
                Line(indent + 1, "pass");
            }
            return callees;
        }
    }

    [Property(MaxTest = 150)]
    public void GeneratedProgramsRoundTrip(int seed)
    {
        var writer = new ProgramWriter(seed);
        string code = writer.Write();
        var module = Py.Module(code);
        var actual = Py.All(module.Definitions).Select(d => new Expected(
            d.QualifiedName, d.Kind, d.StartLine, d.EndLine,
            string.Join(", ", d.Parameters.Select(p => $"{p.Name}/{p.Kind}")),
            string.Join("|", d.Decorators), string.Join("|", d.Bases), d.Async,
            string.Join("|", d.Calls.Select(c => c.Callee).Order(StringComparer.Ordinal)))).ToList();
        Assert.Equal(writer.Expected.OrderBy(e => e.StartLine).ToList(), actual.OrderBy(e => e.StartLine).ToList());
    }

    private static readonly Lazy<string[]> Corpus = new(() =>
    {
        if (CpythonOracle.SkipReason is null)
        {
            var files = CpythonOracle.PythonFiles(CpythonOracle.StdlibDirectory())
                .Where(f => !f.Contains("/site-packages/", StringComparison.Ordinal) && new FileInfo(f).Length < 40_000).ToList();
            int step = Math.Max(1, files.Count / 40);
            return [.. files.Where((_, i) => i % step == 0).Take(40).Select(File.ReadAllText)];
        }
        return [.. Enumerable.Range(0, 20).Select(seed => new ProgramWriter(seed).Write())];
    });

    private const string Noise = "()[]{}:;,.'\"\\#@=*\n\t fx1_\u00e9\r";

    [Property(MaxTest = 200)]
    public void MutatedFilesNeverCrash(int fileIndex, int seed)
    {
        var files = Corpus.Value;
        var text = new StringBuilder(files[(fileIndex & int.MaxValue) % files.Length]);
        var random = new Random(seed);
        for (int m = random.Next(1, 6); m > 0 && text.Length > 0; m--)
        {
            int at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                case 2:
                    text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 40), text.Length - at)));
                    break;
                case 3:
                {
                    // Duplicate or delete a whole line.
                    string s = text.ToString();
                    int lineStart = s.LastIndexOf('\n', at) + 1;
                    int lineEnd = s.IndexOf('\n', at);
                    lineEnd = lineEnd < 0 ? s.Length : lineEnd + 1;
                    string line = s[lineStart..lineEnd];
                    if (random.Next(2) == 0)
                    {
                        text.Insert(lineStart, line);
                    }
                    else
                    {
                        text.Remove(lineStart, line.Length);
                    }
                    break;
                }
                default:
                    text.Insert(at, new string(' ', random.Next(1, 9)));
                    break;
            }
        }
        var result = Py.Parse(text.ToString());
        Assert.NotNull(result);
        Assert.NotNull(result.Module);
        Assert.DoesNotContain(result.Errors, e => e.Reason.StartsWith("internal parser error", StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.True(e.Line >= 0 && e.Column >= 0));
    }
}
