using Microsoft.AspNetCore.Http;

namespace LlmStruct.Serve.Security;

/// <summary>Reads a request body up to a limit (a declared or streamed body past it is refused), leaving it re-readable.</summary>
internal static class RequestBody
{
    /// <summary>Whether the declared length is already past <paramref name="limit"/>.</summary>
    public static bool DeclaredTooLarge(HttpRequest request, long limit) => request.ContentLength is long length && length > limit;

    /// <summary>
    /// The body's bytes, or null when it is longer than <paramref name="limit"/> (chunked bodies included). The body is
    /// buffered and rewound, so the form reader and the anti-forgery check can read it again.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (DeclaredTooLarge(request, limit))
        {
            return null;
        }
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        request.Body.Position = 0;
        return buffer.ToArray();
    }
}
