namespace LlmStruct.Json;

/// <summary>
/// The whitespace of canonical struct.json (the tests' reference for the product's writer), applied to compact JSON
/// (no whitespace outside strings): an object or array that holds only scalars is written on one line (<c>{"callee": "print", "line": 3}</c>, <c>["a", "b"]</c>),
/// any other one member per line with two-space indentation; <c>": "</c> after names, LF line ends. A call, a
/// parameter or an import name is one line, and struct.json is about half the size of fully indented JSON.
/// </summary>
internal static class CanonicalLayout
{
    /// <summary>Lays out compact JSON; <paramref name="compact"/> must be valid JSON without insignificant whitespace.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> compact)
    {
        var output = new byte[compact.Length + (compact.Length / 2) + 64];
        int at = 0;
        int depth = 0;
        int i = 0;
        void Ensure(int extra)
        {
            if (at + extra > output.Length)
            {
                Array.Resize(ref output, Math.Max(output.Length * 2, at + extra));
            }
        }
        void NewLine(int indent)
        {
            Ensure(1 + (2 * indent));
            output[at++] = (byte)'\n';
            output.AsSpan(at, 2 * indent).Fill((byte)' ');
            at += 2 * indent;
        }
        void Put(byte b)
        {
            Ensure(1);
            output[at++] = b;
        }

        // Containers being written expanded; a flat container is copied in one piece when it starts.
        while (i < compact.Length)
        {
            byte b = compact[i];
            switch (b)
            {
                case (byte)'{' or (byte)'[':
                    {
                        int end = FlatEnd(compact, i);
                        if (end >= 0)
                        {
                            i = CopyFlat(compact, i, end, ref output, ref at);
                            break;
                        }
                        Put(b);
                        depth++;
                        NewLine(depth);
                        i++;
                        break;
                    }
                case (byte)'}' or (byte)']':
                    depth--;
                    NewLine(depth);
                    Put(b);
                    i++;
                    break;
                case (byte)',':
                    Put(b);
                    NewLine(depth);
                    i++;
                    break;
                case (byte)':':
                    Ensure(2);
                    output[at++] = (byte)':';
                    output[at++] = (byte)' ';
                    i++;
                    break;
                case (byte)'"':
                    {
                        int end = StringEnd(compact, i);
                        Ensure(end - i);
                        compact[i..end].CopyTo(output.AsSpan(at));
                        at += end - i;
                        i = end;
                        break;
                    }
                default:
                    Put(b);
                    i++;
                    break;
            }
        }
        return output[..at];
    }

    // The index just past the container starting at `start` when it holds no container (flat), else -1.
    private static int FlatEnd(ReadOnlySpan<byte> json, int start)
    {
        for (int i = start + 1; i < json.Length;)
        {
            switch (json[i])
            {
                case (byte)'"':
                    i = StringEnd(json, i);
                    break;
                case (byte)'{' or (byte)'[':
                    return -1;
                case (byte)'}' or (byte)']':
                    return i + 1;
                default:
                    i++;
                    break;
            }
        }
        return -1;
    }

    // Copies a flat container with ", " and ": " separators; returns the index past it.
    private static int CopyFlat(ReadOnlySpan<byte> json, int start, int end, ref byte[] output, ref int at)
    {
        int commas = 0;
        for (int i = start; i < end;)
        {
            if (json[i] == (byte)'"')
            {
                i = StringEnd(json, i);
                continue;
            }
            if (json[i] is (byte)',' or (byte)':')
            {
                commas++;
            }
            i++;
        }
        if (at + (end - start) + commas > output.Length)
        {
            Array.Resize(ref output, Math.Max(output.Length * 2, at + (end - start) + commas));
        }
        for (int i = start; i < end;)
        {
            byte b = json[i];
            if (b == (byte)'"')
            {
                int stop = StringEnd(json, i);
                json[i..stop].CopyTo(output.AsSpan(at));
                at += stop - i;
                i = stop;
                continue;
            }
            output[at++] = b;
            if (b is (byte)',' or (byte)':')
            {
                output[at++] = (byte)' ';
            }
            i++;
        }
        return end;
    }

    // The index just past the string literal starting at `start` (its opening quote).
    private static int StringEnd(ReadOnlySpan<byte> json, int start)
    {
        int i = start + 1;
        while (i < json.Length)
        {
            int stop = json[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (stop < 0)
            {
                return json.Length;
            }
            i += stop;
            if (json[i] == (byte)'\\')
            {
                i += 2;
                continue;
            }
            return i + 1;
        }
        return json.Length;
    }
}
