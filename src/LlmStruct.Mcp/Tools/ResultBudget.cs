using System.Globalization;
using Microsoft.ML.Tokenizers;
using ModelContextProtocol;

namespace LlmStruct.Mcp.Tools;

/// <summary>
/// Keeps a tool result within its budget (tokens of the o200k tokenizer, the one <c>get_context</c> counts with): a list
/// loses its last items, a text its tail, and a note says what was cut and how to get the rest.
/// </summary>
internal static class ResultBudget
{
    private static readonly Lazy<Tokenizer> Tokens = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Tokens of <paramref name="text"/>.</summary>
    public static int Count(string text) => text.Length == 0 ? 0 : Tokens.Value.CountTokens(text);

    /// <summary>
    /// The budget of a call: <paramref name="requested"/>, else <paramref name="fallback"/>. An MCP error for a budget
    /// below 1 or above <see cref="StructMcpOptions.MaxBudget"/>.
    /// </summary>
    public static int Check(int? requested, int fallback)
    {
        int budget = requested ?? fallback;
        if (budget < 1 || budget > StructMcpOptions.MaxBudget)
        {
            throw new McpException(string.Create(CultureInfo.InvariantCulture,
                $"budget must be between 1 and {StructMcpOptions.MaxBudget} tokens (got {budget})"));
        }
        return budget;
    }

    /// <summary>
    /// The longest prefix of <paramref name="items"/> whose rendering fits <paramref name="budget"/> (binary search over
    /// the count); <paramref name="render"/> gets the items kept and how many were left out. When not even the empty list
    /// fits, the rendering of it is cut as text.
    /// </summary>
    public static string FitList<T>(IReadOnlyList<T> items, int budget, Func<IReadOnlyList<T>, int, string> render)
    {
        var all = render(items, 0);
        if (Count(all) <= budget)
        {
            return all;
        }
        int low = 0, high = items.Count - 1;
        string? best = null;
        while (low <= high)
        {
            int mid = low + ((high - low) / 2);
            var text = render([.. items.Take(mid)], items.Count - mid);
            if (Count(text) <= budget)
            {
                best = text;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return best ?? FitText(render([], items.Count), budget);
    }

    /// <summary>
    /// <paramref name="text"/> when it fits <paramref name="budget"/>; else its head, cut at a line end where one is near,
    /// with a note of how much was left out (the note too when even it does not fit: then the head alone).
    /// </summary>
    public static string FitText(string text, int budget)
    {
        int total = Count(text);
        if (total <= budget)
        {
            return text;
        }
        var note = string.Create(CultureInfo.InvariantCulture, $"\n[truncated to the budget of {budget} tokens; the whole result is {total} tokens: raise 'budget' or narrow the query]\n");
        int room = budget - Count(note);
        if (room < 1)
        {
            note = "";
            room = budget;
        }
        // Tokens merge across a cut, so shrink until the whole fits (a few rounds at most).
        for (int attempt = 0; attempt < 16 && room > 0; attempt++)
        {
            int end = Tokens.Value.GetIndexByTokenCount(text, room, out _, out _);
            int lineEnd = text.LastIndexOf('\n', Math.Max(0, end - 1));
            if (lineEnd > end / 2)
            {
                end = lineEnd + 1;
            }
            var result = text[..end] + note;
            if (Count(result) <= budget)
            {
                return result;
            }
            room -= Math.Max(1, Count(result) - budget);
        }
        return note.Length > 0 && Count(note) <= budget ? note : "";
    }
}
