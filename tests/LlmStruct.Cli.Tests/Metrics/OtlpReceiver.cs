using System.Collections.Concurrent;
using System.Net;
using LlmStruct.TestSupport;

namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1: accepts protobuf posts to <c>/v1/traces</c> and <c>/v1/metrics</c> (answering
/// 200 with an empty protobuf <c>Export…ServiceResponse</c>, as the protocol asks), refuses other paths and content
/// types (415), and keeps every body by path.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly LoopbackListener _listener;

    private OtlpReceiver()
    {
        _listener = new LoopbackListener(HandleAsync);
        Endpoint = _listener.Origin;
    }

    public string Endpoint { get; }

    public ConcurrentQueue<(string Path, byte[] Body)> Posts { get; } = new();

    public static OtlpReceiver Start() => new();

    public byte[][] BodiesOf(string path) => [.. Posts.Where(p => p.Path == path).Select(p => p.Body)];

    public void Dispose() => _listener.Dispose();

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        using var body = new MemoryStream();
        await ctx.Request.InputStream.CopyToAsync(body);
        if (ctx.Request.HttpMethod != "POST" || path is not ("/v1/traces" or "/v1/metrics"))
        {
            ctx.Response.StatusCode = 404;
        }
        else if (ctx.Request.ContentType != "application/x-protobuf")
        {
            ctx.Response.StatusCode = 415;
        }
        else
        {
            Posts.Enqueue((path, body.ToArray()));
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/x-protobuf";
        }
        ctx.Response.Close();
    }
}

/// <summary>
/// Reads the strings out of protobuf bytes: every length-delimited field that is valid UTF-8 text, and, recursively,
/// the strings inside every other length-delimited field that parses as a message. Enough to find span, metric and attribute
/// names and values in an OTLP body without the generated classes.
/// </summary>
internal static class ProtobufStrings
{
    public static List<string> Of(byte[] message)
    {
        var found = new List<string>();
        Walk(message, found, 0);
        return found;
    }

    private static bool Walk(ReadOnlySpan<byte> data, List<string> found, int depth)
    {
        var local = new List<string>();
        int i = 0;
        while (i < data.Length)
        {
            if (!Varint(data, ref i, out ulong key) || key >> 3 == 0)
            {
                return false;
            }
            switch ((int)(key & 7))
            {
                case 0:
                    if (!Varint(data, ref i, out _))
                    {
                        return false;
                    }
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    if (!Varint(data, ref i, out ulong length) || length > (ulong)(data.Length - i))
                    {
                        return false;
                    }
                    var field = data.Slice(i, (int)length);
                    i += (int)length;
                    // Text (valid UTF-8 without control characters) is a string; anything else may be a nested message.
                    if (System.Text.Unicode.Utf8.IsValid(field) && System.Text.Encoding.UTF8.GetString(field) is var text && !text.Any(char.IsControl))
                    {
                        local.Add(text);
                    }
                    else if (depth < 32 && field.Length > 0)
                    {
                        Walk(field, local, depth + 1);
                    }
                    break;
                default:
                    return false;
            }
        }
        if (i != data.Length)
        {
            return false;
        }
        found.AddRange(local);
        return true;
    }

    private static bool Varint(ReadOnlySpan<byte> data, ref int i, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && i < data.Length; shift += 7)
        {
            byte b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }
        return false;
    }
}
