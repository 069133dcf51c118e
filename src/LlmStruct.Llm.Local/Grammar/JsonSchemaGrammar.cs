using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LlmStruct.Llm.Local.Grammar;

/// <summary>
/// Translates a JSON schema into a llama.cpp GBNF grammar whose every complete sentence is compact JSON valid against
/// the schema, so a local model's sampling can only produce a schema-valid answer.
/// <para>
/// Supported: <c>type</c> (object, array, string, integer, number, boolean, null, and lists of types), <c>properties</c>
/// with <c>required</c> (properties in schema order; optional ones may be left out), <c>additionalProperties</c> (false,
/// or absent: only the listed properties are produced), <c>items</c>, <c>minItems</c>/<c>maxItems</c>,
/// <c>minLength</c>/<c>maxLength</c>, <c>enum</c>, <c>const</c>, <c>anyOf</c>/<c>oneOf</c>, local <c>$ref</c>s
/// (<c>#/$defs/…</c>, <c>#/definitions/…</c>, recursive ones too) and <c>pattern</c> (a regular-expression subset:
/// literals, classes, <c>.</c>, <c>\d \w \s</c>, groups, alternation, <c>* + ? {m,n}</c>). Unsupported keywords are
/// ignored (the answer is still validated by its caller).
/// </para>
/// <para>
/// Bounded by construction: strings are printable ASCII (other characters are not produced) and every string and
/// array gets an upper bound (its schema's, else a default), scaled down until the longest possible answer fits
/// <c>maxBytes</c>, so a generation limited to that many tokens always ends inside the grammar (each token is at
/// least one byte). Recursive refs and unbounded patterns are the exception: their length cannot be bounded.
/// </para>
/// </summary>
internal static class JsonSchemaGrammar
{
    /// <summary>Upper bound of a string whose schema has no <c>maxLength</c>, before scaling to the budget.</summary>
    public const int DefaultMaxLength = 256;

    /// <summary>Upper bound of an array whose schema has no <c>maxItems</c>, before scaling to the budget.</summary>
    public const int DefaultMaxItems = 16;

    /// <summary>
    /// The grammar (root rule <c>root</c>) for <paramref name="schema"/>, with bounds scaled so the longest answer takes at
    /// most <paramref name="maxBytes"/> bytes when the schema's minimums allow it. Throws <see cref="NotSupportedException"/>
    /// for a schema that cannot be translated (a <c>$ref</c> outside the document, an invalid pattern).
    /// </summary>
    public static GrammarResult Translate(JsonElement schema, int maxBytes)
    {
        // The largest scale whose worst case fits: bounds shrink together, minimums always hold.
        var full = new Translator(schema, 1.0).Run();
        if (full.MaxBytes <= maxBytes)
        {
            return full;
        }
        double low = 0, high = 1;
        var best = new Translator(schema, 0).Run();
        for (int i = 0; i < 24; i++)
        {
            double mid = (low + high) / 2;
            var candidate = new Translator(schema, mid).Run();
            if (candidate.MaxBytes <= maxBytes)
            {
                best = candidate;
                low = mid;
            }
            else
            {
                high = mid;
            }
        }
        return best;
    }

    private sealed class Translator(JsonElement root, double scale)
    {
        // One element of a JSON string: a printable ASCII character other than '"' and '\', or a two-byte escape.
        private const string CharRule = "char ::= [\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E] | \"\\\\\" [\\x22\\x5C/bfnrt]";
        private readonly StringBuilder _rules = new();
        private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
        private readonly HashSet<string> _refsInProgress = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _refBytes = new(StringComparer.Ordinal);
        private int _next;
        private bool _unbounded;

        public GrammarResult Run()
        {
            var (expression, bytes) = Value(root);
            var text = new StringBuilder().Append("root ::= ").Append(expression).Append('\n').Append(_rules).Append(CharRule).Append('\n');
            return new GrammarResult(text.ToString(), _unbounded ? long.MaxValue : bytes);
        }

