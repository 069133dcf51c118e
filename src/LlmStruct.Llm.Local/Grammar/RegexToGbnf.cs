using System.Globalization;
using System.Text;

namespace LlmStruct.Llm.Local.Grammar;

/// <summary>
/// Translates the regular-expression subset JSON schemas use for <c>pattern</c> into a GBNF expression over the
/// characters of a JSON string body (printable ASCII; <c>"</c> and <c>\</c> come out escaped): literals, escaped
/// literals, classes (ranges, negation), <c>.</c>, <c>\d \w \s</c> and their negations, groups (<c>(…)</c>,
/// <c>(?:…)</c>), alternation and the quantifiers <c>* + ? {n} {n,} {n,m}</c>. A pattern not anchored with <c>^…$</c>
/// may have any text around it, as JSON schema defines. Anything else (look-arounds, back-references) is
/// <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class RegexToGbnf
{
    private const int First = 0x20, Last = 0x7E;
    private readonly string _pattern;
    private int _at;
    private bool _bounded = true;

    private RegexToGbnf(string pattern) => _pattern = pattern;

    /// <summary>The GBNF expression, the most bytes a match takes, and whether that bound holds (no <c>*</c>, <c>+</c>, <c>{n,}</c>).</summary>
    public static (string Expression, long MaxBytes, bool Bounded) Translate(string pattern)
    {
        var translator = new RegexToGbnf(pattern);
        bool anchoredStart = pattern.StartsWith('^');
        bool anchoredEnd = pattern.EndsWith('$') && !pattern.EndsWith("\\$", StringComparison.Ordinal);
        translator._at = anchoredStart ? 1 : 0;
        var end = anchoredEnd ? pattern.Length - 1 : pattern.Length;
        var (expression, bytes) = translator.Alternation(end);
        if (translator._at != end)
        {
            throw new NotSupportedException($"pattern '{pattern}': unexpected '{pattern[translator._at]}' at {translator._at}");
        }
        var any = $"{Set(Full())}*";
        if (!anchoredStart)
        {
            expression = $"{any} {expression}";
            translator._bounded = false;
        }
        if (!anchoredEnd)
        {
            expression = $"{expression} {any}";
            translator._bounded = false;
        }
        return ($"({expression})", bytes, translator._bounded);
    }

    private (string, long) Alternation(int end)
    {
        var options = new List<(string Expression, long Bytes)> { Sequence(end) };
        while (_at < end && _pattern[_at] == '|')
        {
            _at++;
            options.Add(Sequence(end));
        }
        return options.Count == 1 ? options[0] : ("(" + string.Join(" | ", options.Select(o => o.Expression)) + ")", options.Max(o => o.Bytes));
    }

    private (string, long) Sequence(int end)
    {
        var parts = new List<string>();
        long bytes = 0;
        while (_at < end && _pattern[_at] is not ('|' or ')'))
        {
            var (atom, atomBytes) = Atom(end);
            var (quantifier, times) = Quantifier(end);
            parts.Add(atom + quantifier);
            bytes += atomBytes * times;
        }
        return (parts.Count == 0 ? "\"\"" : string.Join(" ", parts), bytes);
    }

    private (string, long) Atom(int end)
    {
        char c = _pattern[_at++];
        switch (c)
        {
            case '(':
                if (_at < end && _pattern[_at] == '?')
                {
                    if (_at + 1 < end && _pattern[_at + 1] == ':')
                    {
                        _at += 2;
                    }
                    else
                    {
                        throw new NotSupportedException($"pattern '{_pattern}': look-arounds and named groups are not supported");
                    }
                }
                var (inner, bytes) = Alternation(end);
                if (_at >= end || _pattern[_at] != ')')
                {
                    throw new NotSupportedException($"pattern '{_pattern}': unclosed group");
                }
                _at++;
                return ($"({inner})", bytes);
            case '[':
                return Emit(Class(end));
            case '.':
                return Emit(Full());
            case '\\':
                return Emit(Escape(end));
            case '*' or '+' or '?' or '{':
                throw new NotSupportedException($"pattern '{_pattern}': quantifier '{c}' with nothing before it");
            default:
                return Emit(Single(c));
        }
    }

    private (string, int) Quantifier(int end)
    {
        if (_at >= end)
        {
            return ("", 1);
        }
        (string, int) result;
        switch (_pattern[_at])
        {
            case '*':
                _at++;
                _bounded = false;
                result = ("*", 1);
                break;
            case '+':
                _at++;
                _bounded = false;
                result = ("+", 1);
                break;
            case '?':
                _at++;
                result = ("?", 1);
                break;
            case '{':
                int close = _pattern.IndexOf('}', _at);
                if (close < 0 || close >= end)
                {
                    return ("", 1);
                }
                var range = _pattern[(_at + 1)..close].Split(',');
                _at = close + 1;
                int min = int.Parse(range[0], CultureInfo.InvariantCulture);
                if (range.Length == 1)
                {
                    result = ($"{{{min}}}", min);
                }
                else if (range[1].Length == 0)
                {
                    _bounded = false;
                    result = ($"{{{min},}}", Math.Max(min, 1));
                }
                else
                {
                    int max = int.Parse(range[1], CultureInfo.InvariantCulture);
                    result = ($"{{{min},{max}}}", max);
                }
                break;
            default:
                return ("", 1);
        }
        if (_at < end && _pattern[_at] == '?')
        {
            _at++; // lazy or greedy: the same language
        }
        return result;
    }

    private bool[] Class(int end)
    {
        bool negate = _at < end && _pattern[_at] == '^';
        if (negate)
        {
            _at++;
        }
        var set = new bool[128];
        bool first = true;
        while (_at < end && (_pattern[_at] != ']' || first))
        {
            first = false;
            bool[] item;
            char low;
            if (_pattern[_at] == '\\')
            {
                _at++;
                item = Escape(end);
                low = item.Count(b => b) == 1 ? (char)System.Array.IndexOf(item, true) : '\0';
            }
            else
            {
                low = _pattern[_at++];
                item = Single(low);
            }
            if (low != '\0' && _at + 1 < end && _pattern[_at] == '-' && _pattern[_at + 1] != ']')
            {
                _at++;
                char high = _pattern[_at] == '\\' ? _pattern[++_at] : _pattern[_at];
                _at++;
                item = new bool[128];
                for (int ch = low; ch <= high && ch < 128; ch++)
                {
                    item[ch] = true;
                }
            }
            for (int i = 0; i < 128; i++)
            {
                set[i] |= item[i];
            }
        }
        if (_at >= end)
        {
            throw new NotSupportedException($"pattern '{_pattern}': unclosed character class");
        }
        _at++;
        if (negate)
        {
            for (int i = 0; i < 128; i++)
            {
                set[i] = !set[i];
            }
        }
        return set;
    }

    private bool[] Escape(int end)
    {
        if (_at >= end)
        {
            throw new NotSupportedException($"pattern '{_pattern}' ends with '\\'");
        }
        char c = _pattern[_at++];
        return c switch
        {
            'd' => Where(ch => ch is >= '0' and <= '9'),
            'D' => Where(ch => ch is not (>= '0' and <= '9')),
            'w' => Where(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'),
            'W' => Where(ch => !(char.IsAsciiLetterOrDigit(ch) || ch == '_')),
            's' => Single(' '),
            'S' => Where(ch => ch != ' '),
            _ when char.IsAsciiLetterOrDigit(c) => throw new NotSupportedException($"pattern '{_pattern}': '\\{c}' is not supported"),
            _ => Single(c),
        };
    }

    private static bool[] Single(char c)
    {
        var set = new bool[128];
        if (c < 128)
        {
            set[c] = true;
        }
        return set;
    }

    private static bool[] Where(Func<char, bool> predicate)
    {
        var set = new bool[128];
        for (int i = 0; i < 128; i++)
        {
            set[i] = predicate((char)i);
        }
        return set;
    }

    private static bool[] Full() => Where(_ => true);

    // A set of characters as a GBNF expression over JSON string text: printable ASCII only, '"' and '\' escaped.
    private static (string, long) Emit(bool[] set)
    {
        var plain = new bool[128];
        for (int i = First; i <= Last; i++)
        {
            plain[i] = set[i] && i is not ('"' or '\\');
        }
        var options = new List<string>();
        if (plain.Any(b => b))
        {
            options.Add(Set(plain));
        }
        if (set['"'])
        {
            options.Add("\"\\\\\\\"\"");
        }
        if (set['\\'])
        {
            options.Add("\"\\\\\\\\\"");
        }
        if (options.Count == 0)
        {
            throw new NotSupportedException("a character class of the pattern admits no printable ASCII character");
        }
        long bytes = set['"'] || set['\\'] ? 2 : 1;
        return (options.Count == 1 ? options[0] : "(" + string.Join(" | ", options) + ")", bytes);
    }

    private static string Set(bool[] set)
    {
        var text = new StringBuilder("[");
        for (int i = First; i <= Last; i++)
        {
            if (!set[i] || i is '"' or '\\')
            {
                continue;
            }
            int j = i;
            while (j + 1 <= Last && set[j + 1] && j + 1 is not ('"' or '\\'))
            {
                j++;
            }
            text.Append(CultureInfo.InvariantCulture, $"\\x{i:X2}");
            if (j > i)
            {
                text.Append(CultureInfo.InvariantCulture, $"-\\x{j:X2}");
            }
            i = j;
        }
        return text.Append(']').ToString();
    }
}
