using LLama.Native;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm.Local;

/// <summary>
/// Routes llama.cpp's own logging to an <see cref="ILogger"/> (llama.cpp otherwise floods stderr). The callback must be
/// set before the native library loads, so every path into LLamaSharp calls <see cref="EnsureConfigured"/> first.
/// </summary>
internal static class NativeLog
{
    private static readonly Lock Gate = new();
    private static bool _configured;
    private static ILogger? _sink;
    private static readonly Queue<string> RecentErrors = new();

    /// <summary>
    /// llama.cpp's last error lines (at most a few, oldest first): the reason a load failed, which its API does not
    /// return. Cleared by <see cref="ClearErrors"/>.
    /// </summary>
    public static string RecentErrorText()
    {
        lock (Gate)
        {
            return string.Join("; ", RecentErrors);
        }
    }

    /// <summary>Forgets the error lines seen so far (before a load, so its reason is its own).</summary>
    public static void ClearErrors()
    {
        lock (Gate)
        {
            RecentErrors.Clear();
        }
    }

    public static void EnsureConfigured(ILogger? logger)
    {
        lock (Gate)
        {
            _sink ??= logger;
            if (_configured)
            {
                return;
            }
            _configured = true;
            try
            {
                NativeLibraryConfig.All.WithLogCallback(Forward);
            }
            catch (InvalidOperationException)
            {
                // The host loaded llama.cpp before us and configured (or did not configure) logging itself.
            }
        }
    }

    private static void Forward(LLamaLogLevel level, string message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return;
        }
        if (level == LLamaLogLevel.Error)
        {
            lock (Gate)
            {
                RecentErrors.Enqueue(message.Trim());
                while (RecentErrors.Count > 4)
                {
                    RecentErrors.Dequeue();
                }
            }
        }
        var sink = _sink;
        if (sink is null)
        {
            return;
        }
        // llama.cpp is chatty at info level; only its warnings and errors are worth more than Trace.
        var mapped = level switch
        {
            LLamaLogLevel.Error => LogLevel.Warning,
            LLamaLogLevel.Warning => LogLevel.Debug,
            _ => LogLevel.Trace,
        };
        sink.Log(mapped, "llama.cpp: {Message}", message.TrimEnd());
    }
}
