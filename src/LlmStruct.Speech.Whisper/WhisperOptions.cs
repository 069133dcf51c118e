namespace LlmStruct.Speech.Whisper;

/// <summary>How <see cref="WhisperSpeechToTextClient"/> runs a local Whisper model.</summary>
public sealed record WhisperOptions
{
    /// <summary>The Whisper model file in whisper.cpp's GGML format (e.g. <c>ggml-base.bin</c>).</summary>
    public required string ModelPath { get; init; }

    /// <summary>
    /// The spoken language as an ISO-639-1 code (<c>ru</c>, <c>en</c>…), or null / <c>auto</c> to let the model detect
    /// it. A request's <c>SpeechToTextOptions.SpeechLanguage</c> takes precedence.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>The ffmpeg executable that decodes the audio to 16 kHz mono samples (a name on PATH or a path).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The most audio transcribed from one request; longer audio is refused (memory stays bounded).</summary>
    public TimeSpan MaxAudio { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>CPU threads whisper.cpp uses; null: its default.</summary>
    public int? Threads { get; init; }
}

/// <summary>
/// Local transcription failed for a reason a person can act on: no model file, a file that is not a Whisper model,
/// no ffmpeg, audio ffmpeg cannot read, audio that is too long. The message says which, for a person.
/// </summary>
public sealed class WhisperSpeechException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WhisperSpeechException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public WhisperSpeechException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public WhisperSpeechException() { }
}
