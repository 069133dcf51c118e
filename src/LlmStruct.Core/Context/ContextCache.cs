using System.Security.Cryptography;
using System.Text;
using LlmStruct.Pipeline;

namespace LlmStruct.Context;

/// <summary>
/// Rendered contexts on disk (<c>.llmstruct/context/</c>), keyed by the struct.json content hash and the
/// request options. Each entry starts with a header line holding the SHA-256 of its body; an entry whose body
/// does not match (truncated, edited, corrupt) is treated as missing, so it is rebuilt. Writes are atomic.
/// </summary>
public sealed class ContextCache
{
    private const string Magic = "llmstruct-context v1 sha256=";

    /// <summary>Creates a cache over <paramref name="directory"/> (created on first write).</summary>
    public ContextCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The folder entries live in.</summary>
    public string Directory { get; }

    /// <summary>The cache folder for a project root: <c>ROOT/.llmstruct/context</c>.</summary>
    public static ContextCache ForRoot(string root) => new(Path.Combine(root, ".llmstruct", "context"));

    /// <summary>The key of a context: SHA-256 over the struct.json bytes and <see cref="ContextRequest.CacheKeyText"/>.</summary>
    public static string Key(ReadOnlySpan<byte> structJson, ContextRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(SHA256.HashData(structJson));
        hash.AppendData(Encoding.UTF8.GetBytes(request.CacheKeyText()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The cached text for <paramref name="key"/>, or null when absent, unreadable or corrupt.</summary>
    public async Task<string?> TryReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        int newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            return null;
        }
        var header = Encoding.ASCII.GetString(bytes, 0, newline);
        var body = bytes.AsSpan(newline + 1);
        if (!header.StartsWith(Magic, StringComparison.Ordinal) || header[Magic.Length..] != Convert.ToHexStringLower(SHA256.HashData(body)))
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="text"/> under <paramref name="key"/> (atomically: a reader sees the old entry or the new one).</summary>
    public async Task WriteAsync(string key, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = Encoding.UTF8.GetBytes(text);
        var header = Encoding.ASCII.GetBytes(Magic + Convert.ToHexStringLower(SHA256.HashData(body)) + "\n");
        var bytes = new byte[header.Length + body.Length];
        header.CopyTo(bytes, 0);
        body.CopyTo(bytes, header.Length);
        await StructFileWriter.WriteAtomicAsync(PathOf(key), bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file of an entry.</summary>
    public string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Any(c => !char.IsAsciiHexDigitLower(c)))
        {
            throw new ArgumentException("a cache key is lower-case hex", nameof(key));
        }
        return Path.Combine(Directory, key + ".ctx");
    }
}
