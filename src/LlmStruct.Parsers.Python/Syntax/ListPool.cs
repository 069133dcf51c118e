namespace LlmStruct.Parsers.Python.Syntax;

/// <summary>
/// The syntax tree's lists, reused from file to file on each thread: a tree lives only until its structure is
/// extracted (<see cref="SyntaxLists.Release"/>), and a project's files make millions of small lists otherwise.
/// </summary>
internal static class ListPool<T>
{
    private const int MaxPooled = 4096;
    private const int MaxCapacity = 1024;

    [ThreadStatic]
    private static Stack<List<T>>? t_free;

    public static List<T> Rent() => t_free is { Count: > 0 } free ? free.Pop() : [];

    public static void Return(List<T> list)
    {
        if (list.Capacity > MaxCapacity)
        {
            return;
        }
        var free = t_free ??= new Stack<List<T>>();
        if (free.Count < MaxPooled)
        {
            list.Clear();
            free.Push(list);
        }
    }
}

/// <summary>Gives a tree's lists back to the pool once nothing reads the tree any more.</summary>
internal static class SyntaxLists
{
    public static void Release(ModuleNode module)
    {
        ListPool<string>.Return(module.Exports);
        ReleaseScope(module, 0);
    }

    private static void ReleaseScope(ScopeNode scope, int depth)
    {
        foreach (var node in scope.Body)
        {
            switch (node)
            {
                case DefinitionNode definition when depth < 256:
                    ReleaseScope(definition, depth + 1);
                    ListPool<TextSpan>.Return(definition.Decorators);
                    ListPool<TextSpan>.Return(definition.TypeParameters);
                    if (definition is FunctionDefNode function)
                    {
                        ListPool<ParameterNode>.Return(function.Parameters);
                    }
                    else if (definition is ClassDefNode type)
                    {
                        ListPool<ArgumentNode>.Return(type.Bases);
                    }
                    break;
                case ImportNode import:
                    ListPool<(string Name, string? Alias)>.Return(import.Names);
                    break;
            }
        }
        ListPool<SyntaxNode>.Return(scope.Body);
        ListPool<CallSite>.Return(scope.Calls);
    }
}
