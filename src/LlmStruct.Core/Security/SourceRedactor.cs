using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using LlmStruct.Configuration;
using LlmStruct.Discovery;
using LlmStruct.Model;

namespace LlmStruct.Security;

/// <summary>A file and a rule that redacted something in it (never the value).</summary>
/// <param name="Path">Path relative to the root.</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Count">How many values the rule redacted in the file.</param>
public sealed record RedactionFinding(string Path, string Rule, int Count);

/// <summary>
/// Replaces secrets in the strings kept from source by <c>«redacted:RULE»</c> (see <see cref="SecretRules"/>), as
/// <c>[security]</c> configures: on by default, off for the allowed paths and rules. Strings holding none of the rules'
/// prefixes are passed through untouched after one vectorized search, so the cost on a parse is small.
/// </summary>
public sealed class SourceRedactor
{
    private const string MarkerStart = "\u00ABredacted:";
    private readonly SecretRule[] _rules;
    private readonly Glob[] _allowedPaths;
    // Made once: a method group converted at each call would allocate a delegate per definition.
    private readonly Func<Definition, Definition> _definition;
    private readonly Func<ParameterInfo, ParameterInfo> _parameter;
    private readonly Func<string, string> _text;
    private readonly Func<CallInfo, CallInfo> _call;
    private readonly Func<ImportInfo, ImportInfo> _import;
    private readonly Func<VariableInfo, VariableInfo> _variable;

    /// <summary>Redaction with the default settings (every rule, every file).</summary>
    public static SourceRedactor Default { get; } = new(new SecurityOptions());

    /// <summary>Creates the redactor for <paramref name="options"/>.</summary>
    public SourceRedactor(SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Enabled = options.RedactSecrets;
        var allowedRules = new HashSet<string>(options.AllowRules, StringComparer.Ordinal);
        _rules = [.. SecretRules.All.Where(r => !allowedRules.Contains(r.Name))];
        _allowedPaths = [.. options.AllowPaths.Select(Glob.Parse)];
        // The settings decide every redacted string, so cached parses are keyed by them.
        var settings = string.Join("\n", [Enabled ? "on" : "off", .. _rules.Select(r => r.Name), "--", .. options.AllowPaths]);
        _definition = Redact;
        _parameter = Redact;
        _text = Redact;
        _call = c => Redact(c.Callee) is var callee && !ReferenceEquals(callee, c.Callee) ? c with { Callee = callee } : c;
        _import = i => Redact(i.Module) is var m && !ReferenceEquals(m, i.Module) ? i with { Module = m } : i;
        _variable = v => RedactOrNull(v.Type) is var t && !ReferenceEquals(t, v.Type) ? v with { Type = t } : v;
        Key = Enabled ? "redact-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("rules/1\n" + settings)))[..16] : "redact-off";
    }

    /// <summary>Whether redaction is on (<c>[security] redact_secrets</c>).</summary>
    public bool Enabled { get; }

    /// <summary>Names the settings (rules and allowed paths); part of every parse-cache key.</summary>
    public string Key { get; }

    /// <summary>Whether the strings of the file at <paramref name="relativePath"/> are redacted.</summary>
    public bool AppliesTo(string relativePath)
    {
        if (!Enabled)
        {
            return false;
        }
        foreach (var glob in _allowedPaths)
        {
            if (glob.IsMatch(relativePath))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The cache-key suffix for one file: <see cref="Key"/>, or <c>redact-off</c> for an allowed file.</summary>
    public string KeyFor(string relativePath) => AppliesTo(relativePath) ? Key : "redact-off";

    /// <summary>The text with every secret replaced by its marker; the same instance when nothing was found.</summary>
    public string Redact(string text) => Redact(text, null);

    /// <summary>
    /// The text with every secret replaced by its marker, adding each replaced value (in text order per rule) to
    /// <paramref name="originals"/>; the same instance when nothing was found.
    /// </summary>
    public string Redact(string text, List<RedactedValue>? originals)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enabled || text.Length < SecretRules.MinMatchLength || !SecretRules.MayHoldSecret(text))
        {
            return text;
        }
        foreach (var rule in _rules)
        {
            if (!rule.MayMatch(text))
            {
                continue;
            }
            StringBuilder? builder = null;
            int copied = 0;
            for (var match = rule.Pattern.Match(text); match.Success; match = match.NextMatch())
            {
                var group = match.Groups["v"];
                var (start, length) = group.Success ? (group.Index, group.Length) : (match.Index, match.Length);
                var value = text.Substring(start, length);
                if (value.StartsWith(MarkerStart, StringComparison.Ordinal) || (rule.Accept is { } accept && !accept(value)))
                {
                    continue;
                }
                builder ??= new StringBuilder(text.Length);
                builder.Append(text, copied, start - copied).Append(SecretRules.Marker(rule.Name));
                copied = start + length;
                originals?.Add(new RedactedValue(rule.Name, value));
            }
            if (builder is not null)
            {
                text = builder.Append(text, copied, text.Length - copied).ToString();
            }
        }
        return text;
    }

