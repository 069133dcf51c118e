using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whisper.net;

namespace LlmStruct.Speech.Whisper;

/// <summary>
/// Microsoft.Extensions.AI speech-to-text over a local Whisper model: the audio (any format ffmpeg reads) is decoded to
/// 16 kHz mono samples and transcribed in-process by whisper.cpp through Whisper.net's CPU runtime. The model is loaded
/// on the first request (and again after a failed load, so a fixed file is picked up); one transcription runs at a
/// time. Failures a person can fix (no model file, not a model, no ffmpeg, unreadable or too long audio) throw
/// <see cref="WhisperSpeechException"/> with a readable message.
/// </summary>
#pragma warning disable MEAI001 // ISpeechToTextClient is experimental in Microsoft.Extensions.AI 10.11
public sealed partial class WhisperSpeechToTextClient : ISpeechToTextClient
{
    private readonly WhisperOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WhisperFactory? _factory;
    private bool _disposed;

    /// <summary>Creates the client; nothing is loaded until the first request.</summary>
    public WhisperSpeechToTextClient(WhisperOptions options, ILogger<WhisperSpeechToTextClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelPath);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<SpeechToTextResponse> GetTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioSpeechStream);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var language = Language(options?.SpeechLanguage ?? _options.Language);
            var built = BuildProcessor(language);
            var text = new StringBuilder();
            string? detected = null;
            float[] samples;
            await using (var processor = built)
            {
                samples = await AudioDecoder.DecodeAsync(audioSpeechStream, _options.FfmpegPath, _options.MaxAudio, cancellationToken).ConfigureAwait(false);
                // Under a tenth of a second (or nothing at all) holds no words; whisper.cpp is not asked.
                if (samples.Length >= AudioDecoder.SampleRate / 10)
                {
                    try
                    {
                        await foreach (var segment in processor.ProcessAsync(samples, cancellationToken).ConfigureAwait(false))
                        {
                            text.Append(segment.Text);
                            detected ??= segment.Language;
                        }
                    }
                    catch (WhisperProcessingException ex)
                    {
                        throw new WhisperSpeechException($"Whisper could not transcribe the audio (whisper.cpp error {ex.ErrorCode}).", ex);
                    }
                }
            }
            LogTranscribed(_logger, samples.Length / (double)AudioDecoder.SampleRate, detected ?? language ?? "?");
            return new SpeechToTextResponse(text.ToString().Trim())
            {
                ModelId = Path.GetFileName(_options.ModelPath),
                StartTime = TimeSpan.Zero,
                EndTime = TimeSpan.FromSeconds(samples.Length / (double)AudioDecoder.SampleRate),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Loads the model now rather than at the first request (e.g. when a host starts), so a bad model file is
    /// reported at once; a <see cref="WhisperSpeechException"/> says what is wrong.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var processor = BuildProcessor(null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SpeechToTextResponseUpdate> GetStreamingTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetTextAsync(audioSpeechStream, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToSpeechToTextResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(SpeechToTextClientMetadata) ? new SpeechToTextClientMetadata("whisper.net", null, Path.GetFileName(_options.ModelPath))
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Unloads the model.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _factory?.Dispose();
            _factory = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>"auto", empty or null: detect; otherwise the lower-case code whisper.cpp knows.</summary>
    private static string? Language(string? language)
    {
        var code = language?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(code) || code == "auto")
        {
            return null;
        }
        // "en-US" → "en": whisper.cpp knows languages, not regions.
        code = code.Split('-', '_')[0];
        return WhisperFactory.GetSupportedLanguages().Contains(code, StringComparer.Ordinal)
            ? code
            : throw new WhisperSpeechException($"Whisper does not know the language '{language}' (use an ISO-639-1 code such as ru or en, or auto).");
    }

    /// <summary>
    /// A processor over the loaded model; Whisper.net reads the model file at the first builder, so a file whisper.cpp
    /// refuses fails here (before ffmpeg runs) and is loaded again next time.
    /// </summary>
    private WhisperProcessor BuildProcessor(string? language)
    {
        var factory = Load();
        try
        {
            var builder = factory.CreateBuilder();
            builder = language is null ? builder.WithLanguageDetection() : builder.WithLanguage(language);
            if (_options.Threads is { } threads)
            {
                builder = builder.WithThreads(threads);
            }
            return builder.Build();
        }
        catch (WhisperModelLoadException ex)
        {
            factory.Dispose();
            _factory = null;
            throw Unloadable(ex);
        }
    }

    private WhisperFactory Load()
    {
        if (_factory is { } loaded)
        {
            return loaded;
        }
        var path = _options.ModelPath;
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new WhisperSpeechException($"The Whisper model file {name} was not found (whisper_model_path; download a ggml-*.bin model, see docs/telegram.md).");
        }
        // whisper.cpp trusts the sizes in the file; refuse a bad header here, before native code sees it.
        string? problem;
        try
        {
            problem = GgmlModelFile.Problem(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WhisperSpeechException($"The Whisper model file {name} could not be read: {ex.Message}", ex);
        }
        if (problem is not null)
        {
            throw new WhisperSpeechException($"{name} {problem}.");
        }
        try
        {
            _factory = WhisperFactory.FromPath(path);
        }
        catch (Exception ex) when (ex is WhisperModelLoadException or IOException)
        {
            throw Unloadable(ex);
        }
        LogLoaded(_logger, name);
        return _factory;
    }

    private WhisperSpeechException Unloadable(Exception ex) =>
        new($"{Path.GetFileName(_options.ModelPath)} could not be loaded as a Whisper model (corrupt or truncated?): {ex.Message}", ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Whisper model {Model} loaded")]
    private static partial void LogLoaded(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transcribed {Seconds:0.#} s of audio (language {Language})")]
    private static partial void LogTranscribed(ILogger logger, double seconds, string language);
}
#pragma warning restore MEAI001
