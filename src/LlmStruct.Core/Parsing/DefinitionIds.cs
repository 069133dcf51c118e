namespace LlmStruct.Parsing;

/// <summary>Builds definition ids: <c>relative/path#Qualified.name</c>.</summary>
public static class DefinitionIds
{
    /// <summary>The id of a definition; <paramref name="signature"/> (e.g. <c>(int,string)</c>) tells overloads apart.</summary>
    public static string Create(string path, string qualifiedName, string? signature = null) =>
        signature is null ? $"{path}#{qualifiedName}" : $"{path}#{qualifiedName}{signature}";

    /// <summary>The path part of an id.</summary>
    public static string PathOf(string id)
    {
        int hash = id.IndexOf('#');
        return hash < 0 ? id : id[..hash];
    }

    /// <summary>The path part of an id, without making a string (for lookups by characters).</summary>
    internal static ReadOnlySpan<char> PathSpanOf(string id)
    {
        int hash = id.IndexOf('#');
        return hash < 0 ? id : id.AsSpan(0, hash);
    }
}
