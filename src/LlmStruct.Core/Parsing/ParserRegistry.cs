namespace LlmStruct.Parsing;

/// <summary>The parsers a host registered, looked up by file extension.</summary>
public sealed class ParserRegistry
{
    private readonly Dictionary<string, ILanguageParser> _byExtension = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the registry; when two parsers claim an extension, the one registered last wins.</summary>
    public ParserRegistry(IEnumerable<ILanguageParser> parsers)
    {
        ArgumentNullException.ThrowIfNull(parsers);
        foreach (var parser in parsers)
        {
            foreach (var extension in parser.Extensions)
            {
                _byExtension[extension] = parser;
            }
        }
        Parsers = [.. _byExtension.Values.Distinct().OrderBy(p => p.Language, StringComparer.Ordinal)];
    }

    /// <summary>Every registered parser, ordered by language id.</summary>
    public IReadOnlyList<ILanguageParser> Parsers { get; }

    /// <summary>Every extension some parser reads, sorted.</summary>
    public IEnumerable<string> Extensions => _byExtension.Keys.Order(StringComparer.Ordinal);

    /// <summary>The parser for a path's extension, or null when no parser reads it.</summary>
    public ILanguageParser? ForPath(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Length > 0 && _byExtension.TryGetValue(extension, out var parser) ? parser : null;
    }
}
