using Esprima;
using Esprima.Ast;
using Esprima.Ast.Jsx;

namespace LlmStruct.Parsers.JavaScript.Parsing;

/// <summary>
/// Turns JSX into plain JavaScript of the same length so that Acornima (which has no JSX) can read the file and
/// every offset, line and column stays where it was. Esprima's <see cref="JsxParser"/> finds the JSX; each element
/// becomes an array literal <c>[ … ]</c> that keeps only the embedded expressions (<c>{expr}</c> → <c> expr,</c>),
/// so calls and callbacks inside JSX are still seen. The start offsets of the elements are kept to tell
/// "returns JSX" apart from "returns an array".
/// </summary>
internal static class JsxMasker
{
    /// <summary>Masks the JSX in <paramref name="source"/>; returns false with Esprima's error when it does not parse.</summary>
    public static bool TryMask(string source, bool module, out string masked, out HashSet<int> elementStarts, out ParseFailure? failure)
    {
        masked = source;
        elementStarts = [];
        failure = null;
        // Esprima 3.0.6 rejects a fragment nested in an element (`<a><></></a>`); it gets named fragments instead.
        var named = FragmentNamer.Name(source, out var inserted);
        Program program;
        try
        {
            var parser = new JsxParser(new JsxParserOptions { Tolerant = false, RegExpParseMode = Esprima.RegExpParseMode.Skip, AllowReturnOutsideFunction = !module });
            program = module ? parser.ParseModule(named) : parser.ParseScript(named);
        }
        catch (ParserException ex)
        {
            if (inserted.Count == 0)
            {
                // Esprima's columns are already 1-based.
                failure = new ParseFailure(ex.LineNumber, Math.Max(1, ex.Column), ex.Description ?? ex.Message, ex.Index);
            }
            else
            {
                int index = FragmentNamer.ToOriginal(inserted, Math.Max(0, ex.Index));
                var (line, column) = FragmentNamer.LineAndColumn(source, index);
                failure = new ParseFailure(line, column, ex.Description ?? ex.Message, index);
            }
            return false;
        }
        int Start(Node n) => FragmentNamer.ToOriginal(inserted, n.Range.Start);
        int End(Node n) => FragmentNamer.ToOriginal(inserted, n.Range.End);

        var chars = source.ToCharArray();
        bool any = false;
        // inElement: the node sits in an element's content or attributes (outside any {…}), where the elements
        // that follow one another need a comma between them: `<a><b/><c/></a>` → `[ [ ], [ ], ]`.
        var stack = new Stack<(Node Node, bool InElement)>();
        stack.Push((program, false));
        while (stack.Count > 0)
        {
            var (node, inElement) = stack.Pop();
            bool childrenInElement = inElement;
            switch (node)
            {
                case JsxElement element:
                    any = true;
                    elementStarts.Add(Start(element));
                    Blank(chars, Start(element), End(element));
                    chars[Start(element)] = '[';
                    if (inElement)
                    {
                        // Even `<a/>` and `<></>` have four characters or more, so `[ ],` fits.
                        chars[End(element) - 2] = ']';
                        chars[End(element) - 1] = ',';
                    }
                    else
                    {
                        chars[End(element) - 1] = ']';
                    }
                    childrenInElement = true;
                    break;
                case JsxExpressionContainer container:
                    Restore(chars, source, Start(container) + 1, End(container) - 1);
                    chars[Start(container)] = ' ';
                    chars[End(container) - 1] = ',';
                    childrenInElement = false;
                    break;
                case JsxSpreadAttribute spread:
                    Restore(chars, source, Start(spread) + 1, End(spread) - 1);
                    chars[Start(spread)] = ' ';
                    chars[End(spread) - 1] = ',';
                    childrenInElement = false;
                    break;
            }
            // Children are pushed in reverse so that outer nodes are rewritten before the nodes inside them.
            var children = new List<Node>();
            foreach (var child in node.ChildNodes)
            {
                if (child is not null)
                {
                    children.Add(child);
                }
            }
            for (int i = children.Count - 1; i >= 0; i--)
            {
                stack.Push((children[i], childrenInElement));
            }
        }
        if (any)
        {
            masked = new string(chars);
        }
        return true;
    }

    private static void Blank(char[] chars, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (chars[i] is not ('\n' or '\r' or '\u2028' or '\u2029'))
            {
                chars[i] = ' ';
            }
        }
    }

    private static void Restore(char[] chars, string source, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            chars[i] = source[i];
        }
    }
}

/// <summary>A syntax error: 1-based line and column, the library's reason, and the offset where it was found.</summary>
internal sealed record ParseFailure(int Line, int Column, string Reason, int Index);
