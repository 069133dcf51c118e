namespace LlmStruct.Cli.Tests;

/// <summary>
/// A secret of every redaction rule, each built from pieces here (so no scanner flags this repository), and source
/// files in Python, JavaScript and C# that carry it in a default, a constant, a docstring or doc comment, a decorator
/// or attribute, a call and an f-string / template / interpolated string.
/// </summary>
internal static class PlantedSecrets
{
    /// <summary>One planted secret: the rule that must catch it, the name it is assigned to, the literal written and the part that must never appear.</summary>
    internal sealed record Plant(string Rule, string Key, string Literal, string Secret);

    private static string Mix(string seed, int length)
    {
        // Deterministic, varied characters (letters of both cases and digits) of the wanted length.
        const string alphabet = "aZ3kQ9mX2pL7vR4tY8wN5bC1dF6gH0jK";
        var chars = new char[length];
        int state = seed.Aggregate(17, (h, c) => (h * 31) + c);
        for (int i = 0; i < length; i++)
        {
            state = (state * 1103515245) + 12345;
            chars[i] = alphabet[(int)((uint)state >> 16) % alphabet.Length];
        }
        return new string(chars);
    }

    public static IReadOnlyList<Plant> All { get; } = Build();

    private static List<Plant> Build()
    {
        var aws = string.Concat("AK", "IA", "QZ7XR2PL9M4TV8WN");
        var awsSecret = Mix("aws", 20) + "/" + Mix("aws2", 19);
        var gcp = string.Concat("AI", "za") + Mix("gcp", 35);
        var azureKey = Mix("azure", 86) + "==";
        var sas = Mix("sas", 43);
        var azureClient = "Xy7" + "8" + "Q~" + Mix("aad", 34);
        var github = string.Concat("gh", "p_") + Mix("gh", 36);
        var githubPat = string.Concat("github", "_pat_") + Mix("pat", 22) + "_" + Mix("pat2", 40);
        var gitlab = string.Concat("gl", "pat-") + Mix("gl", 20);
        var slack = string.Concat("xo", "xb-") + "1234567890-" + Mix("slack", 24);
        var stripe = string.Concat("sk", "_live_") + Mix("stripe", 24);
        var anthropic = string.Concat("sk", "-ant-") + "api03-" + Mix("anthropic", 40);
        var openai = string.Concat("sk", "-proj-") + Mix("openai", 40);
        var keyBody = Mix("rsa", 48);
        var privateKey = "-----BEGIN " + "RSA PRIVATE KEY-----\\n" + keyBody + "\\n-----END RSA PRIVATE KEY-----";
        var jwtPayload = string.Concat("ey", "J") + Mix("jwt1", 18) + "." + string.Concat("ey", "J") + Mix("jwt2", 24) + "." + Mix("jwt3", 43);
        var dbPassword = "S3" + "cr3tPa55" + "w0rdQ";
        var password = "hunter2" + "hunter2";
        var apiKey = Mix("generic", 16) + "9f8e7d6c";
        return
        [
            new("aws-access-key-id", "value", aws, aws),
            new("aws-secret-access-key", "aws_secret_access_key", awsSecret, awsSecret),
            new("gcp-api-key", "value", gcp, gcp),
            new("azure-storage-key", "value", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + azureKey, azureKey),
            new("azure-sas-token", "value", "https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=" + sas, sas),
            new("azure-client-secret", "value", azureClient, azureClient),
            new("github-token", "value", github, github),
            new("github-token", "value", githubPat, githubPat),
            new("gitlab-token", "value", gitlab, gitlab),
            new("slack-token", "value", slack, slack),
            new("stripe-key", "value", stripe, stripe),
            new("anthropic-key", "value", anthropic, anthropic),
            new("openai-key", "value", openai, openai),
            new("private-key", "value", privateKey, keyBody),
            new("jwt", "value", jwtPayload, jwtPayload),
            new("url-password", "value", "postgres://admin:" + dbPassword + "@db.internal:5432/app", dbPassword),
            new("generic-password", "password", password, password),
            new("generic-secret", "api_key", apiKey, apiKey),
        ];
    }

