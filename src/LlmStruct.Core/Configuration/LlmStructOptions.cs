namespace LlmStruct.Configuration;

/// <summary>Everything <c>llmstruct.toml</c> configures. Bound from TOML with snake_case keys.</summary>
public sealed class LlmStructOptions
{
    /// <summary>The file name looked for at the root of a project.</summary>
    public const string FileName = "llmstruct.toml";

    /// <summary><c>[project]</c>: name and summary.</summary>
    public ProjectOptions Project { get; set; } = new();

    /// <summary><c>[parsing]</c>: which files are read.</summary>
    public ParsingOptions Parsing { get; set; } = new();

    /// <summary><c>[instructions]</c>: custom LLM instructions.</summary>
    public InstructionsOptions Instructions { get; set; } = new();

    /// <summary><c>[cache]</c>: the incremental parse cache.</summary>
    public CacheOptions Cache { get; set; } = new();

    /// <summary><c>[llm]</c>: language models, fallback order, usage store.</summary>
    public LlmOptions Llm { get; set; } = new();

    /// <summary><c>[security]</c>: secret redaction.</summary>
    public SecurityOptions Security { get; set; } = new();
}

/// <summary><c>[security]</c> section: what secret redaction does (see docs/security.md).</summary>
public sealed class SecurityOptions
{
    /// <summary>Replace secrets found in the strings kept from source (defaults, docstrings, decorators, calls…) and in
    /// file text sent to a model by <c>«redacted:RULE»</c>. Default true.</summary>
    public bool RedactSecrets { get; set; } = true;

    /// <summary>Globs of files (relative to the root) whose strings are kept as written.</summary>
    public List<string> AllowPaths { get; set; } = [];

    /// <summary>Names of rules that are not applied (e.g. <c>jwt</c>).</summary>
    public List<string> AllowRules { get; set; } = [];
}

/// <summary><c>[cache]</c> section.</summary>
public sealed class CacheOptions
{
    /// <summary>Default cache folder, relative to the input root.</summary>
    public const string DefaultDirectory = ".llmstruct/cache";

    /// <summary>Use the parse cache (default true); <c>--no-cache</c> turns it off for one run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Cache folder; a relative path is taken from the input root. Default <c>.llmstruct/cache</c>.</summary>
    public string Dir { get; set; } = DefaultDirectory;
}

/// <summary><c>[project]</c> section.</summary>
public sealed class ProjectOptions
{
    /// <summary>Project name; defaults to the input folder's name.</summary>
    public string? Name { get; set; }

    /// <summary>One-paragraph summary written to struct.json.</summary>
    public string? Summary { get; set; }
}

/// <summary><c>[parsing]</c> section.</summary>
public sealed class ParsingOptions
{
    /// <summary>Default for <see cref="MaxFileBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Globs of files to read (relative to the root); empty means every file a parser reads.</summary>
    public List<string> Include { get; set; } = [];

    /// <summary>Globs of files and folders to leave out; they win over <see cref="Include"/>.</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>Honour <c>.gitignore</c> files (and <c>.git/info/exclude</c>). Default true.</summary>
    public bool UseGitignore { get; set; } = true;

    /// <summary>Files larger than this are skipped (listed in <c>skipped</c>). Default 4 MiB.</summary>
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;

    /// <summary>Follow symbolic links to folders (loops are detected). Default false.</summary>
    public bool FollowSymlinks { get; set; }
}

/// <summary><c>[instructions]</c> section.</summary>
public sealed class InstructionsOptions
{
    /// <summary>Custom instructions, copied to struct.json in file order.</summary>
    public List<string> Custom { get; set; } = [];
}
