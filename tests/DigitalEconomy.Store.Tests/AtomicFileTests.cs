using Xunit;

namespace DigitalEconomy.Store.Tests;

public class AtomicFileTests
{
    [Fact]
    public async Task FailureWhileWriting_LeavesTheOldFileAndNoTemporary()
    {
        string dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"de-atomic-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        string path = Path.Combine(dir, "part-0001.parquet");
        await ResultTables.Bootstrap.WriteFileAsync(path, [new BootstrapRow("a", 1, 1.5, null), new BootstrapRow("b", 2, null, "failed")]);
        var before = File.ReadAllBytes(path);
        await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(path, async s =>
        {
            await s.WriteAsync(new byte[100]);
            throw new InvalidOperationException("simulated crash while writing");
        }));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new InvalidOperationException("crash"); }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        var back = await ResultTables.Bootstrap.ReadFileAsync(path);
        Assert.Equal(["a", "b"], back.Select(r => r.SpecId));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TargetIsADirectory_IsRefusedAndLeavesNoTemporary()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-atomic-dir-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string target = Path.Combine(dir, "out");
        Directory.CreateDirectory(target);
        try
        {
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, s => s.WriteByte(1)));
            Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
            Assert.Equal([target], Directory.GetFileSystemEntries(dir));
            Assert.Empty(Directory.GetFileSystemEntries(target));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task UnwritableFolder_NamesTheTargetNotTheTemporary()
    {
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write("/proc/nope.csv", s => s.WriteByte(1)));
        Assert.Contains("/proc/nope.csv", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
        var e2 = await Assert.ThrowsAnyAsync<IOException>(() => ResultTables.Specs.WriteFileAsync("/proc/nope.parquet", []));
        Assert.Contains("/proc/nope.parquet", e2.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesTheBytesGiven_AndReplacesAnOldFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"de-atomic-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        AtomicFile.Write(path, s => s.Write("old"u8));
        AtomicFile.Write(path, s => s.Write("new text"u8));
        Assert.Equal("new text", File.ReadAllText(path));
        File.Delete(path);
    }
}
