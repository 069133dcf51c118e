using System.Collections.Concurrent;

namespace LlmStruct.Llm.Secrets;

/// <summary>
/// Keeps the API keys this process read and blanks them out of any text that leaves the LLM layer (log messages,
/// exception messages, recorded error kinds). Keys are only ever read through <see cref="ReadKey"/>.
/// </summary>
internal static class SecretRedactor
{
    private const string Mask = "***";
    private static readonly ConcurrentDictionary<string, byte> Secrets = new(StringComparer.Ordinal);

    /// <summary>Reads an API key from the environment variable <paramref name="variable"/> and remembers it for redaction.</summary>
    public static string? ReadKey(string? variable)
    {
        if (string.IsNullOrWhiteSpace(variable))
        {
            return null;
        }
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        Register(value);
        return value;
    }

    /// <summary>Remembers a secret value so <see cref="Redact"/> removes it.</summary>
    public static void Register(string secret)
    {
        // Very short values would blank out ordinary words; no real key is that short.
        if (secret.Length >= 8)
        {
            Secrets.TryAdd(secret, 0);
        }
    }

    /// <summary>The text with every known secret replaced by <c>***</c>.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        foreach (var secret in Secrets.Keys)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }
}
