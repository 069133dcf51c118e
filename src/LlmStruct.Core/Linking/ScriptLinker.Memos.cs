using System.Runtime.CompilerServices;
using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>What a link remembers while it resolves calls: answers per module, and the per-call memo.</summary>
internal abstract partial class ScriptLinker
{
    /// <summary>One distinct callee text of a module: its parts, how it starts, and its answer at module level once known.</summary>
    private sealed class CalleeInfo(string[]? parts, bool viaSuper, bool viaSelf, bool maybeLocal)
    {
        public string[]? Parts { get; } = parts;

        /// <summary><c>super().m</c> (Python), <c>super.m</c> (JavaScript): <see cref="Parts"/> are those after <c>super</c>.</summary>
        public bool ViaSuper { get; } = viaSuper;

        /// <summary>The first part is a receiver name (<c>self</c>, <c>this</c>).</summary>
        public bool ViaSelf { get; } = viaSelf;

        /// <summary>
        /// Some dotted qualified name of the module ends with the first part, so an enclosing function may define it; when
        /// false, <see cref="ResolveLexical"/> is certain to find nothing (it looks up <c>scope.part</c>).
        /// </summary>
        public bool MaybeLocal { get; } = maybeLocal;

        public bool AtModuleKnown { get; set; }

        public string? AtModule { get; set; }
    }

    /// <summary>
    /// What is already known about one module's calls, on this thread: each distinct callee (<see cref="CalleeInfo"/>)
    /// and answers by (class, callee) for calls through self. A module's calls are resolved one after the other on one
    /// thread, so the table is kept for the last module (and index) asked about and made anew for the next.
    /// </summary>
    private sealed class ModuleResults
    {
        [ThreadStatic]
        private static ModuleResults? t_last;

        // Weak: a thread whose last link this was must not keep that document and its index alive afterwards.
        private readonly WeakReference<ModuleInfo> _module = new(null!);
        private readonly WeakReference<LinkIndex> _index = new(null!);
        private HashSet<string>? _lastSegments;
        private readonly Dictionary<string, CalleeInfo> _callees = new(StringComparer.Ordinal);

        public Dictionary<(Definition Owner, CalleeInfo Callee), string?> ByClass { get; } = new(OwnerAndCallee.Instance);

        public static ModuleResults For(ModuleInfo module, LinkIndex index)
        {
            var last = t_last ??= new ModuleResults();
            if (!last._module.TryGetTarget(out var known) || !ReferenceEquals(known, module)
                || !last._index.TryGetTarget(out var knownIndex) || !ReferenceEquals(knownIndex, index))
            {
                last._callees.Clear();
                last.ByClass.Clear();
                last._lastSegments = null;
                last._module.SetTarget(module);
                last._index.SetTarget(index);
            }
            return last;
        }

        public CalleeInfo Callee(string text, ScriptLinker linker, ModuleInfo module, LinkIndex index)
        {
            ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_callees, text, out bool exists);
            if (!exists)
            {
                slot = Make(text, linker, module, index);
            }
            return slot!;
        }

        private CalleeInfo Make(string text, ScriptLinker linker, ModuleInfo module, LinkIndex index)
        {
            bool viaSuper = text.StartsWith("super().", StringComparison.Ordinal) || text.StartsWith("super.", StringComparison.Ordinal);
            var parts = viaSuper ? CalleeText.Split(text[(text.IndexOf('.') + 1)..]) : SplitCached(text);
            if (parts is null)
            {
                return new CalleeInfo(null, false, false, false);
            }
            bool viaSelf = !viaSuper && linker.SelfNames.Contains(parts[0]);
            bool maybeLocal = !viaSuper && !viaSelf && LastSegments(module, index).Contains(parts[0]);
            return new CalleeInfo(parts, viaSuper, viaSelf, maybeLocal);
        }

        // The last dotted segment of every dotted qualified name of the module (as the index holds it): what
        // ResolveLexical can find is always some enclosing scope's name, a dot, then the name.
        private HashSet<string> LastSegments(ModuleInfo module, LinkIndex index)
        {
            if (_lastSegments is { } known)
            {
                return known;
            }
            var names = index.Entry(module.Path)?.Names;
            var segments = new HashSet<string>(names?.Count ?? 0, StringComparer.Ordinal);
            foreach (var (qualified, definition) in names ?? [])
            {
                int dot = qualified.LastIndexOf('.');
                if (dot < 0)
                {
                    continue;
                }
                // The definition's own name is that segment as a rule: no string is made for it then.
                var segment = qualified.AsSpan(dot + 1);
                segments.Add(segment.SequenceEqual(definition.Name) ? definition.Name : segment.ToString());
            }
            return _lastSegments = segments;
        }

