using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Security;

namespace LlmStruct.Core.Tests.Security;

/// <summary>
/// The redaction pre-filter's shortcuts give the same answers as the plain searches they replace: the bigram scan of
/// short ASCII text finds a prefix exactly when the vectorized <see cref="SearchValues{T}"/> search does, and no rule
/// matches text shorter than <see cref="SecretRules.MinMatchLength"/>.
/// </summary>
public class SecretPrefilterProperties
{
    private static readonly SearchValues<string> Exact =
        SearchValues.Create([.. SecretRules.All.Where(r => !r.IgnoreCase).SelectMany(r => r.Prefixes).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);

    private static readonly SearchValues<string> Keywords =
        SearchValues.Create([.. SecretRules.All.Where(r => r.IgnoreCase).SelectMany(r => r.Prefixes).Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);

    private static bool Reference(string text) => text.AsSpan().IndexOfAny(Exact) >= 0 || text.AsSpan().IndexOfAny(Keywords) >= 0;

    // Pieces that make near misses likely: every prefix in random case and cut short, the characters the patterns
    // care about, ASCII letters, and a few non-ASCII letters that fold like ASCII ones (ſ, ı, K).
    private static readonly string[] Pieces =
    [
        .. SecretRules.All.SelectMany(r => r.Prefixes),
        .. SecretRules.All.SelectMany(r => r.Prefixes).Where(p => p.Length > 2).Select(p => p[..^1]),
        "=", ":", "\"", "'", "`", " ", "_", "-", ".", "@", "/", "~", "\n", "x", "Z", "0", "9", "ab", "Token", "PASS", "sEcReT",
        "\u017F", "\u0131", "\u212A", "é",
    ];

    private static Gen<string> Texts(int maxPieces) =>
        from count in Gen.Choose(0, maxPieces)
        from pieces in Gen.ArrayOf(Gen.Elements(Pieces), count)
        from casing in Gen.ArrayOf(Gen.Elements(0, 1, 2), count)
        select string.Concat(pieces.Zip(casing, (p, c) => c == 1 ? p.ToUpperInvariant() : c == 2 ? p.ToLowerInvariant() : p));

    [Property(MaxTest = 2000)]
    public Property The_scan_finds_a_prefix_exactly_when_the_vectorized_search_does() =>
        Prop.ForAll(Texts(60).ToArbitrary(), text => SecretRules.MayHoldSecret(text) == Reference(text));

    [Property(MaxTest = 2000)]
    public Property No_rule_matches_text_shorter_than_the_minimum() =>
        Prop.ForAll(Texts(6).Where(t => t.Length < SecretRules.MinMatchLength).ToArbitrary(),
            text => SecretRules.All.All(rule => !rule.Pattern.IsMatch(text)));

    [Theory]
    [InlineData("generic-password", "pwd=\"x\"")]
    [InlineData("url-password", "a://b:c@")]
    [InlineData("slack-token", "xo" + "xb-0123456789")]
    [InlineData("openai-key", "s" + "k-01234567890123456789")]
    public void Short_matches_are_never_shorter_than_the_minimum_and_the_minimum_is_reached(string rule, string shortest)
    {
        Assert.Matches(SecretRules.All.Single(r => r.Name == rule).Pattern, shortest);
        Assert.True(shortest.Length >= SecretRules.MinMatchLength, $"{rule}: '{shortest}' is shorter than the minimum");
        Assert.False(SecretRules.All.Single(r => r.Name == rule).Pattern.IsMatch(shortest[..^1]) && shortest.Length - 1 < SecretRules.MinMatchLength);
        Assert.Equal(SecretRules.MinMatchLength, "pwd=\"x\"".Length);
    }

    [Fact]
    public void Long_and_non_ASCII_text_still_finds_its_prefixes()
    {
        Assert.True(SecretRules.MayHoldSecret(new string('a', 500) + "ghp_"));
        Assert.False(SecretRules.MayHoldSecret(new string('a', 500)));
        Assert.True(SecretRules.MayHoldSecret("é passWORD"));
        Assert.Equal(Reference("\u017Fecret"), SecretRules.MayHoldSecret("\u017Fecret"));
    }
}
