using System.Buffers;
using System.Numerics;

namespace LlmStruct.Discovery;

/// <summary>
/// An include/exclude glob from <c>llmstruct.toml</c>, matched against '/'-separated paths relative to the project root.
/// </summary>
/// <remarks>
/// <para>Syntax: <c>*</c> matches any run of characters except '/'; <c>?</c> one character except '/';
/// <c>[abc]</c>, <c>[a-z]</c>, <c>[!a-z]</c> (or <c>[^a-z]</c>) and POSIX classes such as <c>[[:digit:]]</c> one
/// character except '/'; <c>{a,b}</c> either alternative (alternatives nest); <c>\x</c> the character x literally.</para>
/// <para><c>**</c> as a whole path segment matches any number of segments, including zero: <c>src/**/*.py</c> matches
/// <c>src/a.py</c> and <c>src/x/y/a.py</c>; a trailing <c>/**</c> matches the directory itself and everything below it;
/// <c>**</c> elsewhere in a segment behaves like <c>*</c>. A trailing '/' means the same as a trailing <c>/**</c>.</para>
/// <para>A pattern without any '/' matches the file name at any depth (<c>*.py</c> matches <c>a/b/c.py</c>); a pattern
/// with a '/' is anchored at the root (a leading '/' or './' is allowed and ignored). Matching is ordinal and
/// case-sensitive, runs in time linear in the path length (a compiled automaton, no backtracking) and does not
/// allocate.</para>
/// </remarks>
public sealed class Glob
{
    private const int MaxPatternLength = 4096;
    private readonly PathAutomaton _automaton;

    private Glob(string pattern, PathAutomaton automaton)
    {
        Pattern = pattern;
        _automaton = automaton;
    }

    /// <summary>The pattern text this glob was parsed from.</summary>
    public string Pattern { get; }

