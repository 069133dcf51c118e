using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmStruct.Parsers.CSharp;

/// <summary>Turns syntax into the short source texts the model stores (types, attributes, callees, signatures).</summary>
internal static class SyntaxText
{
    /// <summary>Longest text kept for a type, default value, attribute or callee; longer ones end with an ellipsis.</summary>
    internal const int MaxLength = 400;

    /// <summary>
    /// The node's tokens, comments dropped, joined with no whitespace except one space between two word-like tokens
    /// (<c>Dictionary&lt;string,int&gt;</c>, <c>ref int</c>, <c>(int a,int b)</c>).
    /// </summary>
    public static string Compact(SyntaxNode? node)
    {
        if (node is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        bool previousWord = false;
        foreach (var token in node.DescendantTokens())
        {
            var text = token.Text;
            if (text.Length == 0)
            {
                continue;
            }
            bool word = IsWordLike(token);
            if (word && previousWord)
            {
                sb.Append(' ');
            }
            sb.Append(text);
            previousWord = word;
            if (sb.Length > MaxLength)
            {
                return Truncate(sb.ToString());
            }
        }
        return sb.ToString();
    }

    /// <summary>The node's source text (comments included) with every whitespace run collapsed to one space.</summary>
    public static string Normalized(SyntaxNode? node)
    {
        if (node is null)
        {
            return "";
        }
        return CollapseWhitespace(node.ToString());
    }

    /// <summary>Collapses whitespace runs to one space and trims; caps the length.</summary>
    public static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }
            sb.Append(c);
            if (sb.Length > MaxLength)
            {
                return Truncate(sb.ToString());
            }
        }
        return sb.ToString();
    }

    private static string Truncate(string text) => text[..MaxLength] + "…";

    private static bool IsWordLike(SyntaxToken token)
    {
        var kind = token.Kind();
        return kind == SyntaxKind.IdentifierToken
            || SyntaxFacts.IsKeywordKind(kind)
            || SyntaxFacts.IsContextualKeyword(kind)
            || kind is SyntaxKind.NumericLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.StringLiteralToken;
    }

    /// <summary>
    /// The callee of an invocation as source text: names and member accesses as written, generic type arguments
    /// stripped (<c>Foo&lt;T&gt;</c> → <c>Foo</c>), inner argument lists shown as <c>()</c> (<c>a.Where().Select</c>).
    /// Walks the left spine iteratively, so long chains cannot exhaust the stack.
    /// </summary>
    public static string Callee(ExpressionSyntax expression)
    {
        // Collect the pieces from right to left, then reverse.
        var parts = new List<string>();
        ExpressionSyntax? current = expression;
        while (current is not null)
        {
            switch (current)
            {
                case IdentifierNameSyntax id:
                    parts.Add(id.Identifier.ValueText);
                    current = null;
                    break;
                case GenericNameSyntax generic:
                    parts.Add(generic.Identifier.ValueText);
                    current = null;
                    break;
                case MemberAccessExpressionSyntax access:
                    parts.Add(NameOf(access.Name));
                    parts.Add(access.OperatorToken.Text);
                    current = access.Expression;
                    break;
                case QualifiedNameSyntax qualified:
                    parts.Add(NameOf(qualified.Right));
                    parts.Add(".");
                    current = qualified.Left;
                    break;
                case AliasQualifiedNameSyntax alias:
                    parts.Add(NameOf(alias.Name));
                    parts.Add("::");
                    parts.Add(alias.Alias.Identifier.ValueText);
                    current = null;
                    break;
                case MemberBindingExpressionSyntax binding:
                    parts.Add(NameOf(binding.Name));
                    parts.Add(".");
                    current = ConditionalReceiver(binding);
                    if (current is not null)
                    {
                        parts.Add("?");
                    }
                    break;
                case InvocationExpressionSyntax invocation:
                    parts.Add("()");
                    current = invocation.Expression;
                    break;
                case ElementAccessExpressionSyntax element:
                    parts.Add("[]");
                    current = element.Expression;
                    break;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang:
                    parts.Add("!");
                    current = bang.Operand;
                    break;
                case ThisExpressionSyntax:
                    parts.Add("this");
                    current = null;
                    break;
                case BaseExpressionSyntax:
                    parts.Add("base");
                    current = null;
                    break;
                case PredefinedTypeSyntax predefined:
                    parts.Add(predefined.Keyword.Text);
                    current = null;
                    break;
                case ObjectCreationExpressionSyntax creation:
                    parts.Add("()");
                    parts.Add(TypeName(creation.Type));
                    parts.Add("new ");
                    current = null;
                    break;
                default:
                    parts.Add(Compact(current));
                    current = null;
                    break;
            }
            if (parts.Count > 256)
            {
                parts.Add("…");
                break;
            }
        }
        parts.Reverse();
        var text = string.Concat(parts);
        return text.Length > MaxLength ? Truncate(text) : text;
    }

    /// <summary>A type's name for a call to its constructor: qualified as written, type arguments stripped.</summary>
    public static string TypeName(TypeSyntax type) => type switch
    {
        NameSyntax name => Callee(name),
        _ => Compact(type),
    };

    private static string NameOf(SimpleNameSyntax name) => name.Identifier.ValueText;

    /// <summary>The receiver of <c>a?.B</c>: the expression of the closest conditional access whose tail holds the binding.</summary>
    private static ExpressionSyntax? ConditionalReceiver(MemberBindingExpressionSyntax binding)
    {
        SyntaxNode? node = binding.Parent;
        while (node is not null)
        {
            if (node is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull.Span.Contains(binding.Span))
            {
                return conditional.Expression;
            }
            node = node.Parent;
        }
        return null;
    }
}
