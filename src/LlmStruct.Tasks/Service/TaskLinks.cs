using LlmStruct.Model;

namespace LlmStruct.Tasks.Service;

/// <summary>
/// Resolves a task's references against a struct.json document: a symbol by definition id, else by qualified name
/// when exactly one definition has it; a file when a module, a skipped file or a file or folder under the root has
/// that path; a dependency when a task has that id.
/// </summary>
public sealed class TaskLinks
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byQualifiedName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tasks;
    private readonly string? _root;

    /// <summary>Indexes <paramref name="document"/>; <paramref name="root"/> (optional) lets files that are not modules count when they exist.</summary>
    public TaskLinks(StructDocument document, IEnumerable<string> taskIds, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        _root = root;
        _tasks = new HashSet<string>(taskIds, StringComparer.Ordinal);
        foreach (var module in document.Modules)
        {
            _paths.Add(module.Path);
            var stack = new Stack<Definition>(module.Definitions);
            while (stack.Count > 0)
            {
                var d = stack.Pop();
                _ids.Add(d.Id);
                if (!_byQualifiedName.TryGetValue(d.QualifiedName, out var list))
                {
                    _byQualifiedName[d.QualifiedName] = list = [];
                }
                list.Add(d.Id);
                foreach (var child in d.Children)
                {
                    stack.Push(child);
                }
            }
        }
        foreach (var skipped in document.Skipped)
        {
            _paths.Add(skipped.Path);
        }
    }

    /// <summary>The definition id <paramref name="reference"/> names, or null (no definition, or several with that qualified name).</summary>
    public string? ResolveSymbol(string reference)
    {
        if (_ids.Contains(reference))
        {
            return reference;
        }
        return _byQualifiedName.TryGetValue(reference, out var ids) && ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>Why <paramref name="reference"/> did not resolve, for messages.</summary>
    public string WhyUnresolved(string reference) =>
        _byQualifiedName.TryGetValue(reference, out var ids) && ids.Count > 1
            ? $"is ambiguous: {ids.Count} definitions have that qualified name ({string.Join(", ", ids.Order(StringComparer.Ordinal).Take(3))}…); write a definition id"
            : "matches no definition id or qualified name in struct.json";

    /// <summary>Whether a path names a module, a skipped file, or something under the root.</summary>
    public bool FileExists(string path)
    {
        if (_paths.Contains(path))
        {
            return true;
        }
        if (_root is null || path.Length == 0 || Path.IsPathRooted(path) || path.Split('/').Contains(".."))
        {
            return false;
        }
        var full = Path.Combine(_root, path);
        return File.Exists(full) || Directory.Exists(full);
    }

    /// <summary>Whether a task has this id.</summary>
    public bool TaskExists(string id) => _tasks.Contains(id);
}
