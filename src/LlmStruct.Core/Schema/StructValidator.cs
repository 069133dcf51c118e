using System.Text.Json;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Schema;

/// <summary>
/// Full check of a struct.json: the schema first (for documents over <see cref="StructSchema.FullEvaluationLimit"/>, the
/// typed reader plus <see cref="ModelConstraints"/>), then the rules a schema cannot say — unique module paths and
/// definition ids, ids that name their module, stats that match the content, and the canonical byte form.
/// </summary>
public static class StructValidator
{
    /// <summary>Returns the problems found (empty when the file is valid and canonical).</summary>
    public static IReadOnlyList<string> Check(ReadOnlyMemory<byte> utf8Json)
    {
        bool small = utf8Json.Length <= StructSchema.FullEvaluationLimit;
        if (small)
        {
            var schema = StructSchema.Validate(utf8Json);
            if (!schema.IsValid)
            {
                return schema.Errors;
            }
        }
        StructDocument document;
        try
        {
            document = StructJson.Deserialize(utf8Json.Span);
        }
        catch (JsonException ex)
        {
            return [$"cannot be read: {ex.Message}"];
        }
        if (!small)
        {
            // The typed reader already enforced the shape (unknown or mistyped properties throw above).
            var constraints = ModelConstraints.Check(document);
            if (constraints.Count > 0)
            {
                return constraints;
            }
        }

        var problems = new List<string>();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int m = 0; m < document.Modules.Length; m++)
        {
            var module = document.Modules[m];
            if (!paths.Add(module.Path))
            {
                problems.Add($"/modules/{m}/path: duplicate module path '{module.Path}'");
            }
            var stack = new Stack<Definition>(module.Definitions);
            while (stack.Count > 0)
            {
                var definition = stack.Pop();
                if (!ids.Add(definition.Id))
                {
                    problems.Add($"/modules/{m}: duplicate definition id '{definition.Id}'");
                }
                if (!definition.Id.StartsWith(module.Path + "#", StringComparison.Ordinal))
                {
                    problems.Add($"/modules/{m}: definition id '{definition.Id}' does not start with its module path");
                }
                if (definition.EndLine < definition.StartLine)
                {
                    problems.Add($"/modules/{m}: definition '{definition.Id}' ends before it starts");
                }
                foreach (var child in definition.Children)
                {
                    stack.Push(child);
                }
            }
        }
        var stats = StructAssembler.ComputeStats(document);
        if (stats != document.Stats with { Languages = stats.Languages } || !stats.Languages.SequenceEqual(document.Stats.Languages))
        {
            problems.Add("/stats: counts do not match the content");
        }
        if (problems.Count == 0 && !StructJson.Serialize(StructCanonicalizer.Canonicalize(document)).AsSpan().SequenceEqual(utf8Json.Span))
        {
            problems.Add("/: not in canonical form (order, formatting or escaping differs from what 'llmstruct parse' writes)");
        }
        return problems;
    }
}
