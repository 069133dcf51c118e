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
        try
        {
            return LargeStackRunner.Run(() => ParseOnThisThread(file, cancellationToken));
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException or InvalidOperationException)
        {
            // No worker to be had: parse here; the parsers' own stack checks still hold.
            return ParseOnThisThread(file, cancellationToken);
        }
    }

    private static ParseResult ParseOnThisThread(SourceFile file, CancellationToken cancellationToken)
    {
        string path = file.Path;
        try
        {
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
                return ParseResult.Failed(path, failure!.Line, failure.Column, failure.Reason);
            }
            var (module, errors) = StructureExtractor.Extract(path, source, tree, cancellationToken);
            return new ParseResult(module, errors);
        }
        catch (OperationCanceledException)
        {
            return ParseResult.Failed(path, 0, 0, "parsing was cancelled");
        }
        catch (InsufficientExecutionStackException)
        {
            return ParseResult.Failed(path, 0, 0, "nesting too deep to parse");
        }
        catch (Exception ex)
        {
            return ParseResult.Failed(path, 0, 0, $"internal parser error: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
