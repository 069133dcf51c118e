using System.Diagnostics;
using System.Text;

namespace LlmStruct.Ci.Git;

/// <summary>
/// One git repository, driven through the <c>git</c> command line (no library: the CLI is what every runner has).
/// Commands run with <c>LC_ALL=C</c>, without a pager and without reading the user's global configuration for
/// output formats, so their output is the same on every machine.
/// </summary>
public sealed class GitRepository
{
    /// <summary>Opens the repository whose work tree holds <paramref name="directory"/>.</summary>
    public GitRepository(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The folder git runs in.</summary>
    public string Directory { get; }

    /// <summary>Runs git with <paramref name="arguments"/> and returns its standard output; a non-zero exit becomes a <see cref="GitException"/> with git's message.</summary>
    public async Task<byte[]> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default, ReadOnlyMemory<byte> input = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, stdout, stderr) = await TryRunAsync(arguments, cancellationToken, input, environment).ConfigureAwait(false);
        if (code != 0)
        {
            var first = arguments.FirstOrDefault() ?? "";
            throw new GitException($"git {first} failed: {stderr.Trim()}");
        }
        return stdout;
    }

    /// <summary>Runs git and returns its exit code, standard output and standard error, whatever the exit code.</summary>
    public async Task<(int Code, byte[] Stdout, string Stderr)> TryRunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default, ReadOnlyMemory<byte> input = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["LC_ALL"] = "C";
        start.Environment["GIT_PAGER"] = "cat";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitException("git could not be started");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new GitException($"git could not be started (is it installed and on PATH?): {ex.Message}");
        }
        using (process)
        {
            using var output = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                if (!input.IsEmpty)
                {
                    await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken).ConfigureAwait(false);
                }
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // git exited before reading all of its input: its exit code and message tell why.
            }
            await reading.ConfigureAwait(false);
            var stderr = await errors.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, output.ToArray(), stderr);
        }
    }

    /// <summary>Runs git and returns its output as text, trailing newline removed.</summary>
    public async Task<string> TextAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await RunAsync(arguments, cancellationToken).ConfigureAwait(false)).TrimEnd('\n');

    /// <summary>The full commit id <paramref name="revision"/> names; a clear error when it names none (a shallow clone may lack it).</summary>
    public async Task<string> ResolveCommitAsync(string revision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        var (code, stdout, _) = await TryRunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            var hint = await IsShallowAsync(cancellationToken).ConfigureAwait(false)
                ? " (this is a shallow clone: fetch the base revision too, e.g. actions/checkout with fetch-depth: 0)"
                : "";
            throw new GitException($"'{revision}' is not a commit in this repository{hint}");
        }
        return Encoding.ASCII.GetString(stdout).Trim();
    }

    /// <summary>Whether the repository is a shallow clone.</summary>
    public async Task<bool> IsShallowAsync(CancellationToken cancellationToken = default) =>
        await TextAsync(["rev-parse", "--is-shallow-repository"], cancellationToken).ConfigureAwait(false) == "true";

    /// <summary>The top folder of the work tree.</summary>
    public Task<string> TopLevelAsync(CancellationToken cancellationToken = default) => TextAsync(["rev-parse", "--show-toplevel"], cancellationToken);

    /// <summary>The blobs of <paramref name="commit"/>'s tree (symbolic links and submodules left out), sorted by path ordinally.</summary>
    public async Task<IReadOnlyList<TreeEntry>> ListTreeAsync(string commit, CancellationToken cancellationToken = default)
    {
        var bytes = await RunAsync(["ls-tree", "-r", "-z", "--full-tree", "-l", commit], cancellationToken).ConfigureAwait(false);
        var entries = new List<TreeEntry>();
        foreach (var record in Records(bytes))
        {
            // <mode> SP <type> SP <object> SP+ <size> TAB <path>
            int tab = record.IndexOf('\t', StringComparison.Ordinal);
            var fields = record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] != "blob" || fields[0] == "120000")
            {
                continue;
            }
            entries.Add(new TreeEntry(record[(tab + 1)..], fields[2], long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture)));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <summary>
    /// The contents of <paramref name="objectIds"/>, read through one <c>git cat-file --batch</c>; objects that are
    /// missing are left out of the answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadBlobsAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (objectIds.Count == 0)
        {
            return result;
        }
        var request = Encoding.ASCII.GetBytes(string.Concat(objectIds.Select(id => id + "\n")));
        var output = await RunAsync(["cat-file", "--batch"], cancellationToken, request).ConfigureAwait(false);
        int at = 0;
        while (at < output.Length)
        {
            int newline = Array.IndexOf(output, (byte)'\n', at);
            var header = Encoding.ASCII.GetString(output, at, newline - at).Split(' ');
            at = newline + 1;
            if (header.Length < 3 || header[1] == "missing")
            {
                continue;
            }
            int size = int.Parse(header[2], System.Globalization.CultureInfo.InvariantCulture);
            result[header[0]] = output.AsSpan(at, size).ToArray();
            at += size + 1;
        }
        return result;
    }

    /// <summary>One blob's content at <paramref name="commit"/>:<paramref name="path"/>, or null when the path is not there.</summary>
    public async Task<byte[]?> ReadFileAsync(string commit, string path, CancellationToken cancellationToken = default)
    {
        var (code, stdout, _) = await TryRunAsync(["cat-file", "blob", commit + ":" + path], cancellationToken).ConfigureAwait(false);
        return code == 0 ? stdout : null;
    }

    /// <summary>The files that differ between two commits, with git's rename detection.</summary>
    public async Task<IReadOnlyList<FileChange>> DiffAsync(string baseCommit, string headCommit, CancellationToken cancellationToken = default)
    {
        var bytes = await RunAsync(["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", baseCommit, headCommit, "--"], cancellationToken).ConfigureAwait(false);
        var records = Records(bytes).ToList();
        var changes = new List<FileChange>();
        for (int i = 0; i < records.Count; i++)
        {
            var status = records[i];
            if (status.StartsWith('R') || status.StartsWith('C'))
            {
                changes.Add(new FileChange(status[0], records[i + 1], records[i + 2]));
                i += 2;
            }
            else
            {
                changes.Add(new FileChange(status[0], records[i + 1], records[i + 1]));
                i += 1;
            }
        }
        return changes;
    }

    private static IEnumerable<string> Records(byte[] bytes)
    {
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == 0)
            {
                yield return Encoding.UTF8.GetString(bytes, start, i - start);
                start = i + 1;
            }
        }
    }
}

/// <summary>A blob in a commit's tree.</summary>
/// <param name="Path">Path from the repository root, with '/'.</param>
/// <param name="ObjectId">The blob's object id.</param>
/// <param name="Size">The blob's size in bytes.</param>
public sealed record TreeEntry(string Path, string ObjectId, long Size);

/// <summary>A file that differs between two commits, as <c>git diff --name-status -M</c> lists it.</summary>
/// <param name="Status">A added, D deleted, M modified, R renamed, C copied, T type changed.</param>
/// <param name="OldPath">Path at the base (the same as <paramref name="NewPath"/> unless renamed or copied).</param>
/// <param name="NewPath">Path at the head.</param>
public sealed record FileChange(char Status, string OldPath, string NewPath);
