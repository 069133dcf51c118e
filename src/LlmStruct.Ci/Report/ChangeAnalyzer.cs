using System.Collections.Immutable;
using System.Text;
using LlmStruct.Ci.Git;
using LlmStruct.Discovery;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Tasks;

namespace LlmStruct.Ci.Report;

/// <summary>
/// Compares two parsed revisions file by file along git's list of changed files (renames included): definitions by
/// qualified name within a file pair, imports, parse errors, then the impact (callers outside the change, tasks).
/// </summary>
public static class ChangeAnalyzer
{
    /// <summary>The report for <paramref name="changes"/> between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static ChangeReport Compare(RevisionName baseName, RevisionModel before, RevisionName headName, RevisionModel after, IReadOnlyList<FileChange> changes)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(changes);
        var oldModules = before.Document.Modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var newModules = after.Document.Modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var oldErrors = before.Document.Errors.ToLookup(e => e.File, StringComparer.Ordinal);
        var newErrors = after.Document.Errors.ToLookup(e => e.File, StringComparer.Ordinal);
        bool Parsed(string path, bool atHead) => atHead
            ? newModules.ContainsKey(path) || newErrors.Contains(path)
            : oldModules.ContainsKey(path) || oldErrors.Contains(path);

        var files = new List<ChangedFile>();
        var added = new List<DefinitionChange>();
        var removed = new List<DefinitionChange>();
        var changed = new List<DefinitionChange>();
        var imports = new List<ImportChange>();
        var errorsNew = new List<ErrorChange>();
        var errorsFixed = new List<ErrorChange>();
        var touchedOld = new HashSet<string>(StringComparer.Ordinal);
        var touchedNew = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            // A copy is a new file beside an unchanged one; a type change (file ↔ link) is a modification.
            var (status, oldPath, newPath) = change.Status switch
            {
                'A' or 'C' => ("added", (string?)null, (string?)change.NewPath),
                'D' => ("deleted", change.OldPath, null),
                'R' => ("renamed", change.OldPath, change.NewPath),
                _ => ("modified", change.OldPath, change.NewPath),
            };
            oldPath = oldPath is not null && Parsed(oldPath, atHead: false) ? oldPath : null;
            newPath = newPath is not null && Parsed(newPath, atHead: true) ? newPath : null;
            if (oldPath is null && newPath is null)
            {
                continue;
            }
            status = (oldPath, newPath) switch
            {
                (null, _) => "added",
                (_, null) => "deleted",
                _ => status,
            };
            files.Add(new ChangedFile(status, newPath ?? oldPath!, status == "renamed" ? oldPath : null));
            if (oldPath is not null)
            {
                touchedOld.Add(oldPath);
            }
            if (newPath is not null)
            {
                touchedNew.Add(newPath);
            }
            var oldModule = oldPath is null ? null : oldModules.GetValueOrDefault(oldPath);
            var newModule = newPath is null ? null : newModules.GetValueOrDefault(newPath);
            CompareDefinitions(oldModule, newModule, status == "renamed", added, removed, changed);
            if (newPath is not null && ImportsOf(oldModule) is var was && ImportsOf(newModule) is var now)
            {
                var plus = now.Except(was).Order(StringComparer.Ordinal).ToImmutableArray();
                var minus = was.Except(now).Order(StringComparer.Ordinal).ToImmutableArray();
                if (oldModule is not null && newModule is not null && (plus.Length > 0 || minus.Length > 0))
                {
                    imports.Add(new ImportChange(newPath, plus, minus));
                }
            }
            CompareErrors(oldPath is null ? [] : oldErrors[oldPath], newPath is null ? [] : newErrors[newPath], errorsNew, errorsFixed);
        }

        var callers = Callers(before, after, removed, changed, touchedOld, touchedNew);
        var tasks = Tasks(after.Tasks, touchedOld.Concat(touchedNew), added.Concat(removed).Concat(changed));
        return new ChangeReport
        {
            Base = baseName,
            Head = headName,
            Files = [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)],
            Added = [.. added.OrderBy(d => d.Id, StringComparer.Ordinal)],
            Removed = [.. removed.OrderBy(d => d.Id, StringComparer.Ordinal)],
            Changed = [.. changed.OrderBy(d => d.Id, StringComparer.Ordinal)],
            Imports = [.. imports.OrderBy(i => i.Path, StringComparer.Ordinal)],
            NewErrors = [.. Sorted(errorsNew)],
            FixedErrors = [.. Sorted(errorsFixed)],
            Callers = callers,
            Tasks = tasks,
        };
    }

    /// <summary>
    /// The signature as one line: kind prefix words (<c>async</c>, <c>static</c>), the name, type parameters,
    /// parameters (<c>name: type = default</c>, <c>*args</c>, <c>**kwargs</c>) and the return type; a class with its bases.
    /// </summary>
    public static string SignatureOf(Definition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var text = new StringBuilder();
        foreach (var decorator in definition.Decorators)
        {
            text.Append('@').Append(decorator).Append(' ');
        }
        if (definition.Async)
        {
            text.Append("async ");
        }
        if (definition.Static)
        {
            text.Append("static ");
        }
        text.Append(definition.Name);
        if (definition.TypeParameters.Length > 0)
        {
            text.Append('<').AppendJoin(", ", definition.TypeParameters).Append('>');
        }
        if (definition.Kind is "class" or "interface" or "struct" or "record" or "enum" or "trait")
        {
            if (definition.Bases.Length > 0)
            {
                text.Append('(').AppendJoin(", ", definition.Bases).Append(')');
            }
            return text.ToString();
        }
        text.Append('(');
        for (int i = 0; i < definition.Parameters.Length; i++)
        {
            var p = definition.Parameters[i];
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(p.Kind switch
            {
                ParameterKinds.VarPositional => "*",
                ParameterKinds.VarKeyword => "**",
                _ => "",
            }).Append(p.Name);
            if (p.Type is not null)
            {
                text.Append(": ").Append(p.Type);
            }
            if (p.Default is not null)
            {
                text.Append(p.Type is null ? "=" : " = ").Append(p.Default);
            }
        }
        text.Append(')');
        if (definition.ReturnType is not null)
        {
            text.Append(" -> ").Append(definition.ReturnType);
        }
        return text.ToString();
    }

    private static void CompareDefinitions(ModuleInfo? oldModule, ModuleInfo? newModule, bool renamed, List<DefinitionChange> added, List<DefinitionChange> removed, List<DefinitionChange> changed)
    {
        var was = Flatten(oldModule);
        var now = Flatten(newModule);
        foreach (var (key, definition) in now)
        {
            if (!was.TryGetValue(key, out var old))
            {
                added.Add(new DefinitionChange { Id = definition.Id, Kind = definition.Kind, Signature = SignatureOf(definition) });
                continue;
            }
            var aspects = ImmutableArray.CreateBuilder<string>();
            string oldSignature = SignatureOf(old), newSignature = SignatureOf(definition);
            if (oldSignature != newSignature || old.Kind != definition.Kind || old.Visibility != definition.Visibility || !old.Modifiers.SequenceEqual(definition.Modifiers))
            {
                aspects.Add("signature");
            }
            if (old.Docstring != definition.Docstring)
            {
                aspects.Add("docstring");
            }
            bool sameSpan = old.EndLine - old.StartLine == definition.EndLine - definition.StartLine;
            if (!sameSpan || !CallsOf(old).SequenceEqual(CallsOf(definition)))
            {
                aspects.Add("body");
            }
            else if (old.StartLine != definition.StartLine)
            {
                aspects.Add("moved");
            }
            if (aspects.Count > 0)
            {
                changed.Add(new DefinitionChange
                {
                    Id = definition.Id,
                    OldId = renamed ? old.Id : null,
                    Kind = definition.Kind,
                    Signature = newSignature,
                    OldSignature = aspects.Contains("signature") && oldSignature != newSignature ? oldSignature : null,
                    Aspects = aspects.ToImmutable(),
                });
            }
        }
        foreach (var (key, definition) in was)
        {
            if (!now.ContainsKey(key))
            {
                removed.Add(new DefinitionChange { Id = definition.Id, Kind = definition.Kind, Signature = SignatureOf(definition) });
            }
        }
    }

    // Definitions of a module by the id's part after the path (so a renamed file's definitions pair up), nested ones too.
    private static Dictionary<string, Definition> Flatten(ModuleInfo? module)
    {
        var result = new Dictionary<string, Definition>(StringComparer.Ordinal);
        if (module is null)
        {
            return result;
        }
        var stack = new Stack<Definition>(module.Definitions);
        while (stack.Count > 0)
        {
            var definition = stack.Pop();
            result[definition.Id[DefinitionIds.PathOf(definition.Id).Length..]] = definition;
            foreach (var child in definition.Children)
            {
                stack.Push(child);
            }
        }
        return result;
    }

    // What a body calls, without lines (a moved body calls the same).
    private static IEnumerable<string> CallsOf(Definition definition) =>
        definition.Calls.Select(c => c.Callee + "×" + c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal);

    private static HashSet<string> ImportsOf(ModuleInfo? module)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var import in module?.Imports ?? [])
        {
            var name = new string('.', import.Level) + import.Module + (import.Alias is null ? "" : " as " + import.Alias);
            result.Add(import.Names.Length == 0
                ? name
                : name + ": " + string.Join(", ", import.Names.Select(n => n.Alias is null ? n.Name : n.Name + " as " + n.Alias)));
        }
        return result;
    }

    // Errors match by reason, as many times as each occurs (an edit above an error moves its line, not the error).
    private static void CompareErrors(IEnumerable<ParseError> was, IEnumerable<ParseError> now, List<ErrorChange> errorsNew, List<ErrorChange> errorsFixed)
    {
        var remaining = was.ToList();
        foreach (var error in now)
        {
            int index = remaining.FindIndex(e => e.Reason == error.Reason);
            if (index >= 0)
            {
                remaining.RemoveAt(index);
            }
            else
            {
                errorsNew.Add(new ErrorChange(error.File, error.Line, error.Column, error.Reason));
            }
        }
        errorsFixed.AddRange(remaining.Select(e => new ErrorChange(e.File, e.Line, e.Column, e.Reason)));
    }

    private static IEnumerable<ErrorChange> Sorted(List<ErrorChange> errors) =>
        errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Reason, StringComparer.Ordinal);

    private static ImmutableArray<CallerImpact> Callers(
        RevisionModel before, RevisionModel after, List<DefinitionChange> removed, List<DefinitionChange> changed, HashSet<string> touchedOld, HashSet<string> touchedNew)
    {
        var oldById = ById(before.Document);
        var newById = ById(after.Document);
        var result = new List<CallerImpact>();
        foreach (var definition in removed)
        {
            if (oldById.TryGetValue(definition.Id, out var old))
            {
                var callers = old.CalledBy.Where(c => !touchedOld.Contains(DefinitionIds.PathOf(c))).Order(StringComparer.Ordinal).ToImmutableArray();
                if (callers.Length > 0)
                {
                    result.Add(new CallerImpact(definition.Id, "removed", callers));
                }
            }
        }
        foreach (var definition in changed)
        {
            // A moved definition or a docstring edit does not change what its callers call.
            if (definition.Aspects.All(a => a is "moved" or "docstring") || !newById.TryGetValue(definition.Id, out var now))
            {
                continue;
            }
            var callers = now.CalledBy.Where(c => !touchedNew.Contains(DefinitionIds.PathOf(c))).Order(StringComparer.Ordinal).ToImmutableArray();
            if (callers.Length > 0)
            {
                result.Add(new CallerImpact(definition.Id, string.Join(", ", definition.Aspects), callers));
            }
        }
        return [.. result.OrderByDescending(c => c.Callers.Length).ThenBy(c => c.Target, StringComparer.Ordinal)];
    }

    private static Dictionary<string, Definition> ById(StructDocument document)
    {
        var result = new Dictionary<string, Definition>(StringComparer.Ordinal);
        var stack = new Stack<Definition>(document.Modules.SelectMany(m => m.Definitions));
        while (stack.Count > 0)
        {
            var definition = stack.Pop();
            result[definition.Id] = definition;
            foreach (var child in definition.Children)
            {
                stack.Push(child);
            }
        }
        return result;
    }

    private static ImmutableArray<TaskImpact> Tasks(IReadOnlyList<ProjectTask> tasks, IEnumerable<string> touchedFiles, IEnumerable<DefinitionChange> definitions)
    {
        var files = touchedFiles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            foreach (var id in new[] { definition.Id, definition.OldId })
            {
                if (id is null)
                {
                    continue;
                }
                symbols.Add(id);
                symbols.Add(id[(DefinitionIds.PathOf(id).Length + 1)..]);
            }
        }
        var result = new List<TaskImpact>();
        foreach (var task in tasks)
        {
            var matches = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var pattern in task.Files)
            {
                var glob = pattern.IndexOfAny(['*', '?', '[']) >= 0 ? Glob.Parse(pattern) : null;
                var folder = pattern.TrimEnd('/') + "/";
                foreach (var file in files)
                {
                    if (file == pattern || file.StartsWith(folder, StringComparison.Ordinal) || glob?.IsMatch(file) == true)
                    {
                        matches.Add(file);
                    }
                }
            }
            foreach (var symbol in task.Symbols)
            {
                if (symbols.Contains(symbol))
                {
                    matches.Add(symbol);
                }
            }
            if (matches.Count > 0)
            {
                result.Add(new TaskImpact(task.Id, task.Title, TaskStatuses.Name(task.Status), [.. matches]));
            }
        }
        return [.. result.OrderBy(t => t.Id, StringComparer.Ordinal)];
    }
}