        private sealed class OwnerAndCallee : IEqualityComparer<(Definition Owner, CalleeInfo Callee)>
        {
            public static readonly OwnerAndCallee Instance = new();

            public bool Equals((Definition Owner, CalleeInfo Callee) x, (Definition Owner, CalleeInfo Callee) y) =>
                ReferenceEquals(x.Owner, y.Owner) && ReferenceEquals(x.Callee, y.Callee);

            public int GetHashCode((Definition Owner, CalleeInfo Callee) key) =>
                HashCode.Combine(RuntimeHelpers.GetHashCode(key.Owner), RuntimeHelpers.GetHashCode(key.Callee));
        }
    }

    /// <summary>
    /// The per-call memo: results and keys in progress. Most calls touch a handful of keys, kept in a short list
    /// compared ordinally; a call that walks far (star-import chains, deep re-exports) moves its results into a
    /// dictionary so its lookups stay constant-time.
    /// </summary>
    private sealed class CallMemo
    {
        private const int ListLimit = 8;
        private readonly Key[] _list = new Key[ListLimit];
        private readonly Symbol?[] _listValues = new Symbol?[ListLimit];
        private int _listCount;
        private Dictionary<Key, Symbol?>? _large;

        // Keys in progress form a stack as deep as the recursion (bounded by MaxDepth per kind of step): a list.
        private Key[] _busy = new Key[16];
        private int _busyCount;

        public void Reset()
        {
            Array.Clear(_list, 0, _listCount);
            _listCount = 0;
            if (_large is not null)
            {
                // Clearing costs the capacity, not the count: a dictionary that grew large is dropped instead.
                _large = _large.Count > 256 ? null : _large;
                _large?.Clear();
            }
            Array.Clear(_busy, 0, _busyCount);
            _busyCount = 0;
        }

        public bool TryGet(string? a, string? b, string c, out Symbol? value)
        {
            var key = new Key(a, b, c);
            for (int i = 0; i < _listCount; i++)
            {
                if (KeyComparer.Same(_list[i], key))
                {
                    value = _listValues[i];
                    return true;
                }
            }
            if (_large is { Count: > 0 } && _large.TryGetValue(key, out value))
            {
                return true;
            }
            value = null;
            return false;
        }

        /// <summary>Marks a key in progress; false when it already is (a cycle).</summary>
        public bool Begin(string? a, string? b, string c)
        {
            var key = new Key(a, b, c);
            for (int i = 0; i < _busyCount; i++)
            {
                if (KeyComparer.Same(_busy[i], key))
                {
                    return false;
                }
            }
            if (_busyCount == _busy.Length)
            {
                Array.Resize(ref _busy, _busy.Length * 2);
            }
            _busy[_busyCount++] = key;
            return true;
        }

        public void End(string? a, string? b, string c, Symbol? value)
        {
            var key = new Key(a, b, c);
            for (int i = _busyCount - 1; i >= 0; i--)
            {
                if (KeyComparer.Same(_busy[i], key))
                {
                    Array.Copy(_busy, i + 1, _busy, i, _busyCount - i - 1);
                    _busy[--_busyCount] = default;
                    break;
                }
            }
            // Like a dictionary's indexer: a key completed twice keeps the last result.
            for (int i = 0; i < _listCount; i++)
            {
                if (KeyComparer.Same(_list[i], key))
                {
                    _listValues[i] = value;
                    return;
                }
            }
            if (_listCount < ListLimit && _large is not { Count: > 0 })
            {
                _list[_listCount] = key;
                _listValues[_listCount++] = value;
                return;
            }
            (_large ??= new Dictionary<Key, Symbol?>(KeyComparer.Instance))[key] = value;
        }

        private readonly record struct Key(string? A, string? B, string C);

        // Ordinal equality and a cheap non-randomized hash (the keys are short paths and names, looked up per call).
        private sealed class KeyComparer : IEqualityComparer<Key>
        {
            public static readonly KeyComparer Instance = new();

            public static bool Same(Key x, Key y) =>
                string.Equals(x.C, y.C, StringComparison.Ordinal) && string.Equals(x.A, y.A, StringComparison.Ordinal) && string.Equals(x.B, y.B, StringComparison.Ordinal);

            public bool Equals(Key x, Key y) => Same(x, y);

            // The name, hashed fully, with the lengths of the other two: collisions only cost an equality check.
            public int GetHashCode(Key key) => HashCode.Combine(string.GetHashCode(key.C.AsSpan()), key.A?.Length ?? -1, key.B?.Length ?? -1);
        }
    }
}