    /// <summary>Parses and compiles a glob.</summary>
    /// <param name="pattern">The glob text, for example <c>src/**/*.py</c> or <c>*.{js,jsx}</c>.</param>
    /// <returns>The compiled glob.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="FormatException">The pattern is empty, too long, or has an unclosed '[' or '{' or a dangling '\'.</exception>
    public static Glob Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length > MaxPatternLength)
        {
            throw new FormatException($"Glob is longer than {MaxPatternLength} characters.");
        }

        var body = pattern;
        while (body.StartsWith("./", StringComparison.Ordinal))
        {
            body = body[2..];
        }

        body = body.TrimStart('/');
        if (body.EndsWith('/') && !body.EndsWith("\\/", StringComparison.Ordinal))
        {
            body = body.TrimEnd('/') + "/**";
        }

        if (body.Length == 0 || body == "/**")
        {
            throw new FormatException($"Glob '{pattern}' is empty.");
        }

        var parser = new GlobSyntax(body, pattern);
        var atoms = parser.ParseSequence(nested: false);
        if (!parser.HasSlash)
        {
            atoms.Insert(0, PathAtom.DirPrefix);
        }

        return new Glob(pattern, PathAutomaton.Compile(atoms));
    }

    /// <summary>Tests a path against the glob.</summary>
    /// <param name="relativePath">A '/'-separated path relative to the project root, without a leading '/'.</param>
    /// <returns>True when the whole path matches.</returns>
    public bool IsMatch(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return _automaton.IsMatch(relativePath);
    }

    /// <inheritdoc/>
    public override string ToString() => Pattern;

    /// <summary>Recursive-descent parser from glob text to <see cref="PathAtom"/>s.</summary>
    private sealed class GlobSyntax(string text, string original)
    {
        private int _pos;

        public bool HasSlash { get; private set; }

        public List<PathAtom> ParseSequence(bool nested)
        {
            var atoms = new List<PathAtom>();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (nested && (c == ',' || c == '}'))
                {
                    return atoms;
                }

                switch (c)
                {
                    case '\\':
                        if (_pos + 1 >= text.Length)
                        {
                            throw new FormatException($"Glob '{original}' ends with a dangling '\\'.");
                        }

                        if (text[_pos + 1] == '/')
                        {
                            HasSlash = true;
                        }

                        atoms.Add(PathAtom.Literal(text[_pos + 1]));
                        _pos += 2;
                        break;
                    case '?':
                        atoms.Add(PathAtom.One);
                        _pos++;
                        break;
                    case '[':
                        if (!CharClass.TryParse(text, _pos, out var cls, out var next))
                        {
                            throw new FormatException($"Glob '{original}' has an unclosed or malformed '[' at {_pos + 1}.");
                        }

                        atoms.Add(PathAtom.Class(cls));
                        _pos = next;
                        break;
                    case '{':
                        atoms.Add(ParseAlternatives());
                        break;
                    case '*':
                        atoms.Add(ParseStars());
                        break;
                    case '/':
                        HasSlash = true;
                        if (IsTrailingDoubleStar(_pos + 1))
                        {
                            atoms.Add(PathAtom.SlashRest);
                            _pos += 3;
                        }
                        else
                        {
                            atoms.Add(PathAtom.Literal('/'));
                            _pos++;
                        }

                        break;
                    default:
                        atoms.Add(PathAtom.Literal(c));
                        _pos++;
                        break;
                }
            }

            return atoms;
        }

        private PathAtom ParseAlternatives()
        {
            var open = _pos;
            _pos++;
            var branches = new List<List<PathAtom>>();
            while (true)
            {
                branches.Add(ParseSequence(nested: true));
                if (_pos >= text.Length)
                {
                    throw new FormatException($"Glob '{original}' has an unclosed '{{' at {open + 1}.");
                }

                var c = text[_pos++];
                if (c == '}')
                {
                    return PathAtom.Alternatives(branches);
                }
            }
        }

        private PathAtom ParseStars()
        {
            var start = _pos;
            while (_pos < text.Length && text[_pos] == '*')
            {
                _pos++;
            }

            var run = _pos - start;
            var boundaryBefore = start == 0 || text[start - 1] is '/' or '{' or ',';
            var boundaryAfter = _pos == text.Length || text[_pos] is '/' or ',' or '}';
            if (run < 2 || !boundaryBefore || !boundaryAfter)
            {
                return PathAtom.Star;
            }

            if (_pos < text.Length && text[_pos] == '/')
            {
                HasSlash = true;
                _pos++;
                return PathAtom.DirPrefix;
            }

            return PathAtom.AnyStar;
        }

        private bool IsTrailingDoubleStar(int at)
        {
            var end = at;
            while (end < text.Length && text[end] == '*')
            {
                end++;
            }

            return end - at == 2 && (end == text.Length || text[end] is ',' or '}');
        }
    }
}

/// <summary>One element of a compiled path pattern, in the order it must match.</summary>
internal abstract record PathAtom
{
    /// <summary>Any run of characters except '/'.</summary>
    public static readonly PathAtom Star = new Simple(PathAtomKind.Star);

    /// <summary>Any run of characters, '/' included.</summary>
    public static readonly PathAtom AnyStar = new Simple(PathAtomKind.AnyStar);

    /// <summary>One character except '/'.</summary>
    public static readonly PathAtom One = new Simple(PathAtomKind.One);

    /// <summary>Nothing, or any run of characters that ends with '/': zero or more leading directories.</summary>
    public static readonly PathAtom DirPrefix = new Simple(PathAtomKind.DirPrefix);

    /// <summary>Nothing, or '/' followed by anything: the directory itself or anything below it.</summary>
    public static readonly PathAtom SlashRest = new Simple(PathAtomKind.SlashRest);

    /// <summary>Matches no input at all (a malformed pattern).</summary>
    public static readonly PathAtom Never = new Simple(PathAtomKind.Never);

