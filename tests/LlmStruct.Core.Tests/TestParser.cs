using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Core.Tests;

/// <summary>
/// A tiny line-based language for pipeline tests (Core references no real parser). Lines:
/// <c>import m</c>, <c>def f</c>, <c>class C</c>, indented <c>def m</c> (a method of the last class),
/// <c>call x</c> (a call in the last definition), <c>error</c> (a syntax error), <c>throw</c> (the parser crashes).
/// </summary>
internal sealed class TestParser : ILanguageParser
{
    public string Language => "test";

    public IReadOnlyList<string> Extensions { get; } = [".tst"];

    public string Version => "1";

    public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default)
    {
        if (!SourceText.TryDecode(file.Content.Span, out var text, out var decodeError))
        {
            return ParseResult.Failed(file.Path, 1, 1, decodeError!);
        }
        var imports = ImmutableArray.CreateBuilder<ImportInfo>();
        var definitions = new List<Definition>();
        var errors = new List<ParseError>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var line = raw.Trim();
            int lineNo = i + 1;
            var word = line.Split(' ', 2);
            switch (word[0])
            {
                case "import" when word.Length == 2:
                    imports.Add(new ImportInfo { Module = word[1], Line = lineNo });
                    break;
                case "def" when word.Length == 2 && raw.StartsWith(' ') && definitions.Count > 0 && definitions[^1].Kind == "class":
                    var cls = definitions[^1];
                    definitions[^1] = cls with
                    {
                        EndLine = lineNo,
                        Children = cls.Children.Add(Def(file.Path, "method", word[1], cls.Name + "." + word[1], lineNo)),
                    };
                    break;
                case "def" when word.Length == 2:
                    definitions.Add(Def(file.Path, "function", word[1], word[1], lineNo));
                    break;
                case "class" when word.Length == 2:
                    definitions.Add(Def(file.Path, "class", word[1], word[1], lineNo));
                    break;
                case "call" when word.Length == 2 && definitions.Count > 0:
                    definitions[^1] = definitions[^1] with
                    {
                        EndLine = lineNo,
                        Calls = definitions[^1].Calls.Add(new CallInfo { Callee = word[1], Line = lineNo }),
                    };
                    break;
                case "error":
                    errors.Add(new ParseError { File = file.Path, Line = lineNo, Column = raw.IndexOf('e') + 1, Reason = "invalid syntax" });
                    break;
                case "throw":
                    throw new InvalidOperationException("test parser crash");
            }
        }
        return new ParseResult(new ModuleInfo { Imports = imports.ToImmutable(), Definitions = [.. definitions] }, errors);
    }

    private static Definition Def(string path, string kind, string name, string qualified, int line) => new()
    {
        Id = DefinitionIds.Create(path, qualified), Kind = kind, Name = name, QualifiedName = qualified, StartLine = line, EndLine = line,
    };
}
