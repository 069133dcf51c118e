namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>Patterns: relational, type, positional, property and list patterns with their designations.</summary>
internal sealed partial class FastReader
{
    private void ReadPattern(Body body)
    {
        Enter();
        try
        {
            ReadPatternAnd(body);
            while (IsIdText(_p, "or"))
            {
                _p++;
                ReadPatternAnd(body);
            }
        }
        finally
        {
            Leave();
        }
    }

    private void ReadPatternAnd(Body body)
    {
        ReadPatternNot(body);
        while (IsIdText(_p, "and"))
        {
            _p++;
            ReadPatternNot(body);
        }
    }

    private void ReadPatternNot(Body body)
    {
        while (IsIdText(_p, "not"))
        {
            _p++;
        }
        ReadPatternPrimary(body);
    }

    private void ReadPatternPrimary(Body body)
    {
        if (Is("<") || Is("<=") || Is(">") || Is(">="))
        {
            _p++;
            ReadUnary(body);
            return;
        }
        if (Is("("))
        {
            int end = ScanType(_p + 1);
            if (end > 0 && Is(end, ")") && At(end + 1).Kind is TokenKind.Number or TokenKind.Char or TokenKind.String)
            {
                ReadUnary(body); // a cast constant: (byte)'\n'
                return;
            }
            _p++;
            do
            {
                if (IsId(_p) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
                {
                    Bail();
                }
                ReadPattern(body);
            }
            while (Accept(","));
            Expect(")");
            if (Is("{"))
            {
                ReadPropertyPattern(body);
            }
            Designation();
            return;
        }
        if (Is("{"))
        {
            ReadPropertyPattern(body);
            Designation();
            return;
        }
        if (Is("["))
        {
            _p++;
            while (!Is("]"))
            {
                if (Accept(".."))
                {
                    if (Is(",") || Is("]"))
                    {
                        if (!Accept(","))
                        {
                            break;
                        }
                        continue;
                    }
                }
                ReadPattern(body);
                if (!Accept(","))
                {
                    break;
                }
            }
            Expect("]");
            Designation();
            return;
        }
        if (IsIdText(_p, "var"))
        {
            _p++;
            ExpectId();
            _designationEnd = _p;
            return;
        }
        if (IsId(_p) || IsPredefined(_p))
        {
            int end = ScanType(_p, allowNullable: false);
            if (end > 0)
            {
                if (Is(end, "(") || Is(end, "<") || Is(end, "["))
                {
                    Bail();
                }
                _p = end;
                if (Is("{"))
                {
                    ReadPropertyPattern(body);
                }
                Designation();
                return;
            }
        }
        ReadUnary(body);
    }

    /// <summary>The token index right after the last pattern designation read (<c>is T name</c>).</summary>
    private int _designationEnd = -1;

    private void Designation()
    {
        if (IsId(_p) && !(Is("and") || Is("or") || Is("when") || Is("not") || Is("with")))
        {
            _p++;
            _designationEnd = _p;
        }
    }

    private void ReadPropertyPattern(Body body)
    {
        Expect("{");
        while (!Is("}"))
        {
            ExpectId();
            while (Accept("."))
            {
                ExpectId();
            }
            Expect(":");
            ReadPattern(body);
            if (!Accept(","))
            {
                break;
            }
        }
        Expect("}");
    }
}