    public static PathAtom Literal(char c) => new LiteralAtom(c);

    public static PathAtom Class(CharClass cls) => new ClassAtom(cls);

    public static PathAtom Alternatives(List<List<PathAtom>> branches) => new AlternativesAtom(branches);

    internal sealed record Simple(PathAtomKind Kind) : PathAtom;

    internal sealed record LiteralAtom(char Char) : PathAtom;

    internal sealed record ClassAtom(CharClass Set) : PathAtom;

    internal sealed record AlternativesAtom(List<List<PathAtom>> Branches) : PathAtom;
}

/// <summary>The kinds of <see cref="PathAtom.Simple"/>.</summary>
internal enum PathAtomKind
{
    Star,
    AnyStar,
    One,
    DirPrefix,
    SlashRest,
    Never,
}

/// <summary>
/// A Thompson automaton over characters, simulated state-set by state-set: time is O(path length × states),
/// never exponential, and matching uses stack (or pooled) memory only.
/// </summary>
internal sealed class PathAutomaton
{
    private const int StackStates = 256;
    private const int AcceptState = 0;

    private readonly StateKind[] _kinds;
    private readonly char[] _chars;
    private readonly CharClass?[] _classes;
    private readonly int[] _targets;
    private readonly int[] _closureStart;
    private readonly int[] _closureItems;
    private readonly int _start;
    private readonly string _prefix;
    private readonly string _suffix;

    private PathAutomaton(Builder b, string prefix, string suffix)
    {
        _prefix = prefix;
        _suffix = suffix;
        _kinds = [.. b.Kinds];
        _chars = [.. b.Chars];
        _classes = [.. b.Classes];
        _targets = [.. b.Targets];
        _start = b.Start;
        var count = _kinds.Length;

        // The epsilon closure of every state, as the list of consuming (or accepting) states it reaches.
        _closureStart = new int[count + 1];
        var items = new List<int>();
        var seen = new bool[count];
        var stack = new Stack<int>();
        var touched = new List<int>();
        for (var s = 0; s < count; s++)
        {
            _closureStart[s] = items.Count;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var q = stack.Pop();
                if (seen[q])
                {
                    continue;
                }

                seen[q] = true;
                touched.Add(q);
                if (_kinds[q] == StateKind.Split)
                {
                    var edges = b.Splits[q]!;
                    for (var i = edges.Count - 1; i >= 0; i--)
                    {
                        stack.Push(edges[i]);
                    }
                }
                else
                {
                    items.Add(q);
                }
            }

            foreach (var q in touched)
            {
                seen[q] = false;
            }

            touched.Clear();
        }

