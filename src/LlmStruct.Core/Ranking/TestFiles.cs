namespace LlmStruct.Ranking;

/// <summary>Test-file naming across the supported languages: where tests live and which module a test file is about.</summary>
public static class TestFiles
{
    /// <summary>
    /// True when <paramref name="path"/> looks like a test file: a <c>test</c>/<c>tests</c>/<c>__tests__</c>/<c>spec</c>
    /// folder (or one ending in <c>.Tests</c>), or a name like <c>test_x.py</c>, <c>x_test.py</c>, <c>x.test.js</c>,
    /// <c>x.spec.ts</c>, <c>XTests.cs</c>, <c>conftest.py</c>.
    /// </summary>
    public static bool IsTest(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        for (int i = 0; i < segments.Length - 1; i++)
        {
            var s = segments[i];
            if (s is "test" or "tests" or "__tests__" or "spec" or "specs" or "testing"
                || s.EndsWith(".Tests", StringComparison.Ordinal) || s.EndsWith(".Test", StringComparison.Ordinal))
            {
                return true;
            }
        }
        var name = segments[^1];
        return name.StartsWith("test_", StringComparison.Ordinal) || name == "conftest.py"
            || Stem(name).EndsWith("_test", StringComparison.Ordinal)
            || name.Contains(".test.", StringComparison.Ordinal) || name.Contains(".spec.", StringComparison.Ordinal)
            || Stem(name).EndsWith("Tests", StringComparison.Ordinal) || Stem(name).EndsWith("Test", StringComparison.Ordinal);
    }

    /// <summary>
    /// The subject a file is named for, lower-case: <c>core</c> for <c>src/click/core.py</c>, <c>tests/test_core.py</c>,
    /// <c>test/core.test.js</c> and <c>CoreTests.cs</c>; a package's <c>__init__.py</c> or <c>index.js</c> is named
    /// for its folder.
    /// </summary>
    public static string Subject(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        var stem = Stem(segments[^1]);
        if (stem is "__init__" or "index" or "mod" or "__main__" && segments.Length > 1)
        {
            stem = segments[^2];
        }
        foreach (var suffix in (string[])[".test", ".spec", "_test", "_tests", "Tests", "Test"])
        {
            if (stem.Length > suffix.Length && stem.EndsWith(suffix, StringComparison.Ordinal))
            {
                stem = stem[..^suffix.Length];
                break;
            }
        }
        if (stem.StartsWith("test_", StringComparison.Ordinal) && stem.Length > 5)
        {
            stem = stem[5..];
        }
        return stem.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    private static string Stem(string name)
    {
        int dot = name.IndexOf('.', 1);
        return dot < 0 ? name : name[..dot];
    }
}
