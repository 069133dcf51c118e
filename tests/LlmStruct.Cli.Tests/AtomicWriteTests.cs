using System.Diagnostics;
using LlmStruct.Schema;

namespace LlmStruct.Cli.Tests;

public class AtomicWriteTests
{
    /// <summary>
    /// Kills real `llmstruct parse` processes at random moments while they rewrite struct.json: the file on disk is
    /// always a whole, valid document (the old one or the new one), never a truncated one.
    /// </summary>
    [Fact]
    public async Task KilledWhileWriting_LeavesTheOldOrTheNewFile_NeverATruncatedOne()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 400; i++)
        {
            dir.Write($"src/M{i:000}.cs", $"namespace N{i};\npublic class C{i}\n{{\n    public int F(int x) => x + {i};\n    public void G() => F({i});\n}}\n");
        }
        var output = dir.PathOf("struct.json");
        Assert.Equal(0, (await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output, "-q")).ExitCode);
        var original = await File.ReadAllBytesAsync(output);

        var random = new Random(12345);
        var cli = typeof(CliApp).Assembly.Location;
        int killedMidRun = 0;
        for (int attempt = 0; attempt < 6; attempt++)
        {
            dir.Write($"src/Extra{attempt}.cs", $"class Extra{attempt} {{ }}");
            using var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "parse", "-i", dir.PathOf("src"), "-o", output, "-q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await Task.Delay(random.Next(100, 1500));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                killedMidRun++;
            }
            await process.WaitForExitAsync();

            var bytes = await File.ReadAllBytesAsync(output);
            Assert.Empty(StructValidator.Check(bytes));
        }
        Assert.Equal(0, (await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output, "-q")).ExitCode);
        Assert.NotEqual(original, await File.ReadAllBytesAsync(output));
        Assert.True(killedMidRun > 0, "no run was interrupted; the test proved nothing");
    }
}
