namespace LlmStruct.Parsers.CSharp;

/// <summary>
/// Roslyn's parser guards most recursion, but not all: scanning deeply nested tuple types, generic arguments and
/// interpolated strings recurses without a guard and overflows the stack (10,000 nested <c>(</c>, <c>A&lt;</c> or
/// <c>$"{</c> kill the process; a StackOverflow cannot be caught). Before Roslyn sees the text, this guard scans it
/// once with a small lexer (comments, strings, characters, interpolation holes) and blanks out (with spaces, keeping
/// line breaks so positions stay put) every region nested deeper than <see cref="MaxDepth"/> brackets.
/// </summary>
internal static class NestingGuard
{
    /// <summary>Deepest nesting of <c>( [ { &lt;</c> kept; deeper regions are blanked.</summary>
    internal const int MaxDepth = 256;

    /// <summary>
    /// Deepest nesting of interpolated strings kept: Roslyn re-lexes each level's content, so deep interpolation costs
    /// time quadratic in its depth (256 levels take seconds).
    /// </summary>
    internal const int MaxInterpolationDepth = 16;

    /// <summary>A blanked region: where it starts (0-based offset) and how long it is.</summary>
    internal readonly record struct Region(int Start, int Length);

    /// <summary>What the scan found.</summary>
    /// <param name="Text">The text to parse (the input itself when nothing was blanked).</param>
    /// <param name="MaxSeen">Deepest nesting seen (capped at <see cref="MaxDepth"/> + 1).</param>
    /// <param name="Blanked">Regions blanked, in text order.</param>
    internal sealed record Result(string Text, int MaxSeen, IReadOnlyList<Region> Blanked);

    private sealed class StringState
    {
        public bool Verbatim;
        public int RawQuotes;
        public int Dollars;
    }

    /// <summary>Scans <paramref name="text"/>; linear time, no recursion.</summary>
    public static Result Scan(string text)
    {
        var regions = new List<Region>();
        // Each frame is the code inside an interpolation hole (or the file itself): its braces, and its string if it is in one.
        var holes = new Stack<(int Braces, StringState? Owner)>();
        int depth = 0;
        int angle = 0;
        int maxSeen = 0;
        int blankStart = -1;
        int holeBraces = 0;
        StringState? inString = null;
        int i = 0;
        while (i < text.Length)
        {
            int at = i;
            i = inString is not null
                ? ScanStringChar(text, i, ref inString, ref depth, ref holeBraces, holes)
                : ScanCodeChar(text, i, ref inString, ref depth, ref angle, ref holeBraces, holes);
            i = Math.Min(i, text.Length);
            int effective = depth + angle;
            maxSeen = Math.Max(maxSeen, Math.Min(effective, MaxDepth + 1));
            bool tooDeep = effective > MaxDepth || holes.Count > MaxInterpolationDepth;
            if (blankStart < 0 && tooDeep)
            {
                blankStart = at;
            }
            else if (blankStart >= 0 && !tooDeep)
            {
                regions.Add(new Region(blankStart, i - blankStart));
                blankStart = -1;
            }
        }
        if (blankStart >= 0)
        {
            regions.Add(new Region(blankStart, text.Length - blankStart));
        }
        return new Result(regions.Count == 0 ? text : Blank(text, regions), maxSeen, regions);
    }

    /// <summary>Reads one token-ish step of code; returns the next index.</summary>
    private static int ScanCodeChar(string text, int i, ref StringState? inString, ref int depth, ref int angle, ref int holeBraces, Stack<(int Braces, StringState? Owner)> holes)
    {
        char c = text[i];
        switch (c)
        {
            case '/' when Peek(text, i + 1) == '/':
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
                return i;
            case '/' when Peek(text, i + 1) == '*':
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                return end < 0 ? text.Length : end + 2;
            case '\'':
                return SkipCharLiteral(text, i);
            case '#' when AtLineStart(text, i):
                // A preprocessor line (#region text, #pragma…) is not code.
                int newline = text.IndexOf('\n', i);
                return newline < 0 ? text.Length : newline;
            case '"' or '$' or '@' when TryStartString(text, i, out var state, out int next):
                inString = state;
                return next;
            case '(' or '[' or '{':
                depth++;
                if (c == '{')
                {
                    angle = 0;
                    holeBraces++;
                }
                break;
            case ')' or ']':
                depth = Math.Max(0, depth - 1);
                break;
            case '}':
                angle = 0;
                if (holeBraces == 0 && holes.Count > 0)
                {
                    // Closes an interpolation hole: back into its string.
                    var (braces, owner) = holes.Pop();
                    holeBraces = braces;
                    inString = owner;
                }
                else
                {
                    holeBraces = Math.Max(0, holeBraces - 1);
                }
                depth = Math.Max(0, depth - 1);
                break;
            case '<':
                angle++;
                break;
            case '>':
                angle = Math.Max(0, angle - 1);
                break;
            case ';':
                angle = 0;
                break;
        }
        return i + 1;
    }

