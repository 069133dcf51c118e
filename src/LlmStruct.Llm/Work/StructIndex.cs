using System.Globalization;
using System.Text;
using LlmStruct.Model;

namespace LlmStruct.Llm.Work;

/// <summary>Lookups over a struct.json: definitions by id and by name, callers from both directions of the call graph.</summary>
internal sealed class StructIndex
{
    private readonly Dictionary<string, (ModuleInfo Module, Definition Definition)> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _callers = new(StringComparer.Ordinal);

    public StructIndex(StructDocument document)
    {
        Document = document;
        foreach (var module in document.Modules)
        {
            foreach (var definition in Flatten(module.Definitions))
            {
                _byId.TryAdd(definition.Id, (module, definition));
            }
        }
        foreach (var (_, (_, definition)) in _byId)
        {
            foreach (var caller in definition.CalledBy)
            {
                Callers(definition.Id).Add(caller);
            }
            foreach (var call in definition.Calls)
            {
                if (call.Target is not null)
                {
                    Callers(call.Target).Add(definition.Id);
                }
            }
        }
    }

    public StructDocument Document { get; }

    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>Every definition id, in ordinal order.</summary>
    public IEnumerable<string> Ids => _byId.Keys.Order(StringComparer.Ordinal);

    /// <summary>How many definitions there are.</summary>
    public int Count => _byId.Count;

    public ModuleInfo? Module(string path) => Document.Modules.FirstOrDefault(m => m.Path == path);

    public SymbolInfo? Get(string id) => _byId.TryGetValue(id, out var entry) ? Info(entry.Module, entry.Definition) : null;

    public Definition? Definition(string id) => _byId.TryGetValue(id, out var entry) ? entry.Definition : null;

    public IReadOnlyList<string> CallersOf(string id) => _callers.TryGetValue(id, out var set) ? [.. set] : [];

    /// <summary>Exact id first, then exact qualified name, then simple name (case-sensitive, then not), sorted by id.</summary>
    public IReadOnlyList<SymbolInfo> Find(string name, int limit = 50)
    {
        if (_byId.TryGetValue(name, out var exact))
        {
            return [Info(exact.Module, exact.Definition)];
        }
        IEnumerable<(ModuleInfo Module, Definition Definition)> all = _byId.Values;
        var found = all.Where(e => e.Definition.QualifiedName == name).ToList();
        if (found.Count == 0)
        {
            found = [.. all.Where(e => e.Definition.Name == name)];
        }
        if (found.Count == 0)
        {
            found = [.. all.Where(e => e.Definition.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                || e.Definition.QualifiedName.EndsWith("." + name, StringComparison.OrdinalIgnoreCase))];
        }
        return [.. found.OrderBy(e => e.Definition.Id, StringComparer.Ordinal).Take(limit).Select(e => Info(e.Module, e.Definition))];
    }

    /// <summary>Up to three existing ids that share the unknown id's last name segment.</summary>
    public IReadOnlyList<string> Suggest(string unknownId)
    {
        var tail = unknownId[(unknownId.LastIndexOfAny(['#', '.']) + 1)..];
        int paren = tail.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            tail = tail[..paren];
        }
        return [.. _byId.Values.Where(e => e.Definition.Name == tail).Select(e => e.Definition.Id).Order(StringComparer.Ordinal).Take(3)];
    }

    public static string? Signature(Definition definition) =>
        definition.Parameters.IsDefaultOrEmpty && definition.ReturnType is null
            ? null
            : "(" + string.Join(", ", definition.Parameters.Select(p => p.Type is null ? p.Name : $"{p.Name}: {p.Type}")) + ")"
              + (definition.ReturnType is { } r ? " -> " + r : "");

    /// <summary>An outline of one module: its docstring, imports and nested definitions with ids, lines and signatures.</summary>
    public static string Outline(ModuleInfo module)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{module.Path} ({module.Language}, {module.Lines} lines)\n");
        if (!string.IsNullOrWhiteSpace(module.Docstring))
        {
            text.Append(module.Docstring.Trim()).Append('\n');
        }
        foreach (var import in module.Imports)
        {
            text.Append("import ").Append(import.Module);
            if (!import.Names.IsDefaultOrEmpty)
            {
                text.Append(" (").Append(string.Join(", ", import.Names.Select(n => n.Name))).Append(')');
            }
            text.Append(import.Resolved is { } r ? $" -> {r}\n" : "\n");
        }
        Outline(text, module.Definitions, 0);
        return text.ToString();
    }

    /// <summary>The module that holds definition <paramref name="id"/>, or null.</summary>
    public ModuleInfo? ModuleOf(string id) => _byId.TryGetValue(id, out var entry) ? entry.Module : null;

    /// <summary>Every definition with its module, in id order.</summary>
    public IEnumerable<SymbolInfo> All() => _byId.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Info(e.Value.Module, e.Value.Definition));

    private static void Outline(StringBuilder text, IEnumerable<Definition> definitions, int depth)
    {
        foreach (var d in definitions)
        {
            text.Append(' ', depth * 2).Append(CultureInfo.InvariantCulture, $"- {d.Kind} {d.Id}{Signature(d)} L{d.StartLine}-{d.EndLine}");
            if (!string.IsNullOrWhiteSpace(d.Docstring))
            {
                var line = d.Docstring.Split('\n')[0].Trim();
                text.Append(": ").Append(line.Length <= 100 ? line : line[..100] + "…");
            }
            text.Append('\n');
            Outline(text, d.Children, depth + 1);
        }
    }

    private static SymbolInfo Info(ModuleInfo module, Definition d) =>
        new(d.Id, d.Kind, module.Path, d.QualifiedName, d.StartLine, d.EndLine, Signature(d), d.Docstring);

    private SortedSet<string> Callers(string id)
    {
        if (!_callers.TryGetValue(id, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            _callers[id] = set;
        }
        return set;
    }

    private static IEnumerable<Definition> Flatten(IEnumerable<Definition> definitions)
    {
        foreach (var definition in definitions)
        {
            yield return definition;
            foreach (var child in Flatten(definition.Children))
            {
                yield return child;
            }
        }
    }
}
