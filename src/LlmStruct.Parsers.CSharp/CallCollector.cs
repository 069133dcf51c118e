using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Parsers.CSharp;

/// <summary>Counts calls per distinct callee text, keeping the first line each was seen on.</summary>
internal sealed class CallCollector
{
    private readonly Dictionary<string, (int Line, int Count)> _calls = new(StringComparer.Ordinal);

    public void Add(string callee, int line)
    {
        if (callee.Length == 0)
        {
            return;
        }
        _calls[callee] = _calls.TryGetValue(callee, out var seen)
            ? (Math.Min(seen.Line, line), seen.Count + 1)
            : (line, 1);
    }

    /// <summary>The calls, ordered by first line then callee.</summary>
    public ImmutableArray<CallInfo> ToCalls() =>
    [
        .. _calls
            .OrderBy(c => c.Value.Line)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new CallInfo { Callee = c.Key, Line = c.Value.Line, Count = c.Value.Count }),
    ];
}
