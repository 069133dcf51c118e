using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmStruct.Parsers.Python;

/// <summary>
/// One string instance per distinct short text, per thread: names, callees, annotations and defaults repeat a great
/// deal across a project (<c>self</c> is a third of all parameter names, a few thousand callee texts cover most
/// calls), and the parsed model lives until struct.json is written. Sharing them keeps that model, and the garbage
/// collector's work on it, about a fifth smaller. Bounded: the pool starts over (in the same table) when it grows large.
/// </summary>
/// <remarks>
/// Every name the parser reads goes through here (a few million lookups over a large library), so the table is its
/// own: open addressing over one array of (hash, text) pairs with a hash that reads eight bytes at a time, instead
/// of a dictionary's comparer calls and per-character hash. It is kept small (8,192 texts, a 256 KB table) so that
/// it stays in a core's L2 cache beside the parser's own data: with 131,072 texts (a 4 MB table) a single-threaded
/// parse of the Python library spent about a quarter more CPU time in the parser. Frequent texts come back within a
/// few files after a reset: a parse of the library allocated 382 MB with the small table against 390 MB with the large one.
/// </remarks>
internal sealed class TextPool
{
    private const int MaxLength = 64;
    private const int MaxEntries = 1 << 13;
    private const int InitialCapacity = 1 << 12;

    [ThreadStatic]
    private static TextPool? t_pool;

    private Entry[] _entries = new Entry[InitialCapacity];
    private int _count;

    private struct Entry
    {
        public int Hash;
        public string? Text;
    }

    /// <summary>The pooled string with these characters (a new one the first time).</summary>
    public static string Intern(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxLength)
        {
            return text.ToString();
        }
        return text.Length == 0 ? string.Empty : (t_pool ??= new TextPool()).Find(text);
    }

    /// <summary>The pooled string equal to <paramref name="text"/>.</summary>
    public static string Intern(string text) => text.Length > MaxLength ? text : Intern(text.AsSpan());

    private string Find(ReadOnlySpan<char> text)
    {
        int hash = Hash(text);
        var entries = _entries;
        int mask = entries.Length - 1;
        int i = hash & mask;
        while (entries[i].Text is { } known)
        {
            if (entries[i].Hash == hash && text.SequenceEqual(known))
            {
                return known;
            }
            i = (i + 1) & mask;
        }
        var made = text.ToString();
        if (_count >= MaxEntries)
        {
            // Start over in the same table: it is at its largest size already, and a fresh one would be grown
            // through every size again, each step a new block of untouched memory.
            Array.Clear(entries);
            _count = 0;
            Add(entries, hash, made);
        }
        else if ((_count + 1) * 2 > entries.Length)
        {
            Grow();
            Add(_entries, hash, made);
        }
        else
        {
            entries[i] = new Entry { Hash = hash, Text = made };
        }
        _count++;
        return made;
    }

    private void Grow()
    {
        var bigger = new Entry[_entries.Length * 2];
        foreach (var entry in _entries)
        {
            if (entry.Text is not null)
            {
                Add(bigger, entry.Hash, entry.Text);
            }
        }
        _entries = bigger;
    }

    private static void Add(Entry[] entries, int hash, string text)
    {
        int mask = entries.Length - 1;
        int i = hash & mask;
        while (entries[i].Text is not null)
        {
            i = (i + 1) & mask;
        }
        entries[i] = new Entry { Hash = hash, Text = text };
    }

    /// <summary>A 32-bit hash of the characters, eight bytes per step (the last step overlaps the one before).</summary>
    internal static int Hash(ReadOnlySpan<char> text)
    {
        const ulong K = 0x9E3779B97F4A7C15UL;
        ref byte start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(text));
        int bytes = text.Length * sizeof(char);
        ulong h = (ulong)bytes * K;
        if (bytes >= 8)
        {
            int at = 0;
            for (; at + 8 <= bytes; at += 8)
            {
                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, at))) * K;
                h ^= h >> 29;
            }
            if (at < bytes)
            {
                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes - 8))) * K;
                h ^= h >> 29;
            }
        }
        else
        {
            ulong v = bytes >= 4
                ? Unsafe.ReadUnaligned<uint>(ref start) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, bytes - 4)) << 32)
                : Unsafe.ReadUnaligned<ushort>(ref start);
            h = (h ^ v) * K;
            h ^= h >> 29;
        }
        h *= K;
        return (int)(h >> 32) ^ (int)h;
    }
}
