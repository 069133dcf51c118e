using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Tests.Oracle;

/// <summary>Our model as the canonical strings <c>tests/oracles/javascript/oracle.mjs</c> prints, so the two compare line by line.</summary>
internal static class Canonical
{
    public static List<string> Definitions(ModuleInfo module)
    {
        var lines = new List<string>();
        void Visit(Definition d)
        {
            string calls = string.Join(';', d.Calls.Select(c => $"{c.Callee}@{c.Line}*{c.Count}"));
            string parameters = string.Join(';', d.Parameters.Select(p => $"{p.Name}:{p.Kind}:{p.Default}"));
            lines.Add(string.Join('|',
                d.Id, d.Kind, d.Name, d.QualifiedName, $"{d.StartLine}-{d.EndLine}", $"async={(d.Async ? 1 : 0)}", $"static={(d.Static ? 1 : 0)}",
                $"vis={d.Visibility}", $"mods={string.Join(',', d.Modifiers)}", $"bases={string.Join(',', d.Bases)}",
                $"decos={string.Join(',', d.Decorators)}", $"doc={d.Docstring}", $"params={parameters}", $"calls={calls}"));
            foreach (var child in d.Children)
            {
                Visit(child);
            }
        }
        foreach (var d in module.Definitions)
        {
            Visit(d);
        }
        return lines;
    }

    public static List<string> Imports(ModuleInfo module) =>
        [.. module.Imports.Select(i => $"{i.Line}|{i.Kind}|{i.Module}|{i.Alias}|{string.Join(',', i.Names.Select(n => $"{n.Name}:{n.Alias}"))}")];

    public static List<string> Variables(ModuleInfo module) => [.. module.Variables.Select(v => $"{v.Line}|{v.Name}")];
}
