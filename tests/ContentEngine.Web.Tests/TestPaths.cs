namespace ContentEngine.Web.Tests;

/// <summary>Finds the repository's folders from the test's output folder.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContentEngine.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ContentEngine.sln not found above the test folder");
    }

    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>A fresh temporary folder, deleted when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder() => Directory.CreateDirectory(Path);
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ce-test-" + Guid.NewGuid().ToString("N"));
        public string File(string relative, string text)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            System.IO.File.WriteAllText(full, text);
            return full;
        }
        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
