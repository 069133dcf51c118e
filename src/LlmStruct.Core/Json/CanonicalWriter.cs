using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmStruct.Json;

/// <summary>
/// Writes canonical struct.json bytes straight into a growable buffer: the canonical layout's whitespace
/// (a container that holds only scalars on one line with <c>", "</c> and <c>": "</c>, any other one member per line,
/// two spaces per depth) and the string escaping of System.Text.Json with
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>. The caller says up front whether a container is flat
/// (it knows which of its members are containers), so nothing is laid out twice. One instance per thread.
/// </summary>
internal sealed class CanonicalWriter : IDisposable
{
    /// <summary>The deepest nesting of objects and arrays written (and read back: the reader's limit is the same).</summary>
    public const int MaxDepth = 512;

    // Printable ASCII that System.Text.Json writes as it is (everything from ' ' to '~' but '"' and '\').
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static byte[] s_spaces = CreateSpaces(64);

    private byte[] _buffer;
    private int _length;

    // Per open container: flat or not, and whether a member was written yet.
    private bool[] _flat = new bool[32];

    // Members written so far in the open one-line object (BeginFlatObject).
    private int _flatMembers;
    private bool[] _hasMember = new bool[32];
    private int _open;
    private int _baseDepth;

    private ArrayBufferWriter<byte>? _escapeBuffer;
    private Utf8JsonWriter? _escapeWriter;

    /// <summary>Creates a writer whose buffer starts at <paramref name="capacity"/> bytes (rented from the shared pool).</summary>
    public CanonicalWriter(int capacity = 1 << 16)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Bytes written since the last <see cref="Clear"/>, as memory (valid until the next write or clear).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Number of bytes written since the last <see cref="Clear"/>.</summary>
    public int Length => _length;

    /// <summary>Forgets what was written; the next value starts at <paramref name="depth"/> (its members are indented one more).</summary>
    public void Clear(int depth = 0)
    {
        _length = 0;
        _open = 0;
        _baseDepth = depth;
    }

    /// <summary>Writes <paramref name="depth"/> levels of indentation (two spaces each).</summary>
    public void Indent(int depth) => Raw(SpacesFor(depth));

    /// <summary>Writes bytes as they are.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Opens an object; <paramref name="flat"/> when none of the members that will be written is a container.</summary>
    public void BeginObject(bool flat)
    {
        Open((byte)'{', flat);
    }

    /// <summary>Closes the innermost object.</summary>
    public void EndObject() => Close((byte)'}');

    /// <summary>Opens an array; <paramref name="flat"/> when none of its items is a container.</summary>
    public void BeginArray(bool flat) => Open((byte)'[', flat);

    /// <summary>Closes the innermost array.</summary>
    public void EndArray() => Close((byte)']');

    /// <summary>Starts a member of the innermost object: the separator, then <paramref name="key"/>, which is the quoted name followed by <c>": "</c>.</summary>
    public void Key(ReadOnlySpan<byte> key)
    {
        Separator();
        Raw(key);
    }

    /// <summary>Starts the next item of the innermost array (the separator only).</summary>
    public void Item() => Separator();

    /// <summary>A string member (left out when null).</summary>
    public void Member(ReadOnlySpan<byte> key, string? value)
    {
        if (value is not null)
        {
            Key(key);
            String(value);
        }
    }

    /// <summary>A number member.</summary>
    public void Member(ReadOnlySpan<byte> key, long value)
    {
        Key(key);
        Number(value);
    }

    /// <summary>
    /// Opens a one-line object whose members are all scalars, written with <see cref="FlatMember(ReadOnlySpan{byte}, string?)"/>
    /// and closed with <see cref="EndFlatObject"/>. Nothing is opened inside it, so it needs none of the per-container
    /// bookkeeping: calls, parameters and names, the most frequent objects of a document, are written this way.
    /// </summary>
    public void BeginFlatObject()
    {
        CheckDepth();
        Raw("{"u8);
        _flatMembers = 0;
    }

    /// <summary>A string member of the open one-line object (left out when null).</summary>
    public void FlatMember(ReadOnlySpan<byte> key, string? value)
    {
        if (value is not null)
        {
            FlatKey(key);
            String(value);
        }
    }

    /// <summary>A number member of the open one-line object.</summary>
    public void FlatMember(ReadOnlySpan<byte> key, long value)
    {
        FlatKey(key);
        Number(value);
    }

    /// <summary>Closes the one-line object opened by <see cref="BeginFlatObject"/>.</summary>
    public void EndFlatObject() => Raw("}"u8);

    // ", " (but before the first member) and the key, in one copy.
    private void FlatKey(ReadOnlySpan<byte> key)
    {
        var target = Reserve(key.Length + 2);
        if (_flatMembers++ > 0)
        {
            target[0] = (byte)',';
            target[1] = (byte)' ';
            key.CopyTo(target[2..]);
            _length += key.Length + 2;
            return;
        }
        key.CopyTo(target);
        _length += key.Length;
    }

    /// <summary>A <c>true</c> member (left out when false, as the canonical form does).</summary>
    public void TrueMember(ReadOnlySpan<byte> key, bool value)
    {
        if (value)
        {
            Key(key);
            Raw("true"u8);
        }
    }

    // Printable ASCII but '"' and '\' (what is written as it is), by code.
    private static ReadOnlySpan<bool> Plain =>
    [
        false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
        false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
        true, true, false, true, true, true, true, true, true, true, true, true, true, true, true, true,
        true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
        true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
        true, true, true, true, true, true, true, true, true, true, true, true, false, true, true, true,
        true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
        true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, false,
    ];

