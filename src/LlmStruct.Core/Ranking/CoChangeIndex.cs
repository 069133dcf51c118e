using System.Collections.Frozen;
using System.Collections.Immutable;

namespace LlmStruct.Ranking;

/// <summary>
/// Which files changed together in a repository's past commits, decayed by age in commits (the newest commit has
/// age 0): a pure function of the history text it is built from, so a context ranked with it is a pure function of
/// struct.json and the commit it names (<see cref="Head"/>).
/// </summary>
public sealed class CoChangeIndex
{
    /// <summary>Commits changing more files than this are left out (mass renames and reformatting say nothing about coupling).</summary>
    public const int MaxFilesPerCommit = 30;

    /// <summary>The age, in commits, at which a commit counts half.</summary>
    public const double HalfLifeCommits = 250;

    /// <summary>The line that starts a commit in the history text: this marker, then the commit id.</summary>
    public const char CommitMarker = '\u0001';

    private readonly FrozenDictionary<string, int[]> _commitsByFile;
    private readonly ImmutableArray<string[]> _commits;

    private CoChangeIndex(string head, ImmutableArray<string[]> commits, FrozenDictionary<string, int[]> commitsByFile)
    {
        Head = head;
        _commits = commits;
        _commitsByFile = commitsByFile;
    }

    /// <summary>The commit the history ends at (the work tree's HEAD), or "" when not known.</summary>
    public string Head { get; }

    /// <summary>Commits read (newest first), those over <see cref="MaxFilesPerCommit"/> files included.</summary>
    public int Commits => _commits.Length;

    /// <summary>Files that appear in at least one counted commit.</summary>
    public int Files => _commitsByFile.Count;

    /// <summary>
    /// Builds the index from <c>git log --no-merges --no-renames --name-only --format=%x01%H</c> output (newest
    /// first). Paths are relative to the repository top; those under <paramref name="prefix"/> (the input folder's
    /// place in the repository, "" or ending in '/') are kept with the prefix cut, the rest are dropped.
    /// </summary>
    public static CoChangeIndex Parse(string head, string log, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(log);
        prefix ??= "";
        var commits = new List<string[]>();
        var current = new List<string>();
        bool open = false;
        foreach (var range in log.AsSpan().Split('\n'))
        {
            var line = log.AsSpan(range).TrimEnd('\r');
            if (line.Length > 0 && line[0] == CommitMarker)
            {
                if (open)
                {
                    commits.Add([.. current]);
                }
                current.Clear();
                open = true;
                continue;
            }
            if (line.Length == 0 || !open || !line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            current.Add(line[prefix.Length..].ToString());
        }
        if (open)
        {
            commits.Add([.. current]);
        }
        var byFile = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int c = 0; c < commits.Count; c++)
        {
            if (commits[c].Length < 2 || commits[c].Length > MaxFilesPerCommit)
            {
                continue;
            }
            foreach (var file in commits[c])
            {
                if (!byFile.TryGetValue(file, out var list))
                {
                    byFile[file] = list = [];
                }
                if (list.Count == 0 || list[^1] != c)
                {
                    list.Add(c);
                }
            }
        }
        return new CoChangeIndex(head, [.. commits], byFile.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>
    /// How often each file changed, decayed by age as co-change is: the sum of 0.5^(age / half-life) over the counted
    /// commits that changed it. A file that changes often is likelier to change in any next commit, so this orders
    /// files that the focus gives no other evidence for. Worked out once per index; sums run in commit order.
    /// </summary>
    public IReadOnlyDictionary<string, double> Churn => _churn ??= BuildChurn();

    private FrozenDictionary<string, double>? _churn;

    private FrozenDictionary<string, double> BuildChurn()
    {
        var churn = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (file, commits) in _commitsByFile)
        {
            double sum = 0;
            foreach (int c in commits)
            {
                sum += Math.Pow(0.5, c / HalfLifeCommits);
            }
            churn[file] = sum;
        }
        return churn.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>How many counted commits changed <paramref name="path"/>.</summary>
    public int ChangeCount(string path) => _commitsByFile.TryGetValue(path, out var list) ? list.Length : 0;

    /// <summary>
    /// Files changed together with any of <paramref name="focus"/>: for each commit that changed a focus file, every
    /// other file in it gains 0.5^(age / half-life) / (files in the commit − 1). Sums run in commit order, so the
    /// result is bitwise stable. Focus files themselves are not in the result.
    /// </summary>
    public IReadOnlyDictionary<string, double> Partners(IReadOnlyCollection<string> focus)
    {
        ArgumentNullException.ThrowIfNull(focus);
        var hits = new SortedSet<int>();
        foreach (var path in focus)
        {
            if (_commitsByFile.TryGetValue(path, out var list))
            {
                hits.UnionWith(list);
            }
        }
        var focusSet = focus as IReadOnlySet<string> ?? focus.ToHashSet(StringComparer.Ordinal);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (int c in hits)
        {
            var files = _commits[c];
            double weight = Math.Pow(0.5, c / HalfLifeCommits) / (files.Length - 1);
            foreach (var file in files)
            {
                if (!focusSet.Contains(file))
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(scores, file, out _) += weight;
                }
            }
        }
        return scores;
    }
}
