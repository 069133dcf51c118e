using System.Runtime.InteropServices;
using LLama.Native;
using LlmStruct.Llm.Usage;

namespace LlmStruct.Llm.Local;

/// <summary>
/// GPU memory in use, as ggml's backend devices report it (CUDA, Vulkan, Metal…): total minus free over every GPU
/// device, so it is the whole device's use, not this process's alone. Null on a CPU-only backend. LLamaSharp binds
/// the device list but not the memory query, so that one is bound here, against the ggml-base library llama.cpp has
/// already loaded (the dynamic loader matches it by name).
/// </summary>
internal sealed class GgmlDeviceMemory : IDeviceMemoryProbe
{
    // ggml_backend_dev_type: CPU = 0, GPU = 1, IGPU = 2, ACCEL = 3.
    private const int GpuDevice = 1;
    private const int IntegratedGpuDevice = 2;

    private volatile bool _unavailable;

    /// <summary>False once the native query turned out to be missing.</summary>
    internal bool Bound => !_unavailable;

    public long? UsedBytes()
    {
        if (_unavailable)
        {
            return null;
        }
        try
        {
            var gpus = Devices().Where(d => d.Type is GpuDevice or IntegratedGpuDevice).ToList();
            return gpus.Count == 0 ? null : gpus.Sum(d => (long)(d.Total - Math.Min(d.Free, d.Total)));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            // An older or differently packaged llama.cpp: no VRAM figure, never a failed call.
            _unavailable = true;
            return null;
        }
    }

    /// <summary>Every ggml backend device with its type and memory (CPU devices report system memory).</summary>
    internal static List<(int Type, ulong Free, ulong Total)> Devices()
    {
        var devices = new List<(int, ulong, ulong)>();
        ulong count = (ulong)NativeApi.ggml_backend_dev_count();
        for (ulong i = 0; i < count; i++)
        {
            var device = NativeApi.ggml_backend_dev_get((nuint)i);
            DeviceMemory(device, out nuint free, out nuint total);
            devices.Add((DeviceType(device), free, total));
        }
        return devices;
    }

    [DllImport("ggml-base", EntryPoint = "ggml_backend_dev_type", CallingConvention = CallingConvention.Cdecl)]
    private static extern int DeviceType(IntPtr device);

    [DllImport("ggml-base", EntryPoint = "ggml_backend_dev_memory", CallingConvention = CallingConvention.Cdecl)]
    private static extern void DeviceMemory(IntPtr device, out nuint free, out nuint total);
}
