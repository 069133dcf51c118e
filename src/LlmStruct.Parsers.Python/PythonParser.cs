using LlmStruct.Model;
using LlmStruct.Parsers.Python.Syntax;
using LlmStruct.Parsers.Python.Tokens;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.Python;

/// <summary>
/// Reads Python 3 (up to 3.12) source files into LlmStruct's structure model with a managed tokenizer and
/// recursive-descent parser. Pure and thread-safe; never throws; reports CPython-like syntax errors.
/// </summary>
public sealed class PythonParser : ILanguageParser
{
    /// <inheritdoc />
    public string Language => "python";

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".py", ".pyi"];

    /// <inheritdoc />
    public string Version => "1.0.0";

    /// <inheritdoc />
    public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ParseDetailed(file, cancellationToken).Result;
    }

    [ThreadStatic]
    private static Token[]? t_buffer;

    [ThreadStatic]
    private static char[]? t_chars;

    /// <summary>Parses and also says whether the file needs Python 3.12 (for the differential tests).</summary>
    internal static (ParseResult Result, bool UsesPython312) ParseDetailed(SourceFile file, CancellationToken cancellationToken = default)
    {
        string path = file.Path;
        try
        {
            var chars = t_chars;
            if (!SourceDecoder.TryDecode(file.Content.Span, ref chars, out int length, out string? decodeError, out int errorLine))
            {
                return (ParseResult.Failed(path, errorLine, errorLine == 0 ? 0 : 1, decodeError ?? "cannot decode"), false);
            }
            if (chars!.Length <= 1 << 22)
            {
                t_chars = chars;
            }
            var buffer = t_buffer;
            if (buffer is null || buffer.Length < length / 3 + 16)
            {
                buffer = new Token[Math.Max(1024, length / 3 + 16)];
            }
            var tokenizer = new Tokenizer(chars, length, buffer);
            tokenizer.Run();
            if (tokenizer.Tokens.Length <= 1 << 20)
            {
                t_buffer = tokenizer.Tokens;
            }
            var parser = new Parser(chars, tokenizer);
            ModuleNode tree = parser.ParseFile(cancellationToken);
            var module = new StructureExtractor(path, chars).Extract(tree);
            SyntaxLists.Release(tree);
            var errors = parser.Error is { } e
                ? new[] { new ParseError { File = path, Line = e.Line, Column = e.Column, Reason = e.Message } }
                : [];
            return (new ParseResult(module, errors), parser.UsesPython312);
        }
        catch (OperationCanceledException)
        {
            return (ParseResult.Failed(path, 0, 0, "parsing was cancelled"), false);
        }
        catch (InsufficientExecutionStackException)
        {
            return (ParseResult.Failed(path, 0, 0, "too many nested parentheses"), false);
        }
        catch (Exception ex)
        {
            return (ParseResult.Failed(path, 0, 0, $"internal parser error: {ex.GetType().Name}: {ex.Message}"), false);
        }
    }
}
