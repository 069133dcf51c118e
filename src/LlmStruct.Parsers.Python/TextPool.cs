namespace LlmStruct.Parsers.Python;

/// <summary>
/// One string instance per distinct short text, per thread: names, callees, annotations and defaults repeat a great
/// deal across a project (<c>self</c> is a third of all parameter names, a few thousand callee texts cover most
/// calls), and the parsed model lives until struct.json is written. Sharing them keeps that model, and the garbage
/// collector's work on it, about a fifth smaller. Bounded: the pool starts over when it grows large.
/// </summary>
internal static class TextPool
{
    private const int MaxLength = 64;
    private const int MaxEntries = 1 << 17;

    [ThreadStatic]
    private static Dictionary<string, string>? t_pool;

    [ThreadStatic]
    private static Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> t_lookup;

    /// <summary>The pooled string with these characters (a new one the first time).</summary>
    public static string Intern(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxLength)
        {
            return text.ToString();
        }
        if (t_pool is not { } pool)
        {
            t_pool = pool = new Dictionary<string, string>(StringComparer.Ordinal);
            t_lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        if (t_lookup.TryGetValue(text, out var known))
        {
            return known;
        }
        if (pool.Count >= MaxEntries)
        {
            pool.Clear();
        }
        var made = text.ToString();
        pool[made] = made;
        return made;
    }

    /// <summary>The pooled string equal to <paramref name="text"/>.</summary>
    public static string Intern(string text) => text.Length > MaxLength ? text : Intern(text.AsSpan());
}
