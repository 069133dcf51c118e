using System.Text;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

/// <summary>The Linux open/pread/close path the pipeline reads source files with.</summary>
public class PosixFilesTests
{
    [Fact]
    public void ReadsAFile_AtOffsets()
    {
        if (!PosixFiles.Available)
        {
            return; // not Linux: the pipeline uses .NET's file API, which its own tests cover
        }
        using var tree = new TempTree();
        var path = tree.Write("ünï/a b.py", "0123456789");
        WithOpen(path, fd =>
        {
            var buffer = new byte[16];
            Assert.Equal(10, PosixFiles.Read(fd, buffer, 0));
            Assert.Equal("0123456789", Encoding.ASCII.GetString(buffer, 0, 10));
            Assert.Equal(3, PosixFiles.Read(fd, buffer.AsSpan(0, 3), 7));
            Assert.Equal("789", Encoding.ASCII.GetString(buffer, 0, 3));
            Assert.Equal(0, PosixFiles.Read(fd, buffer, 10));
        });
    }

    // Opens the path (it must open), runs the body, closes the descriptor.
    private static void WithOpen(string path, Action<int> body)
    {
        int fd = PosixFiles.Open(path);
        Assert.True(fd >= 0);
        try
        {
            body(fd);
        }
        finally
        {
            PosixFiles.Close(fd);
        }
    }

    [Fact]
    public void MissingFile_IsFileNotFound_WithoutItsPath()
    {
        if (!PosixFiles.Available)
        {
            return;
        }
        using var tree = new TempTree();
        var missing = Path.Combine(tree.Root, "gone.py");
        var ex = Assert.Throws<FileNotFoundException>(() => PosixFiles.Open(missing));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.DoesNotContain(tree.Root, ex.Message);
    }

    [Fact]
    public void Folder_OpensButFailsToRead()
    {
        if (!PosixFiles.Available)
        {
            return;
        }
        using var tree = new TempTree();
        tree.Write("pkg/x.py", "x = 1\n");
        WithOpen(Path.Combine(tree.Root, "pkg"), fd =>
        {
            var ex = Assert.Throws<IOException>(() => PosixFiles.Read(fd, new byte[8], 0));
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        });
    }

    [Fact]
    public void PathWithNul_IsRefused()
    {
        if (!PosixFiles.Available)
        {
            return;
        }
        Assert.Throws<IOException>(() => PosixFiles.Open("/tmp/a\0b"));
    }

    [Fact]
    public void LongPath_IsTooLong_NotACrash()
    {
        if (!PosixFiles.Available)
        {
            return;
        }
        // Longer than the stack buffer and than PATH_MAX: the rented-buffer path, and the system's own error.
        var path = "/tmp/" + new string('x', 5000) + ".py";
        var ex = Assert.ThrowsAny<IOException>(() => PosixFiles.Open(path));
        Assert.DoesNotContain(new string('x', 100), ex.Message);
    }
}
