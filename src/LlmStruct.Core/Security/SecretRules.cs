using System.Buffers;
using System.Text.RegularExpressions;

namespace LlmStruct.Security;

/// <summary>
/// One named way a credential looks. A rule runs only on text that holds one of its <see cref="Prefixes"/> (a
/// vectorized search), so most strings never meet a regular expression.
/// </summary>
/// <param name="Name">Name written in the marker, <c>«redacted:NAME»</c>, and accepted by <c>[security] allow_rules</c>.</param>
/// <param name="Prefixes">Text one of which every match contains (compared exactly unless <see cref="IgnoreCase"/>).</param>
/// <param name="Pattern">The match; group <c>v</c>, when present, is the part replaced, else the whole match.</param>
/// <param name="Accept">Second look at the replaced text (entropy, placeholders); null accepts every match.</param>
public sealed record SecretRule(string Name, IReadOnlyList<string> Prefixes, Regex Pattern, Func<string, bool>? Accept = null)
{
    /// <summary>Whether <see cref="Prefixes"/> are compared ignoring ASCII case (the key words of the generic rules); else exactly.</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>The prefixes as one vectorized search.</summary>
    internal SearchValues<string> Search { get; } = SearchValues.Create([.. Prefixes], StringComparison.Ordinal);

    internal SearchValues<string> SearchIgnoringCase { get; } = SearchValues.Create([.. Prefixes], StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="text"/> holds one of the prefixes.</summary>
    internal bool MayMatch(ReadOnlySpan<char> text) => text.IndexOfAny(IgnoreCase ? SearchIgnoringCase : Search) >= 0;
}

/// <summary>The built-in rules, in the order they run (a block before the keys inside it, specific before generic).</summary>
public static partial class SecretRules
{
    /// <summary>The marker a redacted value becomes.</summary>
    public static string Marker(string rule) => "\u00ABredacted:" + rule + "\u00BB";

    /// <summary>Every built-in rule, in the order applied.</summary>
    public static IReadOnlyList<SecretRule> All { get; } =
    [
        new("private-key", ["-----BEGIN"], PrivateKey()),
        new("jwt", ["eyJ"], Jwt()),
        new("url-password", ["://"], UrlPassword(), v => !IsPlaceholder(v)),
        new("aws-access-key-id", ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"], AwsKeyId()),
        new("aws-secret-access-key", ["aws", "AWS", "Aws"], AwsSecret(), v => Entropy(v) >= 3.5),
        new("gcp-api-key", ["AIza"], GcpApiKey()),
        new("azure-storage-key", ["AccountKey="], AzureStorageKey()),
        new("azure-sas-token", ["sig="], AzureSas(), v => Entropy(v) >= 3.5),
        new("azure-client-secret", ["Q~"], AzureClientSecret(), v => Entropy(v) >= 3.5),
        new("github-token", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], GitHubToken()),
        new("gitlab-token", ["glpat-"], GitLabToken()),
        new("slack-token", ["xox"], SlackToken()),
        new("stripe-key", ["sk_live_", "rk_live_", "sk_test_", "rk_test_"], StripeKey()),
        new("anthropic-key", ["sk-ant-"], AnthropicKey()),
        new("openai-key", ["sk-"], OpenAiKey(), v => Entropy(v) >= 3.0 && HasDigitAndLetter(v)),
        new("generic-password", ["password", "passwd", "passphrase", "pwd"], GenericPassword(), IsPasswordLike) { IgnoreCase = true },
        new("generic-secret", ["secret", "token", "api_key", "apikey", "api-key", "access_key", "access-key", "accesskey", "auth_key", "auth-key", "authkey", "private_key", "private-key", "privatekey"],
            GenericSecret(), IsSecretLike) { IgnoreCase = true },
    ];

