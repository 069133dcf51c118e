using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace LlmStruct.Llm.Work;

/// <summary>The struct.json queries of the plugin (no model calls).</summary>
public sealed partial class StructWorkPlugin
{
    /// <summary>Definitions matching <paramref name="name"/>: an exact id, else a qualified name, else a simple name (sorted by id, at most 50).</summary>
    [KernelFunction("find_symbol"), Description("Find definitions by id, qualified name or simple name; returns ids, kinds, paths, lines, signatures.")]
    public IReadOnlyList<SymbolInfo> FindSymbol([Description("An id (path#Qualified.name), a qualified name or a simple name.")] string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _index.Find(name.Trim());
    }

    /// <summary>Definitions that call <paramref name="id"/> (linked call edges), sorted by id. Empty for an unknown id.</summary>
    [KernelFunction("list_callers"), Description("List the definitions that call the definition with this id.")]
    public IReadOnlyList<SymbolInfo> ListCallers([Description("A definition id (path#Qualified.name).")] string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return [.. _index.CallersOf(id.Trim()).Select(_index.Get).OfType<SymbolInfo>()];
    }

    /// <summary>Calls made by <paramref name="id"/>, in source order, with their linked target when known. Empty for an unknown id.</summary>
    [KernelFunction("list_callees"), Description("List the calls made by the definition with this id, with the id of each target when it is known.")]
    public IReadOnlyList<CalleeInfo> ListCallees([Description("A definition id (path#Qualified.name).")] string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var definition = _index.Definition(id.Trim());
        return definition is null ? [] : [.. definition.Calls.Select(c => new CalleeInfo(c.Callee, c.Target, c.Line, c.Count))];
    }

    /// <summary>An outline of one module: its docstring, imports and nested definitions with ids and lines; a message when it is not in struct.json.</summary>
    [KernelFunction("module_outline"), Description("Outline one source file: docstring, imports, and its definitions (ids, kinds, lines, signatures).")]
    public string ModuleOutline([Description("The file's path relative to the root, as struct.json writes it.")] string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var module = _index.Module(path.Trim().Replace('\\', '/'));
        return module is null ? $"no module '{path}' in struct.json" : StructIndex.Outline(module);
    }
}
