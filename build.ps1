# ContentEngine's set-up and build steps for PowerShell, thin over dotnet; build.sh has the same steps.
#   ./build.ps1            compile the sample program into out/iact-chronic-pain
#   ./build.ps1 test       run the tests
#   ./build.ps1 bench      run the benchmarks (needs hugo and hyperfine on PATH)
param([string]$Task = "sample", [string]$Corpus = "../shared/bench/markdown-4000")
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error "build.ps1: the .NET 10 SDK is missing; install it (dotnet-sdk-10.0)"; exit 2
}
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"; $env:DOTNET_NOLOGO = "1"
function Need([string]$Tool, [string]$Package) {
    if (-not (Get-Command $Tool -ErrorAction SilentlyContinue)) {
        Write-Error "build.ps1: '$Tool' is missing; install it (apt-get install $Package)"; exit 2
    }
}
function Need-Chromium {
    if (-not $env:CONTENTENGINE_CHROMIUM -and -not (Get-Command chromium -ErrorAction SilentlyContinue)) {
        Write-Error "build.ps1: Chromium is missing; install it (apt-get install chromium) or set CONTENTENGINE_CHROMIUM"; exit 2
    }
}
switch ($Task) {
    "sample" {
        Need-Chromium; Need ffmpeg ffmpeg; Need espeak-ng espeak-ng
        dotnet build src/ContentEngine.Cli -c Release -nologo -v q; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        dotnet run --project src/ContentEngine.Cli -c Release --no-build -- build content/iact-chronic-pain -o out/iact-chronic-pain
        exit $LASTEXITCODE
    }
    "test" {
        Need-Chromium; Need pdftotext poppler-utils; Need ffmpeg ffmpeg; Need espeak-ng espeak-ng
        dotnet test ContentEngine.sln -c Release -nologo
        exit $LASTEXITCODE
    }
    "bench" {
        foreach ($tool in "hugo", "hyperfine", "sh") {
            if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { Write-Error "build.ps1: '$tool' is missing; install it"; exit 2 }
        }
        sh bench/run.sh $Corpus
        exit $LASTEXITCODE
    }
    default { Write-Error "build.ps1: unknown task '$Task' (sample, test, bench)"; exit 2 }
}
