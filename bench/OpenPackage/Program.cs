using System.Diagnostics;
using System.Globalization;
using ContentEngine.Runtime.Packaging;

// OpenPackage <package.cepkg> [runs]: opens the package as a platform does, in this fresh process (the first open
// includes loading and compiling the library), then <runs> more times, and verifies it once in full.
// OpenPackage <package.cepkg> --once: opens it once and exits, for GNU time's peak memory;
// OpenPackage <package.cepkg> --none: exits without opening it (the process's own memory, to compare).
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: OpenPackage <package.cepkg> [runs | --once | --none]");
    return 2;
}
var path = args[0];
var mode = args.Length > 1 ? args[1] : "20";
if (mode == "--none") return 0;
var allocated = GC.GetTotalAllocatedBytes(precise: true);
var clock = Stopwatch.StartNew();
var package = ProgramPackage.Open(path);
var first = clock.Elapsed.TotalMilliseconds;
allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
if (mode == "--once") return package.Program.Modules.Length > 0 ? 0 : 1;

var runs = int.Parse(mode, CultureInfo.InvariantCulture);
var times = new List<double>();
for (var i = 0; i < runs; i++)
{
    clock.Restart();
    ProgramPackage.Open(path);
    times.Add(clock.Elapsed.TotalMilliseconds);
}
times.Sort();
clock.Restart();
package.Verify();
var verify = clock.Elapsed.TotalMilliseconds;
var size = new FileInfo(path).Length;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"package: {size / 1048576.0:0.0} MiB, {package.Manifest.Files.Length} files, {package.Manifest.Files.Sum(f => f.Size) / 1048576.0:0.0} MiB unpacked"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first open (fresh process): {first:0.0} ms, {allocated / 1048576.0:0.0} MiB allocated"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median open ({runs} more runs): {times[times.Count / 2]:0.0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify (every file hashed): {verify:0} ms"));
return 0;
