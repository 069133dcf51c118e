namespace LlmStruct.Speech.Whisper;

/// <summary>
/// Checks a Whisper GGML file's header before whisper.cpp reads it: whisper.cpp trusts the sizes it reads (a file with
/// the right magic and wrong numbers ends the process in a C++ allocation failure, which no managed code can catch).
/// Walks the magic, the hyper-parameters (bounded to what Whisper models use, with room to spare), the mel filters and
/// the vocabulary, each size checked against what is left of the file; the tensors after them whisper.cpp checks itself
/// (names and shapes against the hyper-parameters).
/// </summary>
internal static class GgmlModelFile
{
    public const uint Magic = 0x67676d6c;

    /// <summary>What is wrong with the file, for a person; null when the header is sound.</summary>
    public static string? Problem(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        using var reader = new BinaryReader(file);
        try
        {
            if (file.Length < 4 || reader.ReadUInt32() != Magic)
            {
                return "is not a Whisper model in whisper.cpp's GGML format (a ggml-*.bin file, not .gguf, .pt or .safetensors)";
            }
            // n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head,
            // n_text_layer, n_mels, ftype.
            int[] max = [1 << 17, 1 << 13, 1 << 13, 256, 256, 1 << 13, 1 << 13, 256, 256, 1024];
            int[] hparams = new int[11];
            for (int i = 0; i < hparams.Length; i++)
            {
                hparams[i] = reader.ReadInt32();
            }
            for (int i = 0; i < max.Length; i++)
            {
                if (hparams[i] < 1 || hparams[i] > max[i])
                {
                    return $"has an implausible header (hyper-parameter {i + 1} is {hparams[i]})";
                }
            }
            if (hparams[10] < 0 || hparams[10] % 1000 > 64)
            {
                return $"has an unknown weight type {hparams[10]}";
            }
            if (hparams[10] % 1000 == 0)
            {
                // Measured: whisper.cpp in Whisper.net 1.9.1 loads an all-f32 model, then aborts the process in its CPU
                // convolution (which takes f16 weights only) at the first transcription.
                return "is an f32 model, which whisper.cpp's CPU runtime cannot run; use an f16 (ggml-*.bin) or quantized (ggml-*-q5_0.bin) model";
            }
            int melCount = reader.ReadInt32(), fft = reader.ReadInt32();
            if (melCount < 1 || melCount > 1024 || fft < 1 || fft > 1 << 14 || Skip(file, (long)melCount * fft * sizeof(float)) is false)
            {
                return "has a broken mel filter table";
            }
            int words = reader.ReadInt32();
            if (words < 0 || words > 1 << 17)
            {
                return $"has an implausible vocabulary size {words}";
            }
            for (int i = 0; i < words; i++)
            {
                uint length = reader.ReadUInt32();
                if (length > 1 << 16 || !Skip(file, length))
                {
                    return "has a broken vocabulary";
                }
            }
            return file.Position < file.Length ? null : "has no weights (the file ends after the vocabulary)";
        }
        catch (EndOfStreamException)
        {
            return "is truncated (it ends inside its header)";
        }
    }

    private static bool Skip(FileStream file, long bytes)
    {
        if (bytes > file.Length - file.Position)
        {
            return false;
        }
        file.Seek(bytes, SeekOrigin.Current);
        return true;
    }
}
