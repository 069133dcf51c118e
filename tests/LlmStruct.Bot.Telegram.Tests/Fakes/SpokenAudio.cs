using System.Diagnostics;

namespace LlmStruct.Bot.Telegram.Tests.Fakes;

/// <summary>
/// Real speech as Telegram's voice notes carry it (OGG/Opus), made in the test with Debian's <c>espeak-ng</c> (text to
/// WAV) and <c>ffmpeg</c> (WAV to OGG/Opus). <c>.ci/run</c> installs both; without them the voice tests skip.
/// </summary>
public static class SpokenAudio
{
    /// <summary>Why the voice tests cannot run here, or null.</summary>
    public static string? SkipReason { get; } = Missing();

    /// <summary>Speaks <paramref name="text"/> in <paramref name="voice"/> (an espeak-ng voice: en, ru) into OGG/Opus bytes.</summary>
    public static byte[] Make(string text, string voice)
    {
        var dir = Directory.CreateTempSubdirectory("llmstruct-voice-").FullName;
        try
        {
            var wav = Path.Combine(dir, "speech.wav");
            var ogg = Path.Combine(dir, "speech.ogg");
            Run("espeak-ng", "-v", voice, "-w", wav, text);
            Run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", wav, "-c:a", "libopus", "-b:a", "24k", ogg);
            return File.ReadAllBytes(ogg);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), $"{tool} did not finish");
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
    }

    private static string? Missing()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator);
        var missing = new[] { "espeak-ng", "ffmpeg" }.Where(t => !path.Any(p => File.Exists(Path.Combine(p, t)))).ToList();
        return missing.Count == 0 ? null : $"{string.Join(" and ", missing)} not found on PATH (Debian packages espeak-ng, ffmpeg; .ci/run installs them)";
    }
}

/// <summary>A test that needs <see cref="SpokenAudio"/>: skipped with the reason when espeak-ng or ffmpeg is absent.</summary>
public sealed class SpokenAudioFactAttribute : FactAttribute
{
    public SpokenAudioFactAttribute() => Skip = SpokenAudio.SkipReason;
}
