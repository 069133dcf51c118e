using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Parsing;

/// <summary>What keeps the JavaScript and TypeScript parsers from ever throwing: a large stack, and every failure an error entry.</summary>
internal static class ParseGuard
{
    /// <summary>
    /// Runs <paramref name="parse"/> on a large-stack worker (here, when no worker can be had); cancellation, stack
    /// exhaustion and any other exception become an error entry for <paramref name="path"/>.
    /// </summary>
    public static ParseResult Run(string path, Func<ParseResult> parse)
    {
        try
        {
            return LargeStackRunner.Run(() => Guarded(path, parse));
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException or InvalidOperationException)
        {
            // No worker to be had: parse here; the parsers' own stack checks still hold.
            return Guarded(path, parse);
        }
    }

    private static ParseResult Guarded(string path, Func<ParseResult> parse)
    {
        try
        {
            return parse();
        }
        catch (OperationCanceledException)
        {
            return ParseResult.Failed(path, 0, 0, "parsing was cancelled");
        }
        catch (InsufficientExecutionStackException)
        {
            return ParseResult.Failed(path, 0, 0, "nesting too deep to parse");
        }
        catch (Exception ex)
        {
            return ParseResult.Failed(path, 0, 0, $"internal parser error: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
