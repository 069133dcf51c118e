using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Model;
using LlmStruct.Security;

namespace LlmStruct.Core.Tests.Security;

public class SourceRedactorTests
{
    // Values are built from pieces so no scanner flags the repository.
    private static readonly string GitHub = string.Concat("gh", "p_") + new string('a', 12) + "B7c9D2e4F6g8H0j1K3m5N7p9";
    private static readonly string OpenAi = string.Concat("sk", "-proj-") + "Zq8Xw7Vu6Ts5Rp4On3Ml2Kj1Ih0GfEdCbA9";

    [Fact]
    public void Each_rule_replaces_the_value_by_its_named_marker()
    {
        var redactor = SourceRedactor.Default;
        Assert.Equal("token: \u00ABredacted:github-token\u00BB.", redactor.Redact($"token: {GitHub}."));
        Assert.Equal(string.Concat("sk", "-proj-") + "\u00ABredacted:openai-key\u00BB", redactor.Redact(OpenAi));
        Assert.Equal("postgres://admin:\u00ABredacted:url-password\u00BB@db/x", redactor.Redact("postgres://admin:" + "Pa55" + "word9Q@db/x"));
        Assert.Equal("password = \"\u00ABredacted:generic-password\u00BB\"", redactor.Redact("password = \"" + "hunter2" + "hunter2\""));
    }

    [Theory]
    [InlineData("The token is read from the environment.")]
    [InlineData("password = \"\"")]
    [InlineData("password = \"changeme\"")]
    [InlineData("token_type = \"authorization_code\"")]
    [InlineData("secret_key = \"your-secret-key-here\"")]
    [InlineData("api_key = \"{api_key}\"")]
    [InlineData("https://user@example.com/path")]
    [InlineData("ask-the-user-before-deleting-the-file")]
    [InlineData("TOKEN_PATTERN = \"[A-Za-z0-9_]+\"")]
    public void Ordinary_text_is_left_alone(string text)
    {
        Assert.Same(text, SourceRedactor.Default.Redact(text));
    }

    [Fact]
    public void A_parameter_default_is_judged_with_its_name()
    {
        var module = new ModuleInfo
        {
            Path = "a.py",
            Definitions = [new Definition
            {
                Id = "a.py#connect", Name = "connect", QualifiedName = "connect",
                Parameters = [new ParameterInfo { Name = "password", Default = "\"" + "hunter2" + "hunter2\"" }, new ParameterInfo { Name = "retries", Default = "3" }],
                Docstring = "Uses " + GitHub + ".",
            }],
        };

        var redacted = SourceRedactor.Default.Redact(module);

        var definition = Assert.Single(redacted.Definitions);
        Assert.Equal("\"\u00ABredacted:generic-password\u00BB\"", definition.Parameters[0].Default);
        Assert.Same(module.Definitions[0].Parameters[1], definition.Parameters[1]);
        Assert.Equal("Uses \u00ABredacted:github-token\u00BB.", definition.Docstring);
        Assert.Equal(
            [new RedactionFinding("a.py", "generic-password", 1), new RedactionFinding("a.py", "github-token", 1)],
            SourceRedactor.Findings(redacted));
    }

    [Fact]
    public void A_module_without_secrets_is_the_same_instance()
    {
        var module = new ModuleInfo { Path = "a.py", Docstring = "Plain words.", Definitions = [new Definition { Id = "a.py#f", Name = "f", QualifiedName = "f", Decorators = ["app.route(\"/token\")"] }] };
        Assert.Same(module, SourceRedactor.Default.Redact(module));
    }

    [Fact]
    public void Settings_decide_the_key_and_what_is_redacted()
    {
        var off = new SourceRedactor(new SecurityOptions { RedactSecrets = false });
        var allowPath = new SourceRedactor(new SecurityOptions { AllowPaths = ["tests/**"] });
        var allowRule = new SourceRedactor(new SecurityOptions { AllowRules = ["github-token"] });

        Assert.Equal(GitHub, off.Redact(GitHub));
        Assert.Equal(GitHub, allowRule.Redact(GitHub));
        Assert.False(allowPath.AppliesTo("tests/a.py"));
        Assert.True(allowPath.AppliesTo("src/a.py"));
        Assert.Equal("redact-off", allowPath.KeyFor("tests/a.py"));
        Assert.Equal(4, new[] { SourceRedactor.Default.Key, off.Key, allowPath.Key, allowRule.Key }.Distinct().Count());
    }

    [Fact]
    public void Redacted_values_are_recorded_in_order_and_never_printed()
    {
        var values = new List<RedactedValue>();
        var text = SourceRedactor.Default.Redact($"a = \"{GitHub}\"\nb = \"{GitHub}\"\n", values);
        Assert.Equal(2, values.Count);
        Assert.All(values, v => Assert.Equal(GitHub, v.Value));
        Assert.DoesNotContain(GitHub, values[0].ToString());
        Assert.DoesNotContain(GitHub, text);
    }
}