        _closureStart[count] = items.Count;
        _closureItems = [.. items];
    }

    private enum StateKind : byte
    {
        Accept,
        Char,
        NotSlash,
        AnyChar,
        Class,
        Split,
    }

    /// <summary>Compiles a sequence of atoms that must match the whole input.</summary>
    public static PathAutomaton Compile(IReadOnlyList<PathAtom> atoms)
    {
        var b = new Builder();
        b.Start = b.CompileSequence(atoms, AcceptState);

        // Literal text every match must start and end with: a cheap filter that rejects most paths before simulation.
        var lead = 0;
        while (lead < atoms.Count && atoms[lead] is PathAtom.LiteralAtom)
        {
            lead++;
        }

        var trail = atoms.Count;
        while (trail > lead && atoms[trail - 1] is PathAtom.LiteralAtom)
        {
            trail--;
        }

        static string Text(IEnumerable<PathAtom> literals) => new([.. literals.Cast<PathAtom.LiteralAtom>().Select(l => l.Char)]);
        return new PathAutomaton(b, Text(atoms.Take(lead)), Text(atoms.Skip(trail)));
    }

    /// <summary>Whether the automaton accepts the whole of <paramref name="text"/>.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        if (text.Length < _prefix.Length + _suffix.Length
            || !text.StartsWith(_prefix, StringComparison.Ordinal)
            || !text.EndsWith(_suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var count = _kinds.Length;
        var words = (count + 63) >> 6;
        int[]? rentedInts = null;
        ulong[]? rentedBits = null;
        var ints = count <= StackStates ? stackalloc int[2 * count] : (rentedInts = ArrayPool<int>.Shared.Rent(2 * count));
        var bits = count <= StackStates
            ? stackalloc ulong[2 * words]
            : (rentedBits = ArrayPool<ulong>.Shared.Rent(2 * words));
        try
        {
            var cur = ints[..count];
            var nxt = ints.Slice(count, count);
            var curBits = bits[..words];
            var nxtBits = bits.Slice(words, words);
            curBits.Clear();
            nxtBits.Clear();
            var curCount = AddClosure(_start, cur, curBits, 0);
            foreach (var c in text)
            {
                if (curCount == 0)
                {
                    return false;
                }

                var nxtCount = 0;
                for (var i = 0; i < curCount; i++)
                {
                    var s = cur[i];
                    if (Consumes(s, c))
                    {
                        nxtCount = AddClosure(_targets[s], nxt, nxtBits, nxtCount);
                    }
                }

                for (var i = 0; i < curCount; i++)
                {
                    curBits[cur[i] >> 6] = 0;
                }

                var tmp = cur;
                cur = nxt;
                nxt = tmp;
                var tmpBits = curBits;
                curBits = nxtBits;
                nxtBits = tmpBits;
                curCount = nxtCount;
            }

            return curCount > 0 && (curBits[0] & 1UL) != 0;
        }
        finally
        {
            if (rentedInts is not null)
            {
                ArrayPool<int>.Shared.Return(rentedInts);
            }

            if (rentedBits is not null)
            {
                ArrayPool<ulong>.Shared.Return(rentedBits);
            }
        }
    }

    private int AddClosure(int state, Span<int> list, Span<ulong> set, int count)
    {
        var end = _closureStart[state + 1];
        for (var k = _closureStart[state]; k < end; k++)
        {
            var q = _closureItems[k];
            var mask = 1UL << (q & 63);
            ref var word = ref set[q >> 6];
            if ((word & mask) == 0)
            {
                word |= mask;
                list[count++] = q;
            }
        }

        return count;
    }

    private bool Consumes(int state, char c) => _kinds[state] switch
    {
        StateKind.Char => _chars[state] == c,
        StateKind.NotSlash => c != '/',
        StateKind.AnyChar => true,
        StateKind.Class => _classes[state]!.Matches(c),
        _ => false,
    };

    /// <summary>Builds states backwards: each atom is compiled knowing the state that follows it.</summary>
    private sealed class Builder
    {
        public List<StateKind> Kinds { get; } = [StateKind.Accept];

        public List<char> Chars { get; } = ['\0'];

        public List<CharClass?> Classes { get; } = [null];

        public List<int> Targets { get; } = [-1];

        public List<List<int>?> Splits { get; } = [null];

        public int Start { get; set; }

        public int CompileSequence(IReadOnlyList<PathAtom> atoms, int next)
        {
            for (var i = atoms.Count - 1; i >= 0; i--)
            {
                next = CompileAtom(atoms[i], next);
            }

            return next;
        }

        private int CompileAtom(PathAtom atom, int next)
        {
            switch (atom)
            {
                case PathAtom.LiteralAtom lit:
                    return Add(StateKind.Char, lit.Char, null, next);
                case PathAtom.ClassAtom cls:
                    return Add(StateKind.Class, '\0', cls.Set, next);
                case PathAtom.AlternativesAtom alt:
                {
                    var split = AddSplit();
                    foreach (var branch in alt.Branches)
                    {
                        Splits[split]!.Add(CompileSequence(branch, next));
                    }

                    return split;
                }

                case PathAtom.Simple simple:
                    switch (simple.Kind)
                    {
                        case PathAtomKind.One:
                            return Add(StateKind.NotSlash, '\0', null, next);
                        case PathAtomKind.Star:
                            return Loop(StateKind.NotSlash, next);
                        case PathAtomKind.AnyStar:
                            return Loop(StateKind.AnyChar, next);
                        case PathAtomKind.DirPrefix:
                        {
                            var slash = Add(StateKind.Char, '/', null, next);
                            var split = AddSplit();
                            Splits[split]!.Add(next);
                            Splits[split]!.Add(Loop(StateKind.AnyChar, slash));
                            return split;
                        }

                        case PathAtomKind.SlashRest:
                        {
                            var slash = Add(StateKind.Char, '/', null, Loop(StateKind.AnyChar, next));
                            var split = AddSplit();
                            Splits[split]!.Add(next);
                            Splits[split]!.Add(slash);
                            return split;
                        }

                        default:
                            return AddSplit();
                    }

                default:
                    throw new InvalidOperationException("Unknown path atom.");
            }
        }

        private int Loop(StateKind consume, int next)
        {
            var split = AddSplit();
            var body = Add(consume, '\0', null, split);
            Splits[split]!.Add(body);
            Splits[split]!.Add(next);
            return split;
        }

        private int Add(StateKind kind, char c, CharClass? cls, int target)
        {
            Kinds.Add(kind);
            Chars.Add(c);
            Classes.Add(cls);
            Targets.Add(target);
            Splits.Add(null);
            return Kinds.Count - 1;
        }

        private int AddSplit()
        {
            var index = Add(StateKind.Split, '\0', null, -1);
            Splits[index] = [];
            return index;
        }
    }
}

