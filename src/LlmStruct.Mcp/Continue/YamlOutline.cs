using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LlmStruct.Mcp.Continue;

/// <summary>A YAML node with where its text is: enough to cut entries out of a file and put new ones in, keeping the rest byte for byte.</summary>
/// <param name="Kind">Scalar, Sequence, Mapping or Alias.</param>
/// <param name="Flow">A flow collection (<c>[…]</c>, <c>{…}</c>).</param>
/// <param name="Start">Index of the node's first character (its anchor or tag, if any).</param>
/// <param name="ContentEnd">Index just after its last character; -1 for an empty plain scalar (no text of its own).</param>
/// <param name="Value">A scalar's value.</param>
/// <param name="Null">A scalar that reads as null (empty, <c>~</c>, <c>null</c>).</param>
/// <param name="Items">A sequence's items.</param>
/// <param name="Entries">A mapping's entries: the key's text (null for a non-scalar key), the key node and the value.</param>
internal sealed record YamlNode(
    YamlNodeKind Kind, bool Flow, int Start, int ContentEnd, string? Value, bool Null,
    IReadOnlyList<YamlNode> Items, IReadOnlyList<(string? Key, YamlNode KeyNode, YamlNode Value)> Entries)
{
    /// <summary>A mapping's <c>name</c>, when it is a string.</summary>
    public string? Name => Entries.FirstOrDefault(e => e.Key == "name").Value is { Kind: YamlNodeKind.Scalar, Null: false } name ? name.Value : null;
}

/// <summary>The kinds of <see cref="YamlNode"/>.</summary>
internal enum YamlNodeKind
{
    Scalar,
    Sequence,
    Mapping,
    Alias,
}

/// <summary>
/// Reads a YAML text into <see cref="YamlNode"/>s with YamlDotNet's parser (its events carry source positions; no
/// reflection). Bounded: the text's size is checked by the caller, and nesting deeper than <see cref="MaxDepth"/> is refused.
/// </summary>
internal static class YamlOutline
{
    /// <summary>The deepest nesting read.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The root node of the one document in <paramref name="text"/> (null when there is none: empty or only comments).
    /// Throws <see cref="ContinueConfigException"/> for text that is not YAML, or holds several documents.
    /// </summary>
    public static YamlNode? Read(string text, string where)
    {
        var events = new List<ParsingEvent>();
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                events.Add(parser.Current!);
            }
        }
        catch (YamlException ex)
        {
            throw new ContinueConfigException($"{where}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {Message(ex)}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // The parser's own failures on some inputs (seen: InvalidOperationException from its scanner).
            throw new ContinueConfigException($"{where}: not valid YAML: {ex.Message}", ex);
        }
        int documents = events.Count(e => e is DocumentStart);
        if (documents > 1)
        {
            throw new ContinueConfigException($"{where}: holds {documents} YAML documents; a Continue config is one");
        }
        if (documents == 0)
        {
            return null;
        }
        int index = events.FindIndex(e => e is DocumentStart) + 1;
        return Node(text, events, ref index, 0, where);
    }

    /// <summary>Just after a flow collection's closing bracket (the event's end mark may stand on the bracket itself).</summary>
    private static int FlowEnd(string text, ParsingEvent close)
    {
        int bracket = text.IndexOfAny([']', '}'], Math.Min((int)close.Start.Index, text.Length));
        return bracket < 0 ? (int)close.End.Index : bracket + 1;
    }

    /// <summary>Where a scalar's text ends: a block scalar's end mark lies after the blank lines that follow it.</summary>
    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && text[end - 1] is '\n' or '\r' or ' ' or '\t')
        {
            end--;
        }
        return end;
    }

    private static string Message(YamlException ex) =>
        ex.InnerException is YamlException inner && inner.Message.Length > 0 ? inner.Message : ex.Message;

    private static YamlNode Node(string text, List<ParsingEvent> events, ref int index, int depth, string where)
    {
        if (depth > MaxDepth)
        {
            throw new ContinueConfigException($"{where}: nested deeper than {MaxDepth} levels");
        }
        var first = events[index++];
        switch (first)
        {
            case Scalar scalar:
            {
                bool plain = scalar.Style == ScalarStyle.Plain;
                bool isNull = plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
                int end = plain && scalar.Value.Length == 0 ? -1 : TrimEnd(text, (int)scalar.Start.Index, (int)scalar.End.Index);
                return new YamlNode(YamlNodeKind.Scalar, false, (int)scalar.Start.Index, end, scalar.Value, isNull, [], []);
            }
            case AnchorAlias alias:
                return new YamlNode(YamlNodeKind.Alias, false, (int)alias.Start.Index, (int)alias.End.Index, null, false, [], []);
            case SequenceStart sequence:
            {
                bool flow = sequence.Style == SequenceStyle.Flow;
                var items = new List<YamlNode>();
                while (events[index] is not SequenceEnd)
                {
                    items.Add(Node(text, events, ref index, depth + 1, where));
                }
                var close = events[index++];
                int end = flow ? FlowEnd(text, close) : items.Select(i => i.ContentEnd).DefaultIfEmpty(-1).Max();
                return new YamlNode(YamlNodeKind.Sequence, flow, (int)sequence.Start.Index, end, null, false, items, []);
            }
            case MappingStart mapping:
            {
                bool flow = mapping.Style == MappingStyle.Flow;
                var entries = new List<(string?, YamlNode, YamlNode)>();
                while (events[index] is not MappingEnd)
                {
                    var key = Node(text, events, ref index, depth + 1, where);
                    var value = Node(text, events, ref index, depth + 1, where);
                    entries.Add((key.Kind == YamlNodeKind.Scalar ? key.Value : null, key, value));
                }
                var close = events[index++];
                int end = flow ? FlowEnd(text, close) : entries.Select(e => Math.Max(e.Item2.ContentEnd, e.Item3.ContentEnd)).DefaultIfEmpty(-1).Max();
                return new YamlNode(YamlNodeKind.Mapping, flow, (int)mapping.Start.Index, end, null, false, [], entries);
            }
            default:
                throw new ContinueConfigException($"{where}: unexpected YAML event {first.GetType().Name}");
        }
    }
}
