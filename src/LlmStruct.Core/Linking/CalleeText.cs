namespace LlmStruct.Linking;

/// <summary>Splits a callee's source text into identifier parts, or rejects it (calls on call results, indexers…).</summary>
internal static class CalleeText
{
    public static string[]? Split(string callee)
    {
        if (string.IsNullOrEmpty(callee))
        {
            return null;
        }
        if (IsDotted(callee))
        {
            // The common case (print, self.load, os.path.join): nothing to strip or replace.
            var plain = callee.Split('.');
            return Array.IndexOf(plain, "") >= 0 ? null : plain;
        }
        var text = StripGenerics(callee).Replace("?.", ".", StringComparison.Ordinal).Replace("!.", ".", StringComparison.Ordinal);
        if (text.StartsWith("global::", StringComparison.Ordinal))
        {
            text = text["global::".Length..];
        }
        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$' or '#' or '.'))
            {
                return null;
            }
        }
        var parts = text.Split('.');
        return parts.Any(p => p.Length == 0) ? null : parts;
    }

    private static bool IsDotted(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '#' or '.') && !(c > 0x7f && char.IsLetterOrDigit(c)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Removes generic argument lists (<c>Go&lt;int&gt;</c> → <c>Go</c>), a trailing '?' and array brackets.</summary>
    public static string StripGenerics(string text)
    {
        if (!text.Contains('<'))
        {
            return text.TrimEnd('?');
        }
        var builder = new System.Text.StringBuilder(text.Length);
        int depth = 0;
        foreach (var c in text)
        {
            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }
        return builder.ToString().TrimEnd('?');
    }
}
