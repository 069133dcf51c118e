namespace LlmStruct.Llm.Tests.Servers;

/// <summary>One scripted behaviour of the fake LLM server for one request.</summary>
public abstract record Reply
{
    /// <summary>A normal answer (JSON or SSE, as the request asks).</summary>
    public static Reply Ok(string text = "Hello from the server.", int promptTokens = 12, int completionTokens = 5) =>
        new OkReply(text, promptTokens, completionTokens, TimeSpan.Zero);

    /// <summary>
    /// A normal answer sent after the server has spent <paramref name="cpu"/> of this process's CPU time (spinning),
    /// so a meter of process CPU around the call must see at least that much.
    /// </summary>
    public static Reply Busy(TimeSpan cpu, string text, int promptTokens, int completionTokens) =>
        new OkReply(text, promptTokens, completionTokens, TimeSpan.Zero) { Cpu = cpu };

    /// <summary>A normal answer sent after a delay (before any header).</summary>
    public static Reply Slow(TimeSpan delay, string text = "slow answer") => new OkReply(text, 12, 5, delay);

    /// <summary>An error status with an error body; optionally a Retry-After header in seconds.</summary>
    public static Reply Status(int status, int? retryAfterSeconds = null) => new StatusReply(status, retryAfterSeconds);

    /// <summary>The connection is dropped without a response.</summary>
    public static Reply Close() => new CloseReply();

    /// <summary>401 whose error message repeats the request's auth headers (like a careless proxy would).</summary>
    public static Reply EchoAuth() => new EchoAuthReply();

    /// <summary>
    /// An OpenAI answer that calls the request's tool whose name ends with <paramref name="toolSuffix"/> with
    /// <paramref name="argumentsJson"/> (non-streamed); the request must offer that tool.
    /// </summary>
    public static Reply ToolCall(string toolSuffix, string argumentsJson) => new ToolCallReply(toolSuffix, argumentsJson);

    /// <summary>A response that goes wrong in the given way (streamed or not, as the request asks).</summary>
    public static Reply Broken(BreakMode mode) => new BrokenReply(mode);
}

/// <summary>How a <see cref="Reply.Broken"/> response goes wrong.</summary>
public enum BreakMode
{
    /// <summary>200 and the headers, then nothing (until the client gives up).</summary>
    StallAfterHeaders,

    /// <summary>The first piece of the answer, then nothing.</summary>
    StallMidStream,

    /// <summary>The first piece of the answer, then the connection is dropped.</summary>
    DropMidStream,

    /// <summary><c>200 text/html</c>: a proxy's or login page instead of the API's answer.</summary>
    WrongContentType,

    /// <summary>An event stream (or JSON body) whose data is not JSON.</summary>
    InvalidSse,
}

internal sealed record OkReply(string Text, int PromptTokens, int CompletionTokens, TimeSpan Delay) : Reply
{
    public TimeSpan Cpu { get; init; }
}

internal sealed record StatusReply(int Code, int? RetryAfterSeconds) : Reply;

internal sealed record CloseReply : Reply;

internal sealed record EchoAuthReply : Reply;

internal sealed record BrokenReply(BreakMode Mode) : Reply;

internal sealed record ToolCallReply(string ToolSuffix, string ArgumentsJson) : Reply;
