using System.Text;

namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>
/// The fast reader's twin of <see cref="XmlDocs"/>: the summary of a <c>///</c> comment, for plain, well-formed XML
/// only (known entities, simple names, quoted attributes, plain crefs). <see cref="Fail"/> means "not mine".
/// </summary>
internal static class FastDocs
{
    /// <summary>Returned when the comment is outside what this reader models exactly.</summary>
    public const string Fail = "\0fail";

    private sealed class Node
    {
        public string? Text;
        public string Name = "";
        public bool Empty;
        public string EmptyText = "";
        public List<Node> Content = [];
    }

    /// <summary>The summary of the doc comment in <paramref name="text"/>[start..end], null for none, or <see cref="Fail"/>.</summary>
    public static string? Summary(string text, int start, int end)
    {
        var body = new StringBuilder();
        foreach (var rawLine in text.AsSpan(start, end - start).ToString().Split('\n'))
        {
            var line = rawLine.TrimEnd('\r').TrimStart(' ', '\t');
            if (!line.StartsWith("///", StringComparison.Ordinal))
            {
                return Fail;
            }
            body.Append(line.AsSpan(3)).Append('\n');
        }
        body.Length--; // no newline after the last line
        var root = new Node();
        int pos = 0;
        if (!ParseContent(body.ToString(), ref pos, root, depth: 0) || pos != body.Length)
        {
            return Fail;
        }
        Node? summary = null;
        bool anyElement = false;
        foreach (var node in root.Content)
        {
            if (node.Text is null)
            {
                anyElement = true;
                if (summary is null && !node.Empty && node.Name == "summary")
                {
                    summary = node;
                }
            }
        }
        var sb = new StringBuilder();
        if (summary is not null)
        {
            Append(summary.Content, sb);
        }
        else if (!anyElement)
        {
            Append(root.Content, sb);
        }
        else
        {
            return null;
        }
        var paragraph = LlmStruct.Parsing.SourceText.FirstParagraph(sb.ToString());
        return paragraph is null ? null : SyntaxText.CollapseWhitespace(paragraph);
    }

    private static void Append(List<Node> content, StringBuilder sb)
    {
        foreach (var node in content)
        {
            if (node.Text is not null)
            {
                sb.Append(node.Text);
            }
            else if (node.Empty)
            {
                sb.Append(node.EmptyText);
            }
            else if (node.Name == "para")
            {
                sb.Append("\n\n");
                Append(node.Content, sb);
                sb.Append("\n\n");
            }
            else
            {
                Append(node.Content, sb);
            }
        }
    }

    /// <summary>Text and elements up to a closing tag (left unread) or the end.</summary>
    private static bool ParseContent(string s, ref int pos, Node parent, int depth)
    {
        if (depth > 16)
        {
            return false;
        }
        var text = new StringBuilder();
        while (pos < s.Length)
        {
            char c = s[pos];
            if (c == '<')
            {
                if (pos + 1 < s.Length && s[pos + 1] == '/')
                {
                    break;
                }
                if (text.Length > 0)
                {
                    parent.Content.Add(new Node { Text = text.ToString() });
                    text.Clear();
                }
                if (!ParseElement(s, ref pos, parent, depth))
                {
                    return false;
                }
                continue;
            }
            if (c == '&')
            {
                if (!Entity(s, ref pos, text))
                {
                    return false;
                }
                continue;
            }
            if (c == '>' && pos >= 2 && s[pos - 1] == ']' && s[pos - 2] == ']' || c == '\t' || c < ' ' && c != '\n')
            {
                return false; // "]]>" is an error in XML text; a lone '>' is text
            }
            text.Append(c);
            pos++;
        }
        if (text.Length > 0)
        {
            parent.Content.Add(new Node { Text = text.ToString() });
        }
        return true;
    }

    private static bool Entity(string s, ref int pos, StringBuilder into)
    {
        int semi = s.IndexOf(';', pos);
        if (semi < 0 || semi - pos > 6)
        {
            return false;
        }
        var name = s.AsSpan(pos + 1, semi - pos - 1);
        string? value = name switch
        {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "quot" => "\"",
            "apos" => "'",
            _ => null,
        };
        if (value is null)
        {
            return false;
        }
        into.Append(value);
        pos = semi + 1;
        return true;
    }

    private static bool Name(string s, ref int pos, out string name)
    {
        int start = pos;
        while (pos < s.Length && char.IsAsciiLetter(s[pos]))
        {
            pos++;
        }
        name = s[start..pos];
        return name.Length > 0;
    }

    private static void Spaces(string s, ref int pos)
    {
        while (pos < s.Length && s[pos] == ' ')
        {
            pos++;
        }
    }

