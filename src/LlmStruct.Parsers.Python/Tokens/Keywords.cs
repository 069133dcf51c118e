namespace LlmStruct.Parsers.Python.Tokens;

/// <summary>Recognizes Python's hard keywords without allocating.</summary>
internal static class Keywords
{
    public static TokenKind Classify(ReadOnlySpan<char> s)
    {
        switch (s.Length)
        {
            case 2:
                return s[0] switch
                {
                    'a' when s[1] == 's' => TokenKind.As,
                    'i' when s[1] == 'f' => TokenKind.If,
                    'i' when s[1] == 'n' => TokenKind.In,
                    'i' when s[1] == 's' => TokenKind.Is,
                    'o' when s[1] == 'r' => TokenKind.Or,
                    _ => TokenKind.Name,
                };
            case 3:
                return s switch
                {
                    "and" => TokenKind.And,
                    "def" => TokenKind.Def,
                    "del" => TokenKind.Del,
                    "for" => TokenKind.For,
                    "not" => TokenKind.Not,
                    "try" => TokenKind.Try,
                    _ => TokenKind.Name,
                };
            case 4:
                return s switch
                {
                    "None" => TokenKind.None,
                    "True" => TokenKind.True,
                    "elif" => TokenKind.Elif,
                    "else" => TokenKind.Else,
                    "from" => TokenKind.From,
                    "pass" => TokenKind.Pass,
                    "with" => TokenKind.With,
                    _ => TokenKind.Name,
                };
            case 5:
                return s switch
                {
                    "False" => TokenKind.False,
                    "async" => TokenKind.Async,
                    "await" => TokenKind.Await,
                    "break" => TokenKind.Break,
                    "class" => TokenKind.Class,
                    "raise" => TokenKind.Raise,
                    "while" => TokenKind.While,
                    "yield" => TokenKind.Yield,
                    _ => TokenKind.Name,
                };
            case 6:
                return s switch
                {
                    "assert" => TokenKind.Assert,
                    "except" => TokenKind.Except,
                    "global" => TokenKind.Global,
                    "import" => TokenKind.Import,
                    "lambda" => TokenKind.Lambda,
                    "return" => TokenKind.Return,
                    _ => TokenKind.Name,
                };
            case 7:
                return s is "finally" ? TokenKind.Finally : TokenKind.Name;
            case 8:
                return s switch
                {
                    "continue" => TokenKind.Continue,
                    "nonlocal" => TokenKind.Nonlocal,
                    _ => TokenKind.Name,
                };
            default:
                return TokenKind.Name;
        }
    }
}
