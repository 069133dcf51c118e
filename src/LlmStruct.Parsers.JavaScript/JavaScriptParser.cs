using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;
using LlmStruct.Parsers.JavaScript.Parsing;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript;

/// <summary>
/// Reads JavaScript and JSX (<c>.js .mjs .cjs .jsx</c>) into LlmStruct's model: ESM and CommonJS imports and exports,
/// functions, classes and their members, React components, JSDoc, parameters and calls. Built on Acornima; JSX is
/// located with Esprima's JSX parser. Thread-safe; never throws.
/// </summary>
public sealed class JavaScriptParser : ILanguageParser
{
    /// <summary>Nesting of brackets beyond which a file is refused before parsing.</summary>
    internal const int MaxBracketDepth = 2000;

    /// <inheritdoc />
    public string Language => "javascript";

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".cjs", ".js", ".jsx", ".mjs"];

    /// <inheritdoc />
    public string Version => "1";

    /// <inheritdoc />
    public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ParseGuard.Run(file.Path, () => ParseOnThisThread(file, cancellationToken));
    }

    /// <summary>How many earlier cut points are tried to keep the structure read before a syntax error.</summary>
    internal const int PrefixAttempts = 3;

    /// <summary>
    /// Keeps what comes before a syntax error: the text is cut at the start of an unindented line (a likely top-level
    /// statement) before the error and parsed again; a few cut points are tried, each earlier than the last.
    /// </summary>
    private static ModuleInfo? ReadBefore(string path, string source, SourceKind kind, bool jsx, ParseFailure failure, CancellationToken cancellationToken)
    {
        int limit = Math.Clamp(failure.Index, 0, source.Length);
        for (int attempt = 0; attempt < PrefixAttempts; attempt++)
        {
            int cut = PreviousStatementStart(source, limit);
            if (cut <= 0)
            {
                return null;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var tree = SyntaxReader.Read(source[..cut], kind, jsx, out _);
            if (tree is not null)
            {
                return StructureExtractor.Extract(path, source, tree, cancellationToken).Module;
            }
            limit = cut - 1;
        }
        return null;
    }

    /// <summary>The start of the last line at or before <paramref name="limit"/> that begins at column 1 with code (0 if none).</summary>
    internal static int PreviousStatementStart(string source, int limit)
    {
        for (int i = Math.Min(limit, source.Length - 1); i > 0; i--)
        {
            if (source[i - 1] == '\n' && i < source.Length && !char.IsWhiteSpace(source[i]) && source[i] is not ('}' or ')' or ']' or ',' or '.' or '*' or '/' or '<'))
            {
                return i;
            }
        }
        return 0;
    }

    private static ParseResult ParseOnThisThread(SourceFile file, CancellationToken cancellationToken)
    {
        string path = file.Path;
        if (!SourceText.TryDecode(file.Content.Span, out var source, out var decodeError))
        {
            return ParseResult.Failed(path, 0, 0, decodeError ?? "the file is not valid UTF-8");
        }
        if (DepthScan.Exceeds(source, MaxBracketDepth, out int line, out int column))
        {
            return ParseResult.Failed(path, line, column, $"brackets nested deeper than {MaxBracketDepth} levels; the file was not parsed");
        }
        cancellationToken.ThrowIfCancellationRequested();
        string extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var kind = extension switch
        {
            ".mjs" => SourceKind.Module,
            ".cjs" => SourceKind.Script,
            _ => SourceKind.Auto,
        };
        var tree = SyntaxReader.Read(source, kind, jsx: extension == ".jsx", out var failure);
        if (tree is null)
        {
            var error = new ParseError { File = path, Line = failure!.Line, Column = failure.Column, Reason = failure.Reason };
            var partial = ReadBefore(path, source, kind, extension == ".jsx", failure, cancellationToken);
            return new ParseResult(partial ?? new ModuleInfo(), [error]);
        }
        var (module, errors) = StructureExtractor.Extract(path, source, tree, cancellationToken);
        return new ParseResult(module, errors);
    }
}
