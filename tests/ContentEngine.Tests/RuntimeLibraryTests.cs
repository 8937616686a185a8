using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using ContentEngine.Runtime.Packaging;

namespace ContentEngine.Tests;

/// <summary>ContentEngine.Runtime is the library platforms embed: it stands alone and packs into a NuGet package.</summary>
public sealed class RuntimeLibraryTests
{
    [Fact]
    public void TheRuntimeReferencesNothingOfTheCompilerNorAnyPackage()
    {
        var references = typeof(ProgramPackage).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"ContentEngine.Runtime references {name}; it must depend on .NET alone"));
    }

    [Fact]
    public async Task DotnetPackMakesANuGetPackageWithTheLibraryAndNoDependencies()
    {
        using var temp = new TestPaths.TempFolder();
        var configuration = typeof(RuntimeLibraryTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // Packing builds the net8.0 library too (the test run builds only net10.0): this proves it compiles.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "pack", TestPaths.Repo("src", "ContentEngine.Runtime"), "-c", configuration, "-o", temp.Path, "-nologo", "-v", "q" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet pack failed: {await output}{error}");

        var version = typeof(ProgramPackage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var nupkg = Path.Combine(temp.Path, $"ContentEngine.Runtime.{version}.nupkg");
        Assert.True(File.Exists(nupkg), $"expected {Path.GetFileName(nupkg)}; found {string.Join(", ", Directory.GetFiles(temp.Path).Select(Path.GetFileName))}");
        using var zip = ZipFile.OpenRead(nupkg);
        foreach (var framework in new[] { "net8.0", "net10.0" })
        {
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/{framework}/ContentEngine.Runtime.dll");
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/{framework}/ContentEngine.Runtime.xml");
        }
        // The symbols, in a symbol package beside it.
        using (var symbols = ZipFile.OpenRead(Path.ChangeExtension(nupkg, ".snupkg")))
            foreach (var framework in new[] { "net8.0", "net10.0" })
                Assert.Contains(symbols.Entries, e => e.FullName == $"lib/{framework}/ContentEngine.Runtime.pdb");
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var nuspec = XDocument.Load(nuspecStream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("ContentEngine.Runtime", metadata.Element(ns + "id")!.Value);
        Assert.Equal(version, metadata.Element(ns + "version")!.Value);
        Assert.Empty(metadata.Descendants(ns + "dependency"));
    }
}
