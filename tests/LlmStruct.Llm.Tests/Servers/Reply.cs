namespace LlmStruct.Llm.Tests.Servers;

/// <summary>One scripted behaviour of the fake LLM server for one request.</summary>
public abstract record Reply
{
    /// <summary>A normal answer (JSON or SSE, as the request asks).</summary>
    public static Reply Ok(string text = "Hello from the server.", int promptTokens = 12, int completionTokens = 5) =>
        new OkReply(text, promptTokens, completionTokens, TimeSpan.Zero);

    /// <summary>A normal answer sent after a delay (before any header).</summary>
    public static Reply Slow(TimeSpan delay, string text = "slow answer") => new OkReply(text, 12, 5, delay);

    /// <summary>An error status with an error body; optionally a Retry-After header in seconds.</summary>
    public static Reply Status(int status, int? retryAfterSeconds = null) => new StatusReply(status, retryAfterSeconds);

    /// <summary>The connection is dropped without a response.</summary>
    public static Reply Close() => new CloseReply();

    /// <summary>401 whose error message repeats the request's auth headers (like a careless proxy would).</summary>
    public static Reply EchoAuth() => new EchoAuthReply();
}

internal sealed record OkReply(string Text, int PromptTokens, int CompletionTokens, TimeSpan Delay) : Reply;

internal sealed record StatusReply(int Code, int? RetryAfterSeconds) : Reply;

internal sealed record CloseReply : Reply;

internal sealed record EchoAuthReply : Reply;
