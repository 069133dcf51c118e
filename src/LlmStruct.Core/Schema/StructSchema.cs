using System.Text.Json;
using Json.Schema;

namespace LlmStruct.Schema;

/// <summary>The outcome of validating a struct.json document.</summary>
/// <param name="Errors">Readable problems, each starting with the JSON location (e.g. <c>/modules/3/path</c>); empty when valid.</param>
public sealed record ValidationResult(IReadOnlyList<string> Errors)
{
    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;
}

/// <summary>The published JSON Schema of struct.json (draft 2020-12), embedded in this assembly.</summary>
public static class StructSchema
{
    private const string ResourceName = "LlmStruct.struct.schema.json";
    private static readonly Lazy<string> LazyText = new(LoadText);
    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.FromText(LazyText.Value));

    /// <summary>
    /// <c>llmstruct validate</c> (<see cref="StructValidator"/>) checks documents up to this size with the JSON Schema
    /// evaluator itself; larger ones by <see cref="ModelConstraints"/> on the typed model (the evaluator needs minutes
    /// and gigabytes for a few hundred megabytes of JSON). Writing struct.json always uses <see cref="ModelConstraints"/>,
    /// which the tests hold equivalent to the evaluator. 16 MiB.
    /// </summary>
    public const int FullEvaluationLimit = 16 * 1024 * 1024;

    /// <summary>The schema's text, exactly as published in <c>schema/struct.schema.json</c>.</summary>
    public static string Text => LazyText.Value;

    /// <summary>Validates UTF-8 JSON against the schema. Malformed JSON is reported as an error, never thrown.</summary>
    public static ValidationResult Validate(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException ex)
        {
            return new ValidationResult([$"not valid JSON: {ex.Message}"]);
        }
        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    /// <summary>Validates a parsed JSON element against the schema.</summary>
    public static ValidationResult Validate(JsonElement root)
    {
        var results = LazySchema.Value.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return new ValidationResult([]);
        }
        // Messages are built from the instance location and the error text: the evaluation path repeats
        // segments under "items" in this library version and would only confuse a reader.
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }
            foreach (var (keyword, message) in detail.Errors)
            {
                var location = detail.InstanceLocation.ToString();
                errors.Add($"{(location.Length == 0 ? "/" : location)}: {message} ({keyword})");
            }
        }
        if (errors.Count == 0)
        {
            errors.Add("/: document does not match the struct.json schema");
        }
        return new ValidationResult([.. errors]);
    }

    private static string LoadText()
    {
        using var stream = typeof(StructSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