        private (string Expression, long MaxBytes) Value(JsonElement schema)
        {
            if (schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any()))
            {
                // Any value: a string is the bounded choice every consumer of free text accepts.
                return StringOf(schema);
            }
            if (schema.ValueKind != JsonValueKind.Object)
            {
                throw new NotSupportedException($"a schema must be an object or true, not {schema.ValueKind}");
            }
            if (schema.TryGetProperty("$ref", out var reference))
            {
                return Ref(reference.GetString() ?? "");
            }
            if (schema.TryGetProperty("const", out var constant))
            {
                return Literal(constant);
            }
            if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                return Choice(values.EnumerateArray().Select(Literal).ToList());
            }
            foreach (var keyword in (string[])["anyOf", "oneOf"])
            {
                if (schema.TryGetProperty(keyword, out var options) && options.ValueKind == JsonValueKind.Array)
                {
                    return Choice(options.EnumerateArray().Select(Value).ToList());
                }
            }
            if (schema.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.Array)
                {
                    return Choice(type.EnumerateArray().Select(t => OfType(t.GetString() ?? "", schema)).ToList());
                }
                return OfType(type.GetString() ?? "", schema);
            }
            if (schema.TryGetProperty("properties", out _))
            {
                return OfType("object", schema);
            }
            if (schema.TryGetProperty("items", out _))
            {
                return OfType("array", schema);
            }
            return StringOf(schema);
        }

        private (string, long) OfType(string type, JsonElement schema) => type switch
        {
            "object" => Object(schema),
            "array" => Array(schema),
            "string" => StringOf(schema),
            "integer" => ("\"-\"? [0-9]{1,15}", 16),
            "number" => ("\"-\"? [0-9]{1,15} (\".\" [0-9]{1,15})?", 32),
            "boolean" => ("(\"true\" | \"false\")", 5),
            "null" => ("\"null\"", 4),
            _ => throw new NotSupportedException($"unknown JSON schema type '{type}'"),
        };

        private (string, long) Object(JsonElement schema)
        {
            var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(r => r.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
                : [];
            var members = new List<(string Expression, long Bytes, bool Required)>();
            if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    var (value, bytes) = Value(property.Value);
                    var key = JsonSerializer.Serialize(property.Name, GrammarJson.Default.String);
                    members.Add(($"{Quote(key + ":")} {value}", Encoding.UTF8.GetByteCount(key) + 1 + bytes, required.Contains(property.Name)));
                }
            }
            // Required members in order, then each optional one after a comma; with no required member, the first one
            // present starts the list (one alternative per possible first member).
            var head = members.Where(m => m.Required).ToList();
            var optional = members.Where(m => !m.Required).ToList();
            long total = 2 + head.Sum(m => m.Bytes) + Math.Max(0, head.Count - 1) + optional.Sum(m => m.Bytes + 1);
            string body;
            if (head.Count > 0)
            {
                body = string.Join(" \",\" ", head.Select(m => m.Expression)) + string.Concat(optional.Select(m => $" (\",\" {m.Expression})?"));
            }
            else if (optional.Count > 0)
            {
                var starts = optional.Select((m, i) => m.Expression + string.Concat(optional.Skip(i + 1).Select(o => $" (\",\" {o.Expression})?")));
                body = "(" + string.Join(" | ", starts) + ")?";
            }
            else
            {
                body = "";
            }
            return (Rule($"\"{{\" {body} \"}}\""), total);
        }

        private (string, long) Array(JsonElement schema)
        {
            int min = Int(schema, "minItems") ?? 0;
            int max = Math.Max(min, Scaled(Int(schema, "maxItems") ?? DefaultMaxItems, min));
            var (item, bytes) = schema.TryGetProperty("items", out var items) ? Value(items) : StringOf(default);
            var itemRule = Rule(item);
            string body = max == 0 ? ""
                : max == 1 ? (min == 0 ? $"{itemRule}?" : itemRule)
                : min == 0 ? $"({itemRule} (\",\" {itemRule}){{0,{max - 1}}})?"
                : $"{itemRule} (\",\" {itemRule}){{{min - 1},{max - 1}}}";
            return (Rule($"\"[\" {body} \"]\""), 2 + max * bytes + Math.Max(0, max - 1));
        }

        private (string, long) StringOf(JsonElement schema)
        {
            bool hasSchema = schema.ValueKind == JsonValueKind.Object;
            if (hasSchema && schema.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } regex)
            {
                var (expression, bytes, bounded) = RegexToGbnf.Translate(regex);
                _unbounded |= !bounded;
                return (Rule($"\"\\\"\" {expression} \"\\\"\""), bytes + 2);
            }
            int min = hasSchema ? Int(schema, "minLength") ?? 0 : 0;
            int max = Math.Max(min, Scaled(hasSchema ? Int(schema, "maxLength") ?? DefaultMaxLength : DefaultMaxLength, min));
            // The minimum spelled out, the rest optional: "char char{0,n}" rather than "char{1,n+1}".
            var chars = string.Concat(Enumerable.Repeat(" char", min)) + (max > min ? $" char{{0,{max - min}}}" : "");
            return ($"\"\\\"\"{chars} \"\\\"\"", 2 + 2L * max);
        }

        private (string, long) Ref(string reference)
        {
            string[] prefixes = ["#/$defs/", "#/definitions/"];
            var prefix = prefixes.FirstOrDefault(p => reference.StartsWith(p, StringComparison.Ordinal))
                ?? throw new NotSupportedException($"only local $refs (#/$defs/… or #/definitions/…) are supported, not '{reference}'");
            if (_refRules.TryGetValue(reference, out var known))
            {
                if (_refsInProgress.Contains(reference))
                {
                    _unbounded = true; // a recursive schema has no longest answer
                    return (known, 0);
                }
                return (known, _refBytes[reference]);
            }
            var name = reference[prefix.Length..];
            if (!root.TryGetProperty(prefix == "#/$defs/" ? "$defs" : "definitions", out var defs) || !defs.TryGetProperty(name, out var target))
            {
                throw new NotSupportedException($"$ref '{reference}' points to nothing in the schema");
            }
            var rule = "ref-" + (_next++).ToString(CultureInfo.InvariantCulture);
            _refRules[reference] = rule;
            _refsInProgress.Add(reference);
            var (expression, bytes) = Value(target);
            _refsInProgress.Remove(reference);
            _refBytes[reference] = bytes;
            _rules.Append(rule).Append(" ::= ").Append(expression).Append('\n');
            return (rule, bytes);
        }

        private (string, long) Literal(JsonElement value)
        {
            var text = value.GetRawText();
            using var document = JsonDocument.Parse(text);
            // Compact form: the raw text of a schema's literal may hold spaces or escapes the answer need not repeat.
            var compact = JsonSerializer.Serialize(document.RootElement, GrammarJson.Default.JsonElement);
            return (Quote(compact), Encoding.UTF8.GetByteCount(compact));
        }

        private (string, long) Choice(List<(string Expression, long Bytes)> options)
        {
            if (options.Count == 0)
            {
                throw new NotSupportedException("an empty enum or anyOf admits no value");
            }
            return (options.Count == 1 ? options[0].Expression : Rule(string.Join(" | ", options.Select(o => o.Expression))), options.Max(o => o.Bytes));
        }

        private string Rule(string expression)
        {
            var name = "r" + (_next++).ToString(CultureInfo.InvariantCulture);
            _rules.Append(name).Append(" ::= ").Append(expression).Append('\n');
            return name;
        }

        private int Scaled(int max, int min) => min + (int)Math.Floor((max - min) * scale);

        private static int? Int(JsonElement schema, string name) =>
            schema.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) && number >= 0 ? number : null;
    }

    /// <summary>A GBNF string literal matching exactly <paramref name="text"/>.</summary>
    internal static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case < 0x20 or 0x7F:
                    quoted.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:X2}");
                    break;
                default:
                    quoted.Append(rune.ToString());
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}

/// <summary>A translated grammar and the most bytes a sentence of it can take (<see cref="long.MaxValue"/>: unbounded).</summary>
/// <param name="Gbnf">The grammar text; its start rule is <c>root</c>.</param>
/// <param name="MaxBytes">Length of the longest answer the grammar admits.</param>
internal sealed record GrammarResult(string Gbnf, long MaxBytes);

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class GrammarJson : System.Text.Json.Serialization.JsonSerializerContext;