    private static bool ParseElement(string s, ref int pos, Node parent, int depth)
    {
        pos++; // '<'
        if (!Name(s, ref pos, out var name))
        {
            return false;
        }
        var node = new Node { Name = name };
        string? emptyText = null;
        while (true)
        {
            bool spaced = pos < s.Length && s[pos] == ' ';
            Spaces(s, ref pos);
            if (pos >= s.Length)
            {
                return false;
            }
            if (s[pos] == '/' && pos + 1 < s.Length && s[pos + 1] == '>')
            {
                pos += 2;
                node.Empty = true;
                node.EmptyText = emptyText ?? "";
                parent.Content.Add(node);
                return true;
            }
            if (s[pos] == '>')
            {
                pos++;
                break;
            }
            if (!spaced || !Name(s, ref pos, out var attribute) || pos + 1 >= s.Length || s[pos] != '=' || s[pos + 1] is not ('"' or '\''))
            {
                return false;
            }
            char quote = s[pos + 1];
            pos += 2;
            var value = new StringBuilder();
            while (pos < s.Length && s[pos] != quote)
            {
                if (s[pos] is '<' or '\n')
                {
                    return false;
                }
                if (s[pos] == '&')
                {
                    if (!Entity(s, ref pos, value))
                    {
                        return false;
                    }
                    continue;
                }
                value.Append(s[pos]);
                pos++;
            }
            if (pos >= s.Length)
            {
                return false;
            }
            pos++;
            if (emptyText is not null)
            {
                continue;
            }
            switch (attribute)
            {
                case "cref":
                    emptyText = CompactCref(value.ToString());
                    if (emptyText is null)
                    {
                        return false;
                    }
                    break;
                case "name" when name is "param" or "paramref" or "typeparam" or "typeparamref":
                    if (!PlainIdentifier(value.ToString()))
                    {
                        return false;
                    }
                    emptyText = value.ToString();
                    break;
                case "langword" or "href":
                    emptyText = value.ToString();
                    break;
            }
        }
        if (!ParseContent(s, ref pos, node, depth + 1))
        {
            return false;
        }
        // Expect the matching closing tag.
        if (pos + 1 >= s.Length || s[pos] != '<' || s[pos + 1] != '/')
        {
            return false;
        }
        pos += 2;
        if (!Name(s, ref pos, out var closing) || closing != name || pos >= s.Length || s[pos] != '>')
        {
            return false;
        }
        pos++;
        parent.Content.Add(node);
        return true;
    }

    private static bool PlainIdentifier(string value) =>
        value.Length > 0 && (char.IsAsciiLetter(value[0]) || value[0] == '_') && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static readonly HashSet<string> CrefKeywords = new(StringComparer.Ordinal)
    {
        "bool", "byte", "char", "decimal", "double", "float", "int", "long", "object", "sbyte", "short", "string",
        "uint", "ulong", "ushort", "void",
    };

    /// <summary>
    /// Roslyn's compact text of a cref of the form <c>A.B{T,U}.M(int, List{string}?, T[])</c> (names, type arguments
    /// in braces, a parameter list of such types); null for anything else.
    /// </summary>
    private static string? CompactCref(string value)
    {
        var sb = new StringBuilder();
        int pos = 0;
        if (!CrefType(value, ref pos, sb, allowSuffix: false, depth: 0))
        {
            return null;
        }
        if (pos < value.Length && value[pos] == '(')
        {
            sb.Append('(');
            pos++;
            CrefSpaces(value, ref pos);
            if (pos < value.Length && value[pos] != ')')
            {
                while (true)
                {
                    if (!CrefType(value, ref pos, sb, allowSuffix: true, depth: 0))
                    {
                        return null;
                    }
                    CrefSpaces(value, ref pos);
                    if (pos < value.Length && value[pos] == ',')
                    {
                        sb.Append(',');
                        pos++;
                        CrefSpaces(value, ref pos);
                        continue;
                    }
                    break;
                }
            }
            if (pos >= value.Length || value[pos] != ')')
            {
                return null;
            }
            sb.Append(')');
            pos++;
        }
        return pos == value.Length ? sb.ToString() : null;
    }

    private static void CrefSpaces(string value, ref int pos)
    {
        while (pos < value.Length && value[pos] == ' ')
        {
            pos++;
        }
    }

    private static bool CrefType(string value, ref int pos, StringBuilder sb, bool allowSuffix, int depth)
    {
        if (depth > 8)
        {
            return false;
        }
        while (true)
        {
            int start = pos;
            while (pos < value.Length && (char.IsAsciiLetterOrDigit(value[pos]) || value[pos] == '_'))
            {
                pos++;
            }
            var name = value[start..pos];
            if (!PlainIdentifier(name) || FastLexerKeywords.IsReserved(name) && !CrefKeywords.Contains(name))
            {
                return false;
            }
            sb.Append(name);
            if (pos < value.Length && value[pos] == '{')
            {
                sb.Append('{');
                pos++;
                while (true)
                {
                    if (!CrefType(value, ref pos, sb, allowSuffix: true, depth + 1))
                    {
                        return false;
                    }
                    if (pos < value.Length && value[pos] == ',')
                    {
                        sb.Append(',');
                        pos++;
                        continue;
                    }
                    break;
                }
                if (pos >= value.Length || value[pos] != '}')
                {
                    return false;
                }
                sb.Append('}');
                pos++;
            }
            if (pos < value.Length && value[pos] == '.')
            {
                sb.Append('.');
                pos++;
                continue;
            }
            break;
        }
        while (allowSuffix && pos < value.Length && value[pos] is '?' or '[')
        {
            if (value[pos] == '?')
            {
                sb.Append('?');
                pos++;
            }
            else if (pos + 1 < value.Length && value[pos + 1] == ']')
            {
                sb.Append("[]");
                pos += 2;
            }
            else
            {
                return false;
            }
        }
        return true;
    }
}
