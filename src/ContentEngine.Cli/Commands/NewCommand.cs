using System.CommandLine;
using ContentEngine.Compilation;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine new &lt;folder&gt;</c>: a program from the built-in template (Templates/), which compiles clean.</summary>
internal static class NewCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "the folder to create the program in: one that does not exist yet, or is empty" };
        var command = new ContentEngineCommand("new", "create a program from a template that compiles clean; its id is the folder's name",
            "new takes one folder: contentengine new <folder>") { folder };
        command.SetAction((result, stdout, stderr) => Run(result.GetValue(folder)!, stdout, stderr));
        return command;
    }

    private static int Run(string folder, TextWriter stdout, TextWriter stderr)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            return CommandLine.Fail(stderr, $"'{folder}' already exists and is not empty; choose a new folder");
        var id = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant();
        if (!MappingReader.IsId(id)) id = "my-program";
        var assembly = typeof(CommandLine).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("template/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(folder, name["template/".Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            File.WriteAllText(target, reader.ReadToEnd().Replace("{{id}}", id, StringComparison.Ordinal));
        }
        stdout.WriteLine($"Created the program '{id}' in {folder}. Check it with: contentengine check {folder}");
        return CommandLine.Success;
    }
}
