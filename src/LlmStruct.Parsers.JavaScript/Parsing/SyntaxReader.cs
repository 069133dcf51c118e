using Acornima;
using Acornima.Ast;

namespace LlmStruct.Parsers.JavaScript.Parsing;

/// <summary>How a file is read: as an ES module, as a classic script, or module first with a script fallback.</summary>
internal enum SourceKind
{
    /// <summary>Try module, then script (plain <c>.js</c> / <c>.jsx</c>).</summary>
    Auto,
    /// <summary>Only as an ES module (<c>.mjs</c>).</summary>
    Module,
    /// <summary>Only as a script (<c>.cjs</c>).</summary>
    Script,
}

/// <summary>A parsed program, the text it was parsed from, and where JSX elements started (empty without JSX).</summary>
internal sealed record SyntaxTree(Acornima.Ast.Program Program, IReadOnlyList<Comment> Comments, HashSet<int> JsxStarts);

/// <summary>
/// Parses JavaScript with Acornima: module first, script as the fallback; files with JSX go through
/// <see cref="JsxMasker"/> first. Errors come back as <see cref="ParseFailure"/>, never as exceptions.
/// </summary>
internal static class SyntaxReader
{
    /// <summary>Reads <paramref name="source"/>; <paramref name="jsx"/> says the extension promises JSX.</summary>
    public static SyntaxTree? Read(string source, SourceKind kind, bool jsx, out ParseFailure? failure)
    {
        failure = null;
        var modes = kind switch
        {
            SourceKind.Module => new[] { true },
            SourceKind.Script => [false],
            _ => [true, false],
        };
        ParseFailure? best = null;
        // Plain JavaScript first (unless the extension says JSX), then the same modes with JSX masked.
        foreach (bool withJsx in jsx ? new[] { true } : [false, true])
        {
            foreach (bool module in modes)
            {
                string text = source;
                HashSet<int> starts = [];
                if (withJsx)
                {
                    if (!jsx && !MightContainJsx(source))
                    {
                        continue;
                    }
                    if (!JsxMasker.TryMask(source, module, out text, out starts, out var jsxFailure))
                    {
                        if (jsx)
                        {
                            best = Later(best, jsxFailure!);
                        }
                        continue;
                    }
                }
                var tree = TryParse(text, module, starts, out var parseFailure);
                if (tree is not null)
                {
                    return tree;
                }
                // For a .js file the plain error is the one to report; JSX is only a second guess.
                if (jsx || !withJsx)
                {
                    best = Later(best, parseFailure!);
                }
            }
        }
        failure = best ?? new ParseFailure(1, 1, "the file could not be parsed", 0);
        return null;
    }

    private static ParseFailure Later(ParseFailure? a, ParseFailure b) => a is null || b.Index > a.Index ? b : a;

    private static bool MightContainJsx(string source) => source.Contains('<', StringComparison.Ordinal);

    private static SyntaxTree? TryParse(string text, bool module, HashSet<int> jsxStarts, out ParseFailure? failure)
    {
        failure = null;
        var comments = new List<Comment>();
        var options = new ParserOptions
        {
            EcmaVersion = EcmaVersion.Latest,
            // Latest already has import attributes, `using` and the newer RegExp flags; decorators stay opt-in.
            ExperimentalESFeatures = ExperimentalESFeatures.Decorators,
            AllowHashBang = true,
            // CommonJS files run inside a function, so `return` at the top of a script is real-world code.
            AllowReturnOutsideFunction = !module,
#pragma warning disable CS0618 // Validate only: building .NET Regex objects for every literal is wasted work here.
            RegExpParseMode = Acornima.RegExpParseMode.Validate,
#pragma warning restore CS0618
            Tolerant = false,
            OnComment = (in Comment c) => comments.Add(c),
        };
        try
        {
            var parser = new Parser(options);
            Acornima.Ast.Program program = module ? parser.ParseModule(text) : parser.ParseScript(text);
            return new SyntaxTree(program, comments, jsxStarts);
        }
        catch (ParseErrorException ex)
        {
            // Acornima's columns are 0-based.
            int index = ex.Error is { IsIndexDefined: true } e ? e.Index : 0;
            failure = new ParseFailure(Math.Max(1, ex.LineNumber), ex.Column + 1, ex.Description ?? ex.Message, index);
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            failure = new ParseFailure(1, 1, "nesting too deep to parse", int.MaxValue);
            return null;
        }
    }
}