/// <summary>
/// A bracket expression such as <c>[a-z_]</c>, <c>[!0-9]</c> or <c>[[:alpha:]]</c>, read with git's wildmatch rules:
/// a ']' right after the opening (or after '!'/'^') is literal, '-' is literal first or last, '\' escapes, ranges use
/// code-unit order, POSIX classes are ASCII only; it never matches '/'.
/// </summary>
internal sealed class CharClass
{
    private readonly bool _negated;
    private readonly (char Lo, char Hi)[] _ranges;
    private readonly PosixClasses _posix;
    private readonly UInt128 _ascii;

    private CharClass(bool negated, List<(char Lo, char Hi)> ranges, PosixClasses posix)
    {
        _negated = negated;
        _ranges = [.. ranges];
        _posix = posix;
        for (var c = 0; c < 128; c++)
        {
            if (Contains((char)c))
            {
                _ascii |= UInt128.One << c;
            }
        }
    }

    [Flags]
    private enum PosixClasses
    {
        None = 0,
        Alnum = 1 << 0,
        Alpha = 1 << 1,
        Blank = 1 << 2,
        Cntrl = 1 << 3,
        Digit = 1 << 4,
        Graph = 1 << 5,
        Lower = 1 << 6,
        Print = 1 << 7,
        Punct = 1 << 8,
        Space = 1 << 9,
        Upper = 1 << 10,
        Xdigit = 1 << 11,
    }

    /// <summary>Whether the class accepts <paramref name="c"/> ('/' is never accepted).</summary>
    public bool Matches(char c)
    {
        if (c == '/')
        {
            return false;
        }

        var found = c < 128 ? ((_ascii >> c) & UInt128.One) != UInt128.Zero : Contains(c);
        return found != _negated;
    }