    private string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>
    /// The module with its kept strings redacted: docstrings, parameter defaults and types (a default is also judged
    /// with its parameter's name, as in <c>password="…"</c>), decorators, bases, return and variable types, callees
    /// and imported module text. Names and ids are identifiers and stay as written. The same instance when nothing
    /// was found or the file is allowed.
    /// </summary>
    public ModuleInfo Redact(ModuleInfo module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!AppliesTo(module.Path))
        {
            return module;
        }
        var docstring = RedactOrNull(module.Docstring);
        var imports = Map(module.Imports, _import);
        var variables = Map(module.Variables, _variable);
        var definitions = Map(module.Definitions, _definition);
        if (ReferenceEquals(docstring, module.Docstring) && imports == module.Imports && variables == module.Variables && definitions == module.Definitions)
        {
            return module;
        }
        return module with { Docstring = docstring, Imports = imports, Variables = variables, Definitions = definitions };
    }

    private Definition Redact(Definition definition)
    {
        var docstring = RedactOrNull(definition.Docstring);
        var returnType = RedactOrNull(definition.ReturnType);
        var parameters = Map(definition.Parameters, _parameter);
        var decorators = Map(definition.Decorators, _text);
        var bases = Map(definition.Bases, _text);
        var calls = Map(definition.Calls, _call);
        var children = Map(definition.Children, _definition);
        if (ReferenceEquals(docstring, definition.Docstring) && ReferenceEquals(returnType, definition.ReturnType) && parameters == definition.Parameters
            && decorators == definition.Decorators && bases == definition.Bases && calls == definition.Calls && children == definition.Children)
        {
            return definition;
        }
        return definition with
        {
            Docstring = docstring, ReturnType = returnType, Parameters = parameters, Decorators = decorators, Bases = bases, Calls = calls, Children = children,
        };
    }

    private ParameterInfo Redact(ParameterInfo parameter)
    {
        var type = RedactOrNull(parameter.Type);
        var value = parameter.Default;
        if (value is not null && SecretRules.MayHoldSecret(parameter.Name))
        {
            // Judged as `name=default`, so a keyword in the name (password, api_key…) counts as it would in an assignment.
            var joined = parameter.Name + "=" + value;
            var redacted = Redact(joined);
            value = ReferenceEquals(redacted, joined) ? value : redacted[(parameter.Name.Length + 1)..];
        }
        else if (value is not null)
        {
            value = Redact(value);
        }
        return ReferenceEquals(type, parameter.Type) && ReferenceEquals(value, parameter.Default) ? parameter : parameter with { Type = type, Default = value };
    }

    // The array itself when no item changed (callers compare with ==, which for ImmutableArray is reference equality).
    private static ImmutableArray<T> Map<T>(ImmutableArray<T> items, Func<T, T> map) where T : class
    {
        if (items.IsDefaultOrEmpty)
        {
            return items;
        }
        T[]? changed = null;
        for (int i = 0; i < items.Length; i++)
        {
            var item = map(items[i]);
            if (!ReferenceEquals(item, items[i]))
            {
                changed ??= [.. items];
                changed[i] = item;
            }
        }
        return changed is null ? items : ImmutableArray.Create(changed);
    }

    private static readonly HashSet<string> RuleNames = [.. SecretRules.All.Select(r => r.Name)];

    /// <summary>The rules whose markers appear in the module's kept strings, with counts, ordered by rule name.</summary>
    public static IReadOnlyList<RedactionFinding> Findings(ModuleInfo module)
    {
        ArgumentNullException.ThrowIfNull(module);
        SortedDictionary<string, int>? counts = null;
        void Scan(string? text)
        {
            if (text is null)
            {
                return;
            }
            for (int at = text.IndexOf(MarkerStart, StringComparison.Ordinal); at >= 0; at = text.IndexOf(MarkerStart, at + 1, StringComparison.Ordinal))
            {
                int end = text.IndexOf('\u00BB', at);
                if (end < 0)
                {
                    return;
                }
                var rule = text[(at + MarkerStart.Length)..end];
                if (!RuleNames.Contains(rule))
                {
                    continue; // marker-like text written in the source itself (documentation of the format)
                }
                counts ??= new SortedDictionary<string, int>(StringComparer.Ordinal);
                counts[rule] = counts.GetValueOrDefault(rule) + 1;
            }
        }
        void ScanDefinitions(ImmutableArray<Definition> definitions)
        {
            foreach (var d in definitions)
            {
                Scan(d.Docstring);
                Scan(d.ReturnType);
                foreach (var p in d.Parameters)
                {
                    Scan(p.Type);
                    Scan(p.Default);
                }
                foreach (var s in d.Decorators)
                {
                    Scan(s);
                }
                foreach (var s in d.Bases)
                {
                    Scan(s);
                }
                foreach (var c in d.Calls)
                {
                    Scan(c.Callee);
                }
                ScanDefinitions(d.Children);
            }
        }
        Scan(module.Docstring);
        foreach (var i in module.Imports)
        {
            Scan(i.Module);
        }
        foreach (var v in module.Variables)
        {
            Scan(v.Type);
        }
        ScanDefinitions(module.Definitions);
        return counts is null ? [] : [.. counts.Select(p => new RedactionFinding(module.Path, p.Key, p.Value))];
    }

    /// <summary>Every module's findings, in module order.</summary>
    public static IReadOnlyList<RedactionFinding> Findings(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var all = new List<RedactionFinding>();
        foreach (var module in document.Modules)
        {
            all.AddRange(Findings(module));
        }
        return all;
    }
}

/// <summary>One value a redaction replaced: the rule and the original text (kept in memory only, to put it back).</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Value">The original text.</param>
public sealed record RedactedValue(string Rule, string Value)
{
    /// <summary>The value's marker.</summary>
    public string Marker => SecretRules.Marker(Rule);

    /// <summary>Never the value: records print in logs and debuggers.</summary>
    public override string ToString() => Marker;
}
