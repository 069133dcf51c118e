namespace LlmStruct.Cli;

/// <summary>Where commands write: results to stdout, progress, warnings and summaries to stderr.</summary>
internal sealed class CliConsole(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>True when stderr is the real, interactive console (so a progress bar can be drawn).</summary>
    public bool IsInteractive => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Writes <c>error: message</c> to stderr and returns <paramref name="code"/>.</summary>
    public async Task<int> FailAsync(int code, string message)
    {
        await Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        return code;
    }
}
