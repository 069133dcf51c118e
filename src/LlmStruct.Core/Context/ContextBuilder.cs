using System.Globalization;
using LlmStruct.Model;

namespace LlmStruct.Context;

/// <summary>
/// The default <see cref="IContextBuilder"/>. The content is a list of lines in priority order; the output is
/// the longest prefix whose rendering (closing tags included) fits the budget, found by binary search with an
/// exact recount of the whole text each step, then the next line cut to the longest part that still fits.
/// </summary>
public sealed class ContextBuilder : IContextBuilder
{
    private const string Ellipsis = "…";

    /// <inheritdoc />
    public int CountTokens(string text, string tokenizer = ContextTokenizers.O200k)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TokenCounter.Count(TokenCounter.Get(tokenizer), text);
    }

    /// <inheritdoc />
    public ContextResult Build(StructDocument document, ContextRequest request)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Budget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Budget, "the budget must be at least 1 token");
        }
        if (!ContextFormats.All.Contains(request.Format))
        {
            throw new ArgumentException($"unknown format '{request.Format}' (expected {string.Join(", ", ContextFormats.All)})", nameof(request));
        }
        var tokenizer = TokenCounter.Get(request.Tokenizer);
        var units = ContextUnits.Build(document, request.Focus.IsDefault ? [] : request.Focus);
        int budget = request.Budget;
        int Count(int k, string? last = null) => TokenCounter.Count(tokenizer, ContextRenderer.Render(request.Format, units, k, last));

        // Upper bound from per-line counts (cheap), widened until the exact count is over the budget.
        int hi = 0;
        long estimate = 0;
        while (hi < units.Count && estimate <= budget + budget / 4 + 64)
        {
            estimate += TokenCounter.Count(tokenizer, units[hi].Text) + 3;
            hi++;
        }
        while (hi < units.Count && Count(hi) <= budget)
        {
            hi = Math.Min(units.Count, hi * 2);
        }

        // Largest k with Count(k) <= budget.
        int lo = 0;
        if (Count(hi) <= budget)
        {
            lo = hi;
        }
        else
        {
            int left = 0, right = hi - 1;
            while (left <= right)
            {
                int mid = left + (right - left) / 2;
                if (Count(mid) <= budget)
                {
                    lo = mid;
                    left = mid + 1;
                }
                else
                {
                    right = mid - 1;
                }
            }
        }
        // Guard against a non-monotone count (BPE merges across lines): step down until it fits.
        while (lo > 0 && Count(lo) > budget)
        {
            lo--;
        }

        string? cut = null;
        if (lo < units.Count)
        {
            cut = CutToFit(units[lo].Text, text => Count(lo, text) <= budget);
        }
        var rendered = ContextRenderer.Render(request.Format, units, lo, cut);
        int tokens = TokenCounter.Count(tokenizer, rendered);
        if (tokens > budget)
        {
            rendered = "";
            tokens = 0;
        }
        int included = units.Take(lo + (cut is null ? 0 : 1)).Count(u => u.Kind == UnitKind.FileHeader);
        return new ContextResult(rendered, tokens, budget, included, document.Modules.Length);
    }

    /// <summary>The longest prefix of <paramref name="text"/> (cut at a char boundary, with an ellipsis) that fits, or null.</summary>
    private static string? CutToFit(string text, Func<string, bool> fits)
    {
        var boundaries = new List<int>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            boundaries.Add(enumerator.ElementIndex);
        }
        int left = 1, right = boundaries.Count - 1;
        string? best = null;
        while (left <= right)
        {
            int mid = left + (right - left) / 2;
            var candidate = text[..boundaries[mid]].TrimEnd() + Ellipsis;
            if (fits(candidate))
            {
                best = candidate;
                left = mid + 1;
            }
            else
            {
                right = mid - 1;
            }
        }
        return best;
    }
}
