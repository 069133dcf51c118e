using LlmStruct.Model;

namespace LlmStruct.Parsing;

/// <summary>
/// Reads one source file of one language into its structure. Implementations are pure and thread-safe:
/// they never throw on any input (bad input becomes <see cref="ParseResult.Errors"/>), never hang, and bound
/// their recursion. Register one through DI (<c>services.AddLlmStruct().Add…Parser()</c>).
/// </summary>
public interface ILanguageParser
{
    /// <summary>Language id written to <see cref="ModuleInfo.Language"/>, e.g. <c>python</c>.</summary>
    string Language { get; }

    /// <summary>File extensions this parser reads, lower-case with the dot, e.g. <c>.py</c>.</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>Version of the parser's output; change it whenever the same input would give different output (cache key).</summary>
    string Version { get; }

    /// <summary>
    /// Parses one file. <see cref="ParseResult.Module"/> needs only the parsed parts (docstring, imports,
    /// exports, variables, definitions); the pipeline fills path, language, hash and line count.
    /// </summary>
    ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default);
}

/// <summary>One file handed to a parser.</summary>
/// <param name="Path">Path relative to the root, with '/'; used in ids and errors.</param>
/// <param name="Content">The file's raw bytes (parsers decode them; see <see cref="SourceText"/>).</param>
public sealed record SourceFile(string Path, ReadOnlyMemory<byte> Content)
{
    /// <summary>Creates a source file from text, encoded as UTF-8 (handy in tests and hosts).</summary>
    public static SourceFile FromText(string path, string text) => new(path, System.Text.Encoding.UTF8.GetBytes(text));
}

/// <summary>What a parser read from one file.</summary>
/// <param name="Module">The structure read (may be partial when there are errors).</param>
/// <param name="Errors">Problems found, each with the file's path, 1-based line and column, and a reason.</param>
public sealed record ParseResult(ModuleInfo Module, IReadOnlyList<ParseError> Errors)
{
    /// <summary>A result with no structure and one error about the whole file or a position.</summary>
    public static ParseResult Failed(string path, int line, int column, string reason) =>
        new(new ModuleInfo { Path = path }, [new ParseError { File = path, Line = line, Column = column, Reason = reason }]);
}
