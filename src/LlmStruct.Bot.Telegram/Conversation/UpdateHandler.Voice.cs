using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace LlmStruct.Bot.Telegram.Conversation;

internal sealed partial class UpdateHandler
{
    /// <summary>
    /// A voice message: refused by the size Telegram reports (never downloaded when too big), downloaded into memory,
    /// transcribed, the transcript shown, then handled like text (a /fix in a private chat).
    /// </summary>
    private async Task HandleVoiceAsync(Message message, global::Telegram.Bot.Types.Voice voice, CancellationToken ct)
    {
        long chat = message.Chat.Id;
        long max = context.Options.MaxVoiceBytes;
        if (speech is null)
        {
            await context.SayAsync(chat, speechOff ?? "Voice messages are off.", ct).ConfigureAwait(false);
            return;
        }
        if (voice.FileSize is not { } size || size > max)
        {
            await context.SayAsync(chat, TooBig(voice.FileSize, max), ct).ConfigureAwait(false);
            return;
        }
        var file = await context.Bot.GetFile(voice.FileId, ct).ConfigureAwait(false);
        if (file.FilePath is null || file.FileSize is > 0 && file.FileSize > max)
        {
            await context.SayAsync(chat, file.FilePath is null ? "Telegram did not give me the voice file; please send it again." : TooBig(file.FileSize, max), ct).ConfigureAwait(false);
            return;
        }
        string transcript;
        try
        {
            using var audio = new BoundedMemoryStream(max);
            await context.Bot.DownloadFile(file.FilePath, audio, ct).ConfigureAwait(false);
            audio.Position = 0;
#pragma warning disable MEAI001 // experimental speech-to-text abstraction (see SpeechToTextFactory)
            var options = new SpeechToTextOptions { SpeechLanguage = context.Options.Transcription.Language, ModelId = context.Options.Transcription.Model };
            var response = await speech.GetTextAsync(audio, options, ct).ConfigureAwait(false);
#pragma warning restore MEAI001
            transcript = response.Text.Trim();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogTranscriptionFailed(_logger, chat, context.Scrubber.Scrub(ex.Message));
            await context.SayAsync(chat, "I could not transcribe that voice message: " + ex.Message, ct).ConfigureAwait(false);
            return;
        }
        if (transcript.Length == 0)
        {
            await context.SayAsync(chat, "I heard nothing I could write down; please try again or type it.", ct).ConfigureAwait(false);
            return;
        }
        await context.SayAsync(chat, $"I heard: «{transcript}»", ct).ConfigureAwait(false);
        if (message.Chat.Type == ChatType.Private)
        {
            await HandleTextAsync(message, transcript, ct).ConfigureAwait(false);
        }
        else
        {
            await context.SayAsync(chat, "In a group I only write it down: send /fix with the text to run it.", ct).ConfigureAwait(false);
        }
    }

    private static string TooBig(long? size, long max) => size is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"That voice message is {s / (1024.0 * 1024):0.#} MB; I take at most {max / (1024.0 * 1024):0.#} MB. Please send a shorter one.")
        : "Telegram did not say how big that voice message is, so I did not download it. Please send it again.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {Chat}: transcription failed: {Reason}")]
    private static partial void LogTranscriptionFailed(ILogger logger, long chat, string reason);

    /// <summary>A memory stream that refuses to grow past a bound (a server that sends more than it announced).</summary>
    private sealed class BoundedMemoryStream(long max) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Check(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        private void Check(int count)
        {
            if (Length + count > max)
            {
                throw new IOException("the voice file is larger than Telegram said");
            }
        }
    }
}
