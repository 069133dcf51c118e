using System.Globalization;
using LlmStruct.Model;
using LlmStruct.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RoslynText = Microsoft.CodeAnalysis.Text.SourceText;

namespace LlmStruct.Parsers.CSharp;

/// <summary>
/// Reads C# files into LlmStruct's model with Roslyn's syntax API only (no compilation, no references):
/// namespaces, types, members, local functions, <c>using</c> directives, calls and syntax errors.
/// Pure and thread-safe; never throws on any input.
/// </summary>
public sealed class CSharpParser : ILanguageParser
{
    /// <summary>Most syntax errors reported per file; the rest are summed up in one last entry.</summary>
    internal const int MaxErrors = 100;

    private static readonly CSharpParseOptions Options = new(
        languageVersion: LanguageVersion.Preview,
        documentationMode: DocumentationMode.Parse,
        kind: SourceCodeKind.Regular);

    /// <inheritdoc />
    public string Language => "csharp";

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".cs"];

    /// <inheritdoc />
    public string Version => "1";

    /// <inheritdoc />
    public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            if (!LlmStruct.Parsing.SourceText.TryDecode(file.Content.Span, out var text, out var decodeError))
            {
                return ParseResult.Failed(file.Path, 0, 0, decodeError ?? "the file is not valid text");
            }
            var tree = CSharpSyntaxTree.ParseText(RoslynText.From(text), Options, file.Path, cancellationToken);
            var errors = new List<ParseError>();
            AddSyntaxErrors(file.Path, tree, errors, cancellationToken);
            var extractor = new StructureExtractor(file.Path, tree, errors, cancellationToken);
            var module = extractor.Extract();
            errors.Sort(CompareErrors);
            return new ParseResult(module, errors);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ParseResult.Failed(file.Path, 0, 0, $"the C# parser failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static void AddSyntaxErrors(string path, SyntaxTree tree, List<ParseError> errors, CancellationToken cancellationToken)
    {
        int count = 0;
        foreach (var diagnostic in tree.GetDiagnostics(cancellationToken))
        {
            if (diagnostic.Severity != DiagnosticSeverity.Error)
            {
                continue;
            }
            count++;
            if (count > MaxErrors)
            {
                continue;
            }
            var start = diagnostic.Location.GetLineSpan().StartLinePosition;
            errors.Add(new ParseError
            {
                File = path,
                Line = start.Line + 1,
                Column = start.Character + 1,
                Reason = diagnostic.GetMessage(CultureInfo.InvariantCulture),
            });
        }
        if (count > MaxErrors)
        {
            errors.Add(new ParseError
            {
                File = path,
                Line = 0,
                Column = 0,
                Reason = $"{count - MaxErrors} more syntax errors not listed (only the first {MaxErrors} are reported)",
            });
        }
    }

    private static int CompareErrors(ParseError a, ParseError b)
    {
        int c = a.Line.CompareTo(b.Line);
        if (c == 0)
        {
            c = a.Column.CompareTo(b.Column);
        }
        return c != 0 ? c : string.CompareOrdinal(a.Reason, b.Reason);
    }
}