    /// <summary>How the secret reads in prose (docstrings, comments): with its key where the rule needs one.</summary>
    private static string Prose(Plant p) => p.Key == "value" ? p.Literal : p.Key + "=\"" + p.Literal + "\"";

    /// <summary>How the secret reads inside another string (a message, a template): with its key, in single quotes, where the rule needs one.</summary>
    private static string Bare(Plant p) => p.Key == "value" ? p.Literal : p.Key + "='" + p.Literal + "'";

    public static string Python(Plant p) =>
        "\"\"\"Module with " + Prose(p) + " inside.\"\"\"\n"
        + "\n"
        + p.Key.ToUpperInvariant() + " = \"" + p.Literal + "\"\n"
        + "\n"
        + "def guard(*args, **kwargs):\n"
        + "    return lambda f: f\n"
        + "\n"
        + "@guard(" + p.Key + "=\"" + p.Literal + "\")\n"
        + "def connect(" + p.Key + "=\"" + p.Literal + "\", other=None):\n"
        + "    \"\"\"Connect with " + Prose(p) + ".\"\"\"\n"
        + "    client = make(" + p.Key + "=\"" + p.Literal + "\")\n"
        + "    return f\"" + Bare(p) + "/{other}\"\n"
        + "\n"
        + "class Service:\n"
        + "    \"\"\"Service holding " + Prose(p) + ".\"\"\"\n"
        + "\n"
        + "    def call(self, " + p.Key + ": str = \"" + p.Literal + "\"):\n"
        + "        return make(f\"{self}" + Bare(p) + "\")\n";

    public static string JavaScript(Plant p) =>
        "/** Module with " + Prose(p) + " inside. */\n"
        + "export const " + p.Key.ToUpperInvariant() + " = \"" + p.Literal + "\";\n"
        + "\n"
        + "/**\n"
        + " * Connect with " + Prose(p) + ".\n"
        + " */\n"
        + "export function connect(" + p.Key + " = \"" + p.Literal + "\", other) {\n"
        + "  const client = make({ " + p.Key + ": \"" + p.Literal + "\" });\n"
        + "  return `" + Bare(p) + "/${other}`;\n"
        + "}\n"
        + "\n"
        + "export class Service {\n"
        + "  /** Call with " + Prose(p) + ". */\n"
        + "  call(" + p.Key + " = \"" + p.Literal + "\") {\n"
        + "    return make(\"" + Bare(p) + "\");\n"
        + "  }\n"
        + "}\n";

    public static string CSharp(Plant p) =>
        "namespace Planted;\n"
        + "\n"
        + "/// <summary>Holder of " + Prose(p).Replace("\"", "'", StringComparison.Ordinal) + ".</summary>\n"
        + "[System.ComponentModel.Description(\"" + Bare(p) + "\")]\n"
        + "public static class Holder\n"
        + "{\n"
        + "    public const string " + p.Key.ToUpperInvariant() + " = \"" + p.Literal + "\";\n"
        + "\n"
        + "    /// <summary>Connect with " + Prose(p).Replace("\"", "'", StringComparison.Ordinal) + ".</summary>\n"
        + "    [System.Obsolete(\"" + Bare(p) + "\")]\n"
        + "    public static string Connect(string " + p.Key + " = \"" + p.Literal + "\", string? other = null) => Make($\"" + Bare(p) + "/{other}\");\n"
        + "\n"
        + "    private static string Make(string s) => s;\n"
        + "}\n";

    /// <summary>Writes every plant in the three languages under <paramref name="dir"/> (<c>py/rule_n.py</c>, …).</summary>
    public static void WriteCorpus(TempDir dir, string folder)
    {
        for (int i = 0; i < All.Count; i++)
        {
            var p = All[i];
            var name = p.Rule.Replace('-', '_') + "_" + i;
            dir.Write($"{folder}/py/{name}.py", Python(p));
            dir.Write($"{folder}/js/{name}.js", JavaScript(p));
            dir.Write($"{folder}/cs/{name}.cs", CSharp(p));
        }
    }

    /// <summary>The planted secrets that appear in <paramref name="text"/> (none, when redaction works).</summary>
    public static IReadOnlyList<string> Leaked(string text) =>
        [.. All.Where(p => text.Contains(p.Secret, StringComparison.Ordinal)).Select(p => p.Rule)];
}