    /// <summary>A string value, escaped as System.Text.Json escapes it.</summary>
    public void String(string value)
    {
        var text = value.AsSpan();
        if (text.Length <= 24)
        {
            // Short strings (names, callees, kinds): checked and copied in one pass.
            var target = Reserve(text.Length + 2);
            var plain = Plain;
            target[0] = (byte)'"';
            int i = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 128 || !plain[c])
                {
                    break;
                }
                target[i + 1] = (byte)c;
            }
            if (i == text.Length)
            {
                target[i + 1] = (byte)'"';
                _length += i + 2;
                return;
            }
            EscapedString(text);
            return;
        }
        if (text.IndexOfAnyExcept(PlainAscii) < 0)
        {
            // The common case: printable ASCII without quotes or backslashes is copied as it is.
            var target = Reserve(text.Length + 2);
            target[0] = (byte)'"';
            System.Text.Ascii.FromUtf16(text, target[1..], out int written);
            target[written + 1] = (byte)'"';
            _length += written + 2;
            return;
        }
        EscapedString(text);
    }

    /// <summary>An integer value in invariant decimal form.</summary>
    public void Number(long value)
    {
        var target = Reserve(20);
        if ((ulong)value < 10)
        {
            // Line numbers, counts and levels are mostly small: one or two digits without a formatter.
            target[0] = (byte)('0' + value);
            _length++;
            return;
        }
        if ((ulong)value < 100)
        {
            target[0] = (byte)('0' + (value / 10));
            target[1] = (byte)('0' + (value % 10));
            _length += 2;
            return;
        }
        value.TryFormat(target, out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Copies the written bytes to a new array.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _escapeWriter?.Dispose();
    }

    private void CheckDepth()
    {
        if (_baseDepth + _open >= MaxDepth)
        {
            throw new InvalidOperationException($"struct.json would nest deeper than {MaxDepth} levels.");
        }
    }

    private void Open(byte bracket, bool flat)
    {
        CheckDepth();
        if (_open == _flat.Length)
        {
            Array.Resize(ref _flat, _open * 2);
            Array.Resize(ref _hasMember, _open * 2);
        }
        var target = Reserve(1);
        target[0] = bracket;
        _length++;
        _flat[_open] = flat;
        _hasMember[_open] = false;
        _open++;
    }

    private void Close(byte bracket)
    {
        _open--;
        if (!_flat[_open] && _hasMember[_open])
        {
            NewLine(_baseDepth + _open);
        }
        var target = Reserve(1);
        target[0] = bracket;
        _length++;
    }

    private void Separator()
    {
        int top = _open - 1;
        bool first = !_hasMember[top];
        _hasMember[top] = true;
        if (_flat[top])
        {
            if (!first)
            {
                var target = Reserve(2);
                target[0] = (byte)',';
                target[1] = (byte)' ';
                _length += 2;
            }
            return;
        }
        // ",\n" then the indentation, or "\n" then the indentation for the first member: one copy.
        var line = CommaLineFor(_baseDepth + _open);
        if (first)
        {
            line = line[1..];
        }
        line.CopyTo(Reserve(line.Length));
        _length += line.Length;
    }

    private void NewLine(int depth)
    {
        var line = CommaLineFor(depth)[1..];
        line.CopyTo(Reserve(line.Length));
        _length += line.Length;
    }

    private static byte[] s_commaLines = CreateCommaLines(64);

    // ",\n" followed by 2 * depth spaces.
    private static ReadOnlySpan<byte> CommaLineFor(int depth)
    {
        var lines = s_commaLines;
        if (2 + (2 * depth) > lines.Length)
        {
            s_commaLines = lines = CreateCommaLines(depth * 2);
        }
        return lines.AsSpan(0, 2 + (2 * depth));
    }

    private static byte[] CreateCommaLines(int depth)
    {
        var line = new byte[2 + (2 * depth)];
        line[0] = (byte)',';
        line[1] = (byte)'\n';
        line.AsSpan(2).Fill((byte)' ');
        return line;
    }

    // Anything else (non-ASCII, quotes, backslashes, control characters) goes through System.Text.Json's own writer
    // with the same encoder, so the escapes are exactly the ones its serializer writes.
    private void EscapedString(ReadOnlySpan<char> text)
    {
        _escapeBuffer ??= new ArrayBufferWriter<byte>(256);
        _escapeBuffer.ResetWrittenCount();
        if (_escapeWriter is null)
        {
            _escapeWriter = new Utf8JsonWriter(_escapeBuffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        }
        else
        {
            _escapeWriter.Reset(_escapeBuffer);
        }
        _escapeWriter.WriteStringValue(text);
        _escapeWriter.Flush();
        Raw(_escapeBuffer.WrittenSpan);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Grow(count);
        }
        return _buffer.AsSpan(_length);
    }

    private void Grow(int count)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = larger;
    }

    private static ReadOnlySpan<byte> SpacesFor(int depth)
    {
        var spaces = s_spaces;
        if (2 * depth > spaces.Length)
        {
            s_spaces = spaces = CreateSpaces(depth * 2);
        }
        return spaces.AsSpan(0, 2 * depth);
    }

    private static byte[] CreateSpaces(int depth)
    {
        var spaces = new byte[2 * depth];
        spaces.AsSpan().Fill((byte)' ');
        return spaces;
    }

    /// <summary>The UTF-8 bytes of <c>"name": </c>, for <see cref="Key"/>.</summary>
    public static byte[] KeyOf(string name) => Encoding.UTF8.GetBytes("\"" + name + "\": ");
}