    private static bool AtLineStart(string text, int i)
    {
        for (int j = i - 1; j >= 0 && text[j] != '\n'; j--)
        {
            if (text[j] is not (' ' or '\t' or '\r'))
            {
                return false;
            }
        }
        return true;
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static int SkipCharLiteral(string text, int i)
    {
        // 'x', '\n', '\u0041', '\''; give up at the end of the line.
        int j = i + 1;
        while (j < text.Length && text[j] != '\n')
        {
            if (text[j] == '\\')
            {
                j += 2;
                continue;
            }
            if (text[j] == '\'')
            {
                return j + 1;
            }
            j++;
        }
        return j;
    }

    /// <summary>
    /// Recognizes <c>"</c>, <c>@"</c>, <c>$"</c>, <c>$@"</c>, <c>@$"</c>, <c>$$"""</c> and friends; <paramref name="state"/> is
    /// null for an empty string (already complete).
    /// </summary>
    private static bool TryStartString(string text, int i, out StringState? state, out int next)
    {
        int j = i;
        int dollars = 0;
        bool verbatim = false;
        while (j < text.Length && (text[j] == '$' || text[j] == '@'))
        {
            if (text[j] == '$')
            {
                dollars++;
            }
            else
            {
                verbatim = true;
            }
            j++;
        }
        state = null;
        next = i + 1;
        if (j >= text.Length || text[j] != '"')
        {
            return false;
        }
        int quotes = 0;
        while (j + quotes < text.Length && text[j + quotes] == '"')
        {
            quotes++;
        }
        if (verbatim || quotes == 1)
        {
            // In a verbatim string, the quotes after the first are content ("" is an escaped quote).
            state = new StringState { Verbatim = verbatim, Dollars = dollars };
            next = j + 1;
        }
        else if (quotes == 2)
        {
            next = j + 2;
        }
        else
        {
            state = new StringState { RawQuotes = quotes, Dollars = dollars };
            next = j + quotes;
        }
        return true;
    }

    private static int ScanStringChar(string text, int i, ref StringState? inString, ref int depth, ref int holeBraces, Stack<(int, StringState?)> holes)
    {
        var s = inString!;
        char c = text[i];
        if (s.RawQuotes > 0)
        {
            if (c == '"')
            {
                int run = 0;
                while (i + run < text.Length && text[i + run] == '"')
                {
                    run++;
                }
                if (run >= s.RawQuotes)
                {
                    inString = null;
                }
                return i + run;
            }
        }
        else if (s.Verbatim)
        {
            if (c == '"')
            {
                if (Peek(text, i + 1) == '"')
                {
                    return i + 2;
                }
                inString = null;
                return i + 1;
            }
        }
        else
        {
            if (c == '\\')
            {
                return i + 2;
            }
            if (c == '"' || c == '\n')
            {
                inString = null;
                return i + 1;
            }
        }
        if (c == '{' && s.Dollars > 0)
        {
            int run = 0;
            while (i + run < text.Length && text[i + run] == '{')
            {
                run++;
            }
            bool opensHole = s.RawQuotes > 0 ? run >= s.Dollars : run % 2 == 1;
            if (opensHole)
            {
                holes.Push((holeBraces, s));
                holeBraces = 0;
                inString = null;
                depth++;
            }
            return i + run;
        }
        return i + 1;
    }

    private static string Blank(string text, List<Region> regions)
    {
        var chars = text.ToCharArray();
        foreach (var region in regions)
        {
            for (int k = region.Start; k < region.Start + region.Length; k++)
            {
                if (chars[k] is not ('\n' or '\r'))
                {
                    chars[k] = ' ';
                }
            }
        }
        return new string(chars);
    }
}
