using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LlmStruct.Speech.Whisper;

/// <summary>
/// Any audio ffmpeg reads (Telegram's OGG/Opus voice notes, WAV, MP3…) to the 16 kHz mono float samples Whisper takes:
/// <c>ffmpeg -i - -ar 16000 -ac 1 -f f32le -</c>, the audio through stdin and the samples through stdout (no temporary
/// files), the output bounded, the process killed on cancellation.
/// </summary>
internal static class AudioDecoder
{
    public const int SampleRate = 16_000;

    public static async Task<float[]> DecodeAsync(Stream audio, string ffmpeg, TimeSpan max, CancellationToken ct)
    {
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-nostdin", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-vn", "-ar", "16000", "-ac", "1", "-f", "f32le", "pipe:1" })
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new WhisperSpeechException(NoFfmpeg(ffmpeg));
        }
        catch (Win32Exception ex)
        {
            throw new WhisperSpeechException(NoFfmpeg(ffmpeg), ex);
        }
        using (process)
        {
            using var kill = ct.Register(() => TryKill(process));
            long maxBytes = (long)Math.Ceiling(max.TotalSeconds * SampleRate) * sizeof(float);
            var feed = FeedAsync(process, audio, ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            using var samples = new MemoryStream();
            var buffer = new byte[81920];
            var stdout = process.StandardOutput.BaseStream;
            int read;
            bool tooLong = false;
            while ((read = await stdout.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                if (samples.Length + read > maxBytes)
                {
                    tooLong = true;
                    TryKill(process);
                    break;
                }
                samples.Write(buffer, 0, read);
            }
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            try
            {
                await feed.ConfigureAwait(false);
            }
            catch (IOException)
            {
                // ffmpeg stopped reading (bad input or killed): its exit code and stderr say why.
            }
            string error = (await errors.ConfigureAwait(false)).Trim();
            if (tooLong)
            {
                throw new WhisperSpeechException($"The audio is longer than {max.TotalMinutes:0.#} minutes; send a shorter one.");
            }
            if (process.ExitCode != 0)
            {
                var first = error.Split('\n', 2)[0].Trim();
                throw new WhisperSpeechException("ffmpeg could not read the audio" + (first.Length > 0 ? ": " + first : "."));
            }
            var bytes = samples.GetBuffer().AsSpan(0, (int)samples.Length - (int)(samples.Length % sizeof(float)));
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }
    }

    private static async Task FeedAsync(Process process, Stream audio, CancellationToken ct)
    {
        try
        {
            await audio.CopyToAsync(process.StandardInput.BaseStream, ct).ConfigureAwait(false);
        }
        finally
        {
            process.StandardInput.Close();
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private static string NoFfmpeg(string ffmpeg) =>
        $"Local Whisper needs ffmpeg to decode voice messages, and '{ffmpeg}' could not be started (Debian/Ubuntu: apt-get install ffmpeg).";
}
