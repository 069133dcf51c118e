using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Context;

/// <summary>
/// Renders the most useful part of a <see cref="StructDocument"/> inside a token budget: project summary,
/// instructions, then the highest-ranked files with their signatures and docstring first lines. Tokens are
/// counted with a real tokenizer; the result never exceeds the budget, fills at least 95% of it when there is
/// enough content, and the same inputs give the same text.
/// </summary>
public interface IContextBuilder
{
    /// <summary>Renders the context for <paramref name="document"/> (a linked document ranks better).</summary>
    ContextResult Build(StructDocument document, ContextRequest request);

    /// <summary>Counts tokens of <paramref name="text"/> with one of <see cref="ContextTokenizers.All"/>.</summary>
    int CountTokens(string text, string tokenizer = ContextTokenizers.O200k);
}

/// <summary>What to render.</summary>
public sealed record ContextRequest
{
    /// <summary>The default budget in tokens.</summary>
    public const int DefaultBudget = 4096;

    /// <summary>Most tokens the text may have (at least 1).</summary>
    public int Budget { get; init; } = DefaultBudget;

    /// <summary>Focus paths (files or folders, relative to the root) or symbols (id, qualified or simple name) that personalise the ranking.</summary>
    public ImmutableArray<string> Focus { get; init; } = [];

    /// <summary>Output format: one of <see cref="ContextFormats.All"/>.</summary>
    public string Format { get; init; } = ContextFormats.Markdown;

    /// <summary>Tokenizer: one of <see cref="ContextTokenizers.All"/>.</summary>
    public string Tokenizer { get; init; } = ContextTokenizers.O200k;

    /// <summary>
    /// Files changed together in the project's git history (see <see cref="Ranking.CoChangeHistory"/>); null ranks
    /// without history. The commit it ends at is part of <see cref="CacheKeyText"/>, so a context stays a pure
    /// function of struct.json, the options and that commit.
    /// </summary>
    public Ranking.CoChangeIndex? CoChange { get; init; }

    /// <summary>When true, each listed file says why it is there (score parts: import, call, reverse, co-change, graph, test, distance).</summary>
    public bool Explain { get; init; }

    /// <summary>A stable text form of the options (used in cache keys).</summary>
    public string CacheKeyText() =>
        $"v2|budget={Budget}|format={Format}|tokenizer={Tokenizer}|focus={string.Join("\u001f", Focus.IsDefault ? [] : Focus)}"
        + $"|cochange={(CoChange is null ? "none" : CoChange.Head + ":" + CoChange.Commits.ToString(System.Globalization.CultureInfo.InvariantCulture))}|explain={Explain}";
}

/// <summary>A rendered context.</summary>
/// <param name="Text">The context text.</param>
/// <param name="Tokens">Its token count with the requested tokenizer (never above the budget).</param>
/// <param name="Budget">The budget asked for.</param>
/// <param name="FilesIncluded">Files with at least their header in the text.</param>
/// <param name="FilesTotal">Files in the document.</param>
public sealed record ContextResult(string Text, int Tokens, int Budget, int FilesIncluded, int FilesTotal)
{
    /// <summary>The files the text names, in the order it names them.</summary>
    public ImmutableArray<string> Files { get; init; } = [];

    /// <summary>Files shown in full detail (docstrings and every signature).</summary>
    public int FullFiles { get; init; }

    /// <summary>Files shortened to their signatures.</summary>
    public int SignatureFiles { get; init; }

    /// <summary>Files shortened to the names of their top-level definitions.</summary>
    public int NameFiles { get; init; }

    /// <summary>Files shortened to their path.</summary>
    public int PathFiles { get; init; }

    /// <summary>The tokenizer that counted <see cref="Tokens"/>.</summary>
    public string Tokenizer { get; init; } = ContextTokenizers.O200k;
}

/// <summary>Output formats of <see cref="IContextBuilder"/>.</summary>
public static class ContextFormats
{
    /// <summary>Markdown.</summary>
    public const string Markdown = "md";
    /// <summary>XML.</summary>
    public const string Xml = "xml";
    /// <summary>Compact JSON.</summary>
    public const string Json = "json";

    /// <summary>Every format, sorted.</summary>
    public static readonly ImmutableArray<string> All = [Json, Markdown, Xml];
}

/// <summary>Tokenizers of <see cref="IContextBuilder"/> (Microsoft.ML.Tokenizers, data shipped offline).</summary>
public static class ContextTokenizers
{
    /// <summary><c>o200k_base</c> (GPT-4o family).</summary>
    public const string O200k = "o200k";
    /// <summary><c>cl100k_base</c> (GPT-4 / GPT-3.5 family).</summary>
    public const string Cl100k = "cl100k";

    /// <summary>Every tokenizer, sorted.</summary>
    public static readonly ImmutableArray<string> All = [Cl100k, O200k];
}
