using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Parsing;
using LlmStruct.Parsers.JavaScript.TypeScript;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript;

/// <summary>
/// Reads TypeScript and TSX (<c>.ts .tsx .mts .cts</c>, <c>.d.ts</c> included) into LlmStruct's model with the same
/// ids, order and rules as <see cref="JavaScriptParser"/>, plus interfaces, type aliases, enums and namespaces,
/// parameter and return types, type parameters and decorators. A hand-written, managed parser; thread-safe; never
/// throws: a syntax error becomes an error entry (with what was read before it).
/// </summary>
public sealed class TypeScriptParser : ILanguageParser
{
    /// <summary>The language id of TypeScript modules.</summary>
    public const string LanguageId = "typescript";

    /// <inheritdoc />
    public string Language => LanguageId;

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".cts", ".mts", ".ts", ".tsx"];

    /// <inheritdoc />
    public string Version => "1";

    /// <inheritdoc />
    public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ParseGuard.Run(file.Path, () => ParseOnThisThread(file, cancellationToken));
    }

    private static ParseResult ParseOnThisThread(SourceFile file, CancellationToken cancellationToken)
    {
        string path = file.Path;
        if (!SourceText.TryDecode(file.Content.Span, out var source, out var decodeError))
        {
            return ParseResult.Failed(path, 0, 0, decodeError ?? "the file is not valid UTF-8");
        }
        bool jsx = path.EndsWith(".tsx", StringComparison.OrdinalIgnoreCase);
        var (module, error) = TsParser.Parse(path, source, jsx, cancellationToken);
        if (error is null)
        {
            return new ParseResult(module!, []);
        }
        // Keep what comes before the error: cut at an unindented line before it and read that.
        int limit = OffsetOf(source, error.Line, error.Column);
        for (int attempt = 0; attempt < JavaScriptParser.PrefixAttempts; attempt++)
        {
            int cut = JavaScriptParser.PreviousStatementStart(source, limit);
            if (cut <= 0)
            {
                break;
            }
            var (partial, _) = TsParser.Parse(path, source[..cut], jsx, cancellationToken);
            if (partial is not null)
            {
                return new ParseResult(partial, [error]);
            }
            limit = cut - 1;
        }
        return new ParseResult(new ModuleInfo(), [error]);
    }

    private static int OffsetOf(string source, int line, int column)
    {
        int offset = 0;
        for (int l = 1; l < line && offset < source.Length; l++)
        {
            int next = source.IndexOf('\n', offset);
            if (next < 0)
            {
                return source.Length;
            }
            offset = next + 1;
        }
        return Math.Min(source.Length, offset + Math.Max(0, column - 1));
    }
}