    /// <summary>The exact prefixes of every rule but the generic ones.</summary>
    internal static SearchValues<string> AnyPrefix { get; } =
        SearchValues.Create([.. All.Where(r => !r.IgnoreCase).SelectMany(r => r.Prefixes).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);

    /// <summary>The generic rules' key words (ASCII case ignored).</summary>
    internal static SearchValues<string> AnyKeyword { get; } =
        SearchValues.Create([.. All.Where(r => r.IgnoreCase).SelectMany(r => r.Prefixes).Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// No rule matches text shorter than this: the shortest matches are <c>pwd="x"</c> (the generic password rule's
    /// pattern, before its second look) and <c>a://b:c@</c> (a URL password), 7 and 8 characters; every other rule needs
    /// a longer prefix plus a long value. Checked against each rule's shortest match in the tests.
    /// </summary>
    internal const int MinMatchLength = 7;

    // Short strings (most of what redaction sees: callees, types, parameter names) are searched by a scalar scan over
    // a table of the prefixes' first two characters; SearchValues<string> costs more per call than such a string does.
    private const int ShortText = 120;
    private static readonly Prefix[]?[] ByBigram = BuildBigramTable();

    /// <summary>Whether <paramref name="text"/> holds any rule's prefix: when not, it has nothing to redact.</summary>
    internal static bool MayHoldSecret(ReadOnlySpan<char> text)
    {
        if (text.Length < 2)
        {
            return false; // the shortest prefix has two characters
        }
        if (text.Length > ShortText || text.ContainsAnyExceptInRange('\0', '\u007F'))
        {
            // Long text gains from the vectorized search; non-ASCII text keeps its exact case-folding rules.
            return text.IndexOfAny(AnyPrefix) >= 0 || text.IndexOfAny(AnyKeyword) >= 0;
        }
        int last = text.Length - 1;
        for (int i = 0; i < last; i++)
        {
            if (ByBigram[text[i] << 7 | text[i + 1]] is not { } candidates)
            {
                continue;
            }
            foreach (var prefix in candidates)
            {
                if (prefix.IsAt(text, i))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>A prefix in the bigram table: exact, or a key word lower-cased and compared with ASCII case folded.</summary>
    private sealed record Prefix(string Text, bool IgnoreCase)
    {
        public bool IsAt(ReadOnlySpan<char> text, int at)
        {
            if (at + Text.Length > text.Length)
            {
                return false;
            }
            for (int j = 2; j < Text.Length; j++)
            {
                char c = text[at + j];
                if (IgnoreCase && (uint)(c - 'A') <= 'Z' - 'A')
                {
                    c = (char)(c | 0x20);
                }
                if (c != Text[j])
                {
                    return false;
                }
            }
            return true;
        }
    }

    // Index: the first two characters (both ASCII) as c0 << 7 | c1; a key word is entered under every case of its first two.
    private static Prefix[]?[] BuildBigramTable()
    {
        var table = new List<Prefix>?[128 * 128];
        void Add(char a, char b, Prefix prefix)
        {
            var list = table[a << 7 | b] ??= [];
            if (!list.Contains(prefix))
            {
                list.Add(prefix);
            }
        }
        foreach (var rule in All)
        {
            foreach (var text in rule.Prefixes)
            {
                if (text.Length < 2 || !System.Text.Ascii.IsValid(text))
                {
                    throw new InvalidOperationException($"rule {rule.Name}: prefix '{text}' must be ASCII and at least two characters long");
                }
                if (!rule.IgnoreCase)
                {
                    Add(text[0], text[1], new Prefix(text, false));
                    continue;
                }
                var lower = text.ToLowerInvariant();
                foreach (char a in (char[])[lower[0], char.ToUpperInvariant(lower[0])])
                {
                    foreach (char b in (char[])[lower[1], char.ToUpperInvariant(lower[1])])
                    {
                        Add(a, b, new Prefix(lower, true));
                    }
                }
            }
        }
        return [.. table.Select(list => list?.ToArray())];
    }

    /// <summary>Shannon entropy of the text in bits per character.</summary>
    public static double Entropy(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }
        Span<int> counts = stackalloc int[128];
        int other = 0;
        foreach (char c in text)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }
        double entropy = 0;
        foreach (int n in counts)
        {
            if (n > 0)
            {
                double p = (double)n / text.Length;
                entropy -= p * Math.Log2(p);
            }
        }
        if (other > 0)
        {
            double p = (double)other / text.Length;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }

    private static bool HasDigitAndLetter(string v) => v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetter);

    // Values that stand for a secret without being one: documentation, templates, test fixtures' obvious fakes.
    private static bool IsPlaceholder(string v)
    {
        var lower = v.ToLowerInvariant();
        return lower.Length < 4 || lower.Contains("example", StringComparison.Ordinal) || lower.Contains("xxxx", StringComparison.Ordinal)
            || lower.Contains("****", StringComparison.Ordinal) || lower.Contains("changeme", StringComparison.Ordinal)
            || lower.Contains("placeholder", StringComparison.Ordinal) || lower.Contains("your", StringComparison.Ordinal)
            || lower is "password" or "passwd" or "secret" or "pass" or "pwd" or "token"
            || lower.IndexOfAny(TemplateChars) >= 0;
    }

    private static readonly char[] TemplateChars = ['{', '}', '$', '%', '<', '>', '(', ')', '[', ']', '\\', '|', ' ', '\t'];

    private static bool IsPasswordLike(string v) =>
        v.Length >= 8 && !IsPlaceholder(v) && Entropy(v) >= 2.5
        && (v.Any(char.IsAsciiDigit) || v.Any(c => !char.IsAsciiLetterOrDigit(c)) || (v.Any(char.IsAsciiLetterUpper) && v.Any(char.IsAsciiLetterLower)));

    private static bool IsSecretLike(string v) => v.Length >= 16 && !IsPlaceholder(v) && Entropy(v) >= 3.0 && HasDigitAndLetter(v);

    [GeneratedRegex(@"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@""'`]+:(?<v>[^\s@/""'`]+)@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsKeyId();

    [GeneratedRegex(@"(?i:aws)[A-Za-z0-9_.\-]{0,30}[""']?\s*(?::=|=>|=|:)\s*[""'`]?(?<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")]
    private static partial Regex AwsSecret();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}")]
    private static partial Regex GcpApiKey();

    [GeneratedRegex(@"AccountKey=(?<v>[A-Za-z0-9+/]{40,}={0,2})")]
    private static partial Regex AzureStorageKey();

    [GeneratedRegex(@"\bsig=(?<v>[A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})")]
    private static partial Regex AzureSas();

    [GeneratedRegex(@"(?<![A-Za-z0-9_~.\-])[A-Za-z0-9_\-.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~\-])")]
    private static partial Regex AzureClientSecret();

    [GeneratedRegex(@"\b(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bglpat-[A-Za-z0-9_\-]{20,}")]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"\bxox[abposre]-[A-Za-z0-9\-]{10,}")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\bsk-ant-[A-Za-z0-9_\-]{20,}")]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-)?(?<v>[A-Za-z0-9_\-]{20,})")]
    private static partial Regex OpenAiKey();

    // key = "value", key: 'value', "key": "value", key => "value" (Python string prefixes allowed before the quote).
    [GeneratedRegex(@"(?i:(?:password|passwd|passphrase|pwd)[A-Za-z0-9_\-]*)[""']?\s*(?::=|=>|==|=|:)\s*(?i:[rbuf]{0,2})(?<q>[""'`])(?<v>[^""'`\r\n]+)\k<q>")]
    private static partial Regex GenericPassword();

    [GeneratedRegex(@"(?i:(?:secret|token|api[_\-]?key|access[_\-]?key|auth[_\-]?key|private[_\-]?key)[A-Za-z0-9_\-]*)[""']?\s*(?::=|=>|==|=|:)\s*(?i:[rbuf]{0,2})(?<q>[""'`])(?<v>[^""'`\r\n]+)\k<q>")]
    private static partial Regex GenericSecret();
}
