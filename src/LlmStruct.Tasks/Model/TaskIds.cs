using System.Globalization;

namespace LlmStruct.Tasks;

/// <summary>Rules for task ids and how new ones are allocated.</summary>
public static class TaskIds
{
    /// <summary>The rule, for messages.</summary>
    public const string Rule = "letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters";

    /// <summary>Whether <paramref name="id"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The next free id <c>PREFIX-NNN</c>: one more than the largest number used with <paramref name="prefix"/>
    /// (zero-padded to <paramref name="digits"/>), so the same tasks always give the same id.
    /// </summary>
    public static string Next(IEnumerable<string> existing, string prefix, int digits, IReadOnlySet<string>? alsoTaken = null)
    {
        long max = 0;
        foreach (var id in existing.Concat(alsoTaken ?? new HashSet<string>()))
        {
            if (id.Length > prefix.Length + 1 && id.StartsWith(prefix + "-", StringComparison.Ordinal)
                && long.TryParse(id.AsSpan(prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                max = Math.Max(max, n);
            }
        }
        return $"{prefix}-{(max + 1).ToString(new string('0', Math.Max(1, digits)), CultureInfo.InvariantCulture)}";
    }
}
