namespace LlmStruct.Llm.Usage;

/// <summary>
/// Reports GPU memory in use. A provider's <see cref="Microsoft.Extensions.AI.IChatClient"/> offers it through
/// <c>GetService(typeof(IDeviceMemoryProbe))</c> when its backend can tell; the usage meter records it per call.
/// </summary>
public interface IDeviceMemoryProbe
{
    /// <summary>Bytes of device memory in use, or null when unknown (e.g. a CPU-only backend).</summary>
    long? UsedBytes();
}