    /// <summary>
    /// Reads the bracket expression whose '[' is at <paramref name="open"/>. Returns false when it is unterminated or
    /// names an unknown POSIX class; otherwise <paramref name="next"/> is the index after the closing ']'.
    /// </summary>
    public static bool TryParse(string p, int open, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CharClass? cls, out int next)
    {
        cls = null;
        next = open;
        var ranges = new List<(char Lo, char Hi)>();
        var posix = PosixClasses.None;
        var i = open + 1;
        var negated = i < p.Length && p[i] is '!' or '^';
        if (negated)
        {
            i++;
        }

        var prev = -1;
        var first = true;
        while (true)
        {
            if (i >= p.Length)
            {
                return false;
            }

            var ch = p[i];
            if (ch == ']' && !first)
            {
                next = i + 1;
                cls = new CharClass(negated, ranges, posix);
                return true;
            }

            first = false;
            if (ch == '\\')
            {
                if (++i >= p.Length)
                {
                    return false;
                }

                ranges.Add((p[i], p[i]));
                prev = p[i];
            }
            else if (ch == '-' && prev >= 0 && i + 1 < p.Length && p[i + 1] != ']')
            {
                var hi = p[++i];
                if (hi == '\\')
                {
                    if (++i >= p.Length)
                    {
                        return false;
                    }

                    hi = p[i];
                }

                ranges.Add(((char)prev, hi));
                prev = -1;
            }
            else if (ch == '[' && i + 1 < p.Length && p[i + 1] == ':')
            {
                var nameStart = i + 2;
                var close = p.IndexOf(']', nameStart);
                if (close < 0)
                {
                    return false;
                }

                if (close - nameStart - 1 < 0 || p[close - 1] != ':')
                {
                    // No ":]": the '[' is an ordinary member and reading resumes after it.
                    ranges.Add(('[', '['));
                    prev = '[';
                }
                else
                {
                    var named = Posix(p.AsSpan(nameStart, close - nameStart - 1));
                    if (named == PosixClasses.None)
                    {
                        return false;
                    }

                    posix |= named;
                    prev = -1;
                    i = close;
                }
            }
            else
            {
                ranges.Add((ch, ch));
                prev = ch;
            }

            i++;
        }
    }

    private static PosixClasses Posix(ReadOnlySpan<char> name) => name switch
    {
        "alnum" => PosixClasses.Alnum,
        "alpha" => PosixClasses.Alpha,
        "blank" => PosixClasses.Blank,
        "cntrl" => PosixClasses.Cntrl,
        "digit" => PosixClasses.Digit,
        "graph" => PosixClasses.Graph,
        "lower" => PosixClasses.Lower,
        "print" => PosixClasses.Print,
        "punct" => PosixClasses.Punct,
        "space" => PosixClasses.Space,
        "upper" => PosixClasses.Upper,
        "xdigit" => PosixClasses.Xdigit,
        _ => PosixClasses.None,
    };

    private bool Contains(char c)
    {
        foreach (var (lo, hi) in _ranges)
        {
            if (c >= lo && c <= hi)
            {
                return true;
            }
        }

        return _posix != PosixClasses.None && c < 128 && PosixContains(c);
    }

    private bool PosixContains(char c)
    {
        var graph = c > ' ' && c < 127;
        var alnum = char.IsAsciiLetterOrDigit(c);
        return (Has(PosixClasses.Alnum) && alnum)
            || (Has(PosixClasses.Alpha) && char.IsAsciiLetter(c))
            || (Has(PosixClasses.Blank) && c is ' ' or '\t')
            || (Has(PosixClasses.Cntrl) && (c < ' ' || c == 127))
            || (Has(PosixClasses.Digit) && char.IsAsciiDigit(c))
            || (Has(PosixClasses.Graph) && graph)
            || (Has(PosixClasses.Lower) && char.IsAsciiLetterLower(c))
            || (Has(PosixClasses.Print) && (graph || c == ' '))
            || (Has(PosixClasses.Punct) && graph && !alnum)
            || (Has(PosixClasses.Space) && c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
            || (Has(PosixClasses.Upper) && char.IsAsciiLetterUpper(c))
            || (Has(PosixClasses.Xdigit) && char.IsAsciiHexDigit(c));
    }

    private bool Has(PosixClasses flag) => (_posix & flag) != 0;
}
