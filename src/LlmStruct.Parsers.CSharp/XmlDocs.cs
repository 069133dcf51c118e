using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmStruct.Parsers.CSharp;

/// <summary>Reads the first paragraph of a declaration's XML documentation <c>&lt;summary&gt;</c>.</summary>
internal static class XmlDocs
{
    private const string ParagraphBreak = "\n\n";

    /// <summary>
    /// The summary's inner text: <c>&lt;see cref="X"/&gt;</c> becomes <c>X</c> (also <c>langword</c>, <c>paramref</c>,
    /// <c>typeparamref</c>), other elements give their inner text, <c>&lt;para&gt;</c> starts a paragraph;
    /// first paragraph only, whitespace collapsed. A doc comment without any XML element counts as a summary.
    /// Null when there is none.
    /// </summary>
    public static string? Summary(SyntaxNode declaration)
    {
        DocumentationCommentTriviaSyntax? doc = null;
        foreach (var trivia in declaration.GetLeadingTrivia())
        {
            if (trivia.GetStructure() is DocumentationCommentTriviaSyntax structure)
            {
                doc = structure; // the one closest to the declaration wins
            }
        }
        if (doc is null)
        {
            return null;
        }
        XmlElementSyntax? summary = null;
        bool anyElement = false;
        foreach (var node in doc.Content)
        {
            if (node is XmlElementSyntax element)
            {
                anyElement = true;
                if (summary is null && element.StartTag.Name.LocalName.ValueText == "summary")
                {
                    summary = element;
                }
            }
            else if (node is XmlEmptyElementSyntax)
            {
                anyElement = true;
            }
        }
        var sb = new StringBuilder();
        if (summary is not null)
        {
            AppendContent(summary.Content, sb);
        }
        else if (!anyElement)
        {
            AppendContent(doc.Content, sb);
        }
        else
        {
            return null;
        }
        var paragraph = LlmStruct.Parsing.SourceText.FirstParagraph(sb.ToString());
        return paragraph is null ? null : SyntaxText.CollapseWhitespace(paragraph);
    }

    private static void AppendContent(SyntaxList<XmlNodeSyntax> content, StringBuilder sb)
    {
        // XML nesting in doc comments is shallow, but walk with an explicit stack anyway.
        var stack = new Stack<object>();
        for (int i = content.Count - 1; i >= 0; i--)
        {
            stack.Push(content[i]);
        }
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case XmlTextSyntax text:
                    foreach (var token in text.TextTokens)
                    {
                        sb.Append(token.IsKind(SyntaxKind.XmlTextLiteralNewLineToken) ? "\n" : token.ValueText);
                    }
                    break;
                case XmlEmptyElementSyntax empty:
                    sb.Append(EmptyElementText(empty));
                    break;
                case XmlElementSyntax element:
                    if (element.StartTag.Name.LocalName.ValueText == "para")
                    {
                        sb.Append("\n\n");
                        stack.Push(ParagraphBreak);
                    }
                    for (int i = element.Content.Count - 1; i >= 0; i--)
                    {
                        stack.Push(element.Content[i]);
                    }
                    break;
                case string separator:
                    sb.Append(separator);
                    break;
                case XmlCDataSectionSyntax cdata:
                    foreach (var token in cdata.TextTokens)
                    {
                        sb.Append(token.ValueText);
                    }
                    break;
            }
        }
    }

    private static string EmptyElementText(XmlEmptyElementSyntax empty)
    {
        foreach (var attribute in empty.Attributes)
        {
            switch (attribute)
            {
                case XmlCrefAttributeSyntax cref:
                    return SyntaxText.Compact(cref.Cref);
                case XmlNameAttributeSyntax name:
                    return name.Identifier.Identifier.ValueText;
                case XmlTextAttributeSyntax text when text.Name.LocalName.ValueText is "langword" or "href":
                    return string.Concat(text.TextTokens.Select(t => t.ValueText));
            }
        }
        return "";
    }
}
