namespace LlmStruct.Parsers.Python.Tokens;

/// <summary>Token kinds: CPython's token types, with each keyword and operator its own kind.</summary>
internal enum TokenKind : byte
{
    EndMarker,
    Error,
    Newline,
    Indent,
    Dedent,
    Name,
    Number,
    String,
    FStringStart,
    FStringMiddle,
    FStringEnd,

    // Hard keywords.
    False, None, True, And, As, Assert, Async, Await, Break, Class, Continue, Def, Del, Elif, Else, Except,
    Finally, For, From, Global, If, Import, In, Is, Lambda, Nonlocal, Not, Or, Pass, Raise, Return, Try, While,
    With, Yield,

    // Operators and delimiters.
    LPar, RPar, LSqb, RSqb, LBrace, RBrace, Colon, Comma, Semi, Plus, Minus, Star, Slash, VBar, Amper, Less,
    Greater, Equal, Dot, Percent, EqEqual, NotEqual, LessEqual, GreaterEqual, Tilde, CircumFlex, LeftShift,
    RightShift, DoubleStar, PlusEqual, MinEqual, StarEqual, SlashEqual, PercentEqual, AmperEqual, VBarEqual,
    CircumflexEqual, LeftShiftEqual, RightShiftEqual, DoubleStarEqual, DoubleSlash, DoubleSlashEqual, At,
    AtEqual, RArrow, Ellipsis, ColonEqual, Exclamation,
}

/// <summary>Flags on string and name tokens.</summary>
[Flags]
internal enum TokenFlags : byte
{
    None = 0,
    Bytes = 1,
    Raw = 2,
    Triple = 4,
    NonAscii = 8,
    Unicode = 16,
}

/// <summary>One token: a span of the source plus its position (line 1-based, column 0-based in chars).</summary>
internal struct Token
{
    public TokenKind Kind;
    public TokenFlags Flags;
    public int Start;
    public int End;
    public int Line;
    public int Col;
    public int EndLine;

    public readonly override string ToString() => $"{Kind}@{Line}:{Col}";
}
