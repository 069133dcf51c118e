using System.Runtime.CompilerServices;
using System.Text;

namespace LlmStruct.Llm.Cloud;

/// <summary>
/// Reads the <c>data</c> of each event of a <c>text/event-stream</c> body (the WHATWG format: <c>field: value</c> lines,
/// events ended by a blank line, several <c>data</c> lines joined by newlines, comments and other fields ignored).
/// </summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<string> ReadDataAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var data = new StringBuilder();
        bool hasData = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                    data.Clear();
                    hasData = false;
                }
                continue;
            }
            if (line.StartsWith(':'))
            {
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            if (field != "data")
            {
                continue;
            }
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            if (hasData)
            {
                data.Append('\n');
            }
            data.Append(value);
            hasData = true;
        }
        if (hasData)
        {
            yield return data.ToString();
        }
    }
}
