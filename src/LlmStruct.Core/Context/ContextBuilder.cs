using System.Globalization;
using LlmStruct.Model;
using LlmStruct.Telemetry;

namespace LlmStruct.Context;

/// <summary>
/// The default <see cref="IContextBuilder"/>. The content is a list of lines in priority order; the output is
/// the longest prefix whose rendering (closing tags included) fits the budget, found by galloping from a per-line
/// estimate and binary search, with an exact recount of the whole text each step, then the next line cut to the
/// longest part that still fits.
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
        int budget = request.Budget;
        var plan = ContextPlan.Make(document, request, text => TokenCounter.Count(tokenizer, text));
        var units = plan.Units;
        int Count(int k, string? last = null) =>
            TokenCounter.Count(tokenizer, ContextRenderer.Render(request.Format, units, k, last, plan.Note(k, request.Tokenizer)));

        // Estimate from per-line counts (cheap): k0 lines are expected to fit.
        int k0 = 0;
        long estimate = 0;
        while (k0 < units.Count)
        {
            estimate += TokenCounter.Count(tokenizer, units[k0].Text) + 3;
            if (estimate > budget)
            {
                break;
            }
            k0++;
        }

        // Gallop from the estimate to a bracket [good, bad) with exact counts, then binary search inside it.
        int good, bad;
        if (Count(k0) <= budget)
        {
            good = k0;
            bad = units.Count + 1;
            for (int step = 1; good < units.Count; step *= 2)
            {
                int probe = Math.Min(units.Count, good + step);
                if (Count(probe) <= budget)
                {
                    good = probe;
                }
                else
                {
                    bad = probe;
                    break;
                }
            }
        }
        else
        {
            bad = k0;
            good = 0;
            for (int step = 1; bad > 0; step *= 2)
            {
                int probe = Math.Max(0, bad - step);
                if (Count(probe) <= budget)
                {
                    good = probe;
                    break;
                }
                bad = probe;
                if (probe == 0)
                {
                    break;
                }
            }
        }
        while (bad - good > 1)
        {
            int mid = good + (bad - good) / 2;
            if (Count(mid) <= budget)
            {
                good = mid;
            }
            else
            {
                bad = mid;
            }
        }
        int lo = good;
        // Guard against a non-monotone count (BPE merges across lines): step down until it fits.
        while (lo > 0 && Count(lo) > budget)
        {
            lo--;
        }

        string? cut = null;
        if (lo < units.Count && units[lo].Kind is not (UnitKind.FileHeader or UnitKind.PathOnly))
        {
            // A cut path would name a file that does not exist; every other line may end in an ellipsis.
            cut = CutToFit(units[lo].Text, text => Count(lo, text) <= budget);
        }
        var rendered = ContextRenderer.Render(request.Format, units, lo, cut, plan.Note(lo, request.Tokenizer));
        int tokens = TokenCounter.Count(tokenizer, rendered);
        if (tokens > budget)
        {
            rendered = "";
            tokens = 0;
            lo = 0;
        }
        var shown = plan.Shown(lo);
        if (LlmStructTelemetry.ContextTokensInstrument.Enabled)
        {
            LlmStructTelemetry.ContextTokensInstrument.Add(tokens, new KeyValuePair<string, object?>(LlmStructTelemetry.FormatAttribute, request.Format));
        }
        return new ContextResult(rendered, tokens, budget, shown.Files.Length, document.Modules.Length)
        {
            Files = shown.Files,
            FullFiles = shown.Full,
            SignatureFiles = shown.Signatures,
            NameFiles = shown.Names,
            PathFiles = shown.Paths,
            Tokenizer = request.Tokenizer,
        };
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
