using System.Globalization;
using System.Runtime.ExceptionServices;
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

    /// <summary>Bracket nesting parsed on the caller's thread; deeper input moves to a thread with <see cref="LargeStackBytes"/>.</summary>
    internal const int InlineDepth = 32;

    /// <summary>Roslyn's "An expression is too long or complex to compile", reported when its stack guard trips.</summary>
    private const string TooComplexId = "CS8078";

    /// <summary>Stack of the thread that parses deeply nested input (Roslyn needs about 1.5 KiB per nested bracket at worst).</summary>
    internal const int LargeStackBytes = 16 * 1024 * 1024;

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
    public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default) =>
        Parse(file, useFastReader: true, cancellationToken);

    /// <summary>
    /// Parses with the hand-written <see cref="Fast.FastReader"/> when it takes the file (the same result, faster), else
    /// with Roslyn; <paramref name="useFastReader"/> false always uses Roslyn (the reference the tests compare with).
    /// </summary>
    internal ParseResult Parse(SourceFile file, bool useFastReader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            if (!LlmStruct.Parsing.SourceText.TryDecode(file.Content.Span, out var text, out var decodeError))
            {
                return ParseResult.Failed(file.Path, 0, 0, decodeError ?? "the file is not valid text");
            }
            if (useFastReader && Fast.FastReader.TryRead(file.Path, text, cancellationToken) is { } fast)
            {
                return fast;
            }
            var guard = NestingGuard.Scan(text);
            return guard.MaxSeen > InlineDepth
                ? RunWithLargeStack(() => ParseText(file.Path, guard, onLargeStack: true, cancellationToken))
                : ParseText(file.Path, guard, onLargeStack: false, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ParseResult.Failed(file.Path, 0, 0, $"the C# parser failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static ParseResult ParseText(string path, NestingGuard.Result guard, bool onLargeStack, CancellationToken cancellationToken)
    {
        var source = RoslynText.From(guard.Text);
        var tree = CSharpSyntaxTree.ParseText(source, Options, path, cancellationToken);
        if (!onLargeStack && tree.GetDiagnostics(cancellationToken).Any(d => d.Id == TooComplexId))
        {
            // Roslyn's own stack guard gave up (and dropped the whole tree): try again with room to spare.
            return RunWithLargeStack(() => ParseText(path, guard, onLargeStack: true, cancellationToken));
        }
        var errors = new List<ParseError>();
        foreach (var region in guard.Blanked)
        {
            var start = source.Lines.GetLinePosition(region.Start);
            var end = source.Lines.GetLinePosition(region.Start + region.Length);
            errors.Add(new ParseError
            {
                File = path,
                Line = start.Line + 1,
                Column = start.Character + 1,
                Reason = $"brackets nested deeper than {NestingGuard.MaxDepth} levels (or interpolated strings deeper than {NestingGuard.MaxInterpolationDepth}); "
                    + $"the text from here to line {end.Line + 1}, column {end.Character + 1} was not read",
            });
        }
        AddSyntaxErrors(path, tree, errors, cancellationToken);
        var module = new StructureExtractor(path, tree, errors, cancellationToken).Extract();
        errors.Sort(CompareErrors);
        return new ParseResult(module, errors);
    }

    /// <summary>
    /// Runs deeply nested input on a thread of its own with a known, large stack: Roslyn's recursive descent then
    /// has room for the (bounded) nesting whatever thread the caller runs on.
    /// </summary>
    private static T RunWithLargeStack<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            LargeStackBytes)
        {
            IsBackground = true,
            Name = "LlmStruct C# parser (deep nesting)",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
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
