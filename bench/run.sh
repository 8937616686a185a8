#!/bin/sh
# Times `contentengine check` and `build --web` on the 4,000-file benchmark corpus beside Hugo's
# full build of the same corpus, each pair in one hyperfine run; measures the check's peak memory;
# times the preview's rebuild after a one-module edit (bench/PreviewEdit); times the sample
# program's print bundle and its audio bundle, cold (empty cache) and warm; and times
# `contentengine explore` on the sample program and on a generated one (bench/make-explore-program.sh:
# 40 optional modules, 60 worksheet fields, 200 `::: if` blocks), with the generated one's peak memory;
# and times ProgramPackage.Open on the sample's package with its audio (bench/OpenPackage), with the peak
# memory of a process that opens it. The package is out/iact-chronic-pain/iact-chronic-pain-1.0.0.cepkg
# when ./build.sh has made it, else built here (web, audio and package; the audio part's cache is shared).
#   sh bench/run.sh [CORPUS_DIR]     (default: ../shared/bench/markdown-4000)
# BENCH_ONLY picks parts, separated by spaces or commas: check web preview print audio explore open
# (default: all of them; only check, web and preview read the corpus). BENCH_RUNS (default 7) is the
# number of runs of each corpus timing and of the sample's explore, BENCH_EXPLORE_RUNS (default 3)
# that of the generated program's explore.
# Needs bash, dotnet, hugo, hyperfine, GNU time, chromium, ffmpeg and espeak-ng (build.sh bench installs them with apt).
set -eu
cd "$(dirname "$0")/.."
all="check web preview print audio explore open"
only=" $(echo "${BENCH_ONLY:-$all}" | tr ',' ' ') "
for p in $only; do
  case " $all " in *" $p "*) ;; *) echo "bench/run.sh: unknown part '$p' in BENCH_ONLY (parts: $all)" >&2; exit 2 ;; esac
done
part() { case "$only" in *" $1 "*) return 0 ;; esac; return 1; }
runs=${BENCH_RUNS:-7}
explore_runs=${BENCH_EXPLORE_RUNS:-3}
sample=content/iact-chronic-pain
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if part check || part web || part preview; then
  corpus=$(cd "${1:-../shared/bench/markdown-4000}" && pwd)
  scripts=$(dirname "$corpus")
  bash "$scripts/make-program.sh" "$corpus" "$work/program" >/dev/null
  bash "$scripts/make-hugo-site.sh" "$corpus" "$work/hugo" >/dev/null
fi
echo "Publishing the command line (Release, ReadyToRun)..."
dotnet publish src/ContentEngine.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/ce" -nologo -v q >/dev/null
ce="$work/ce/ContentEngine.Cli"

if part check || part web; then
  "$ce" check "$work/program" >/dev/null 2>&1
fi

if part check; then
  echo "check vs hugo: $(ls "$corpus" | wc -l) files, $runs runs each"
  hyperfine -N -w 1 -r "$runs" --style basic --export-csv "$work/check.csv" \
    --prepare "rm -rf $work/hugo-out" \
    -n "contentengine check" "$ce check $work/program" \
    -n "hugo build" "hugo --quiet -s $work/hugo -d $work/hugo-out"
fi

if part web; then
  echo "build --web vs hugo: $runs runs each"
  hyperfine -N -w 1 -r "$runs" --style basic --export-csv "$work/web.csv" \
    --prepare "rm -rf $work/hugo-out $work/web-out" \
    -n "contentengine build --web" "$ce build $work/program --web -o $work/web-out" \
    -n "hugo build" "hugo --quiet -s $work/hugo -d $work/hugo-out"
fi

if part preview; then
  echo "preview: one-module edit rebuilt by serve's builder"
  dotnet build bench/PreviewEdit -c Release -nologo -v q >/dev/null && dotnet run -c Release --no-build --project bench/PreviewEdit -- "$work/program" 15 | tee "$work/preview.txt"
fi

if part print; then
  echo "print bundle of the sample program (both locales, workbook and worksheets): 3 runs"
  hyperfine -N -w 1 -r 3 --style basic --export-csv "$work/print.csv" \
    -n "contentengine build --print" "$ce build $sample --print -o $work/print-out"
fi

if part audio; then
  echo "audio bundle of the sample program: cold (empty cache, 1 run) and warm (nothing changed, 3 runs)"
  hyperfine -N -r 1 --style basic --export-csv "$work/audio-cold.csv" --prepare "rm -rf $work/audio-cache" \
    -n "contentengine build --audio (cold)" "$ce build $sample --audio --cache $work/audio-cache -o $work/audio-out"
  hyperfine -N -w 1 -r 3 --style basic --export-csv "$work/audio-warm.csv" \
    -n "contentengine build --audio (warm)" "$ce build $sample --audio --cache $work/audio-cache -o $work/audio-out"
fi

if part explore; then
  bash bench/make-explore-program.sh "$work/explore"
  echo "explore of the sample program: $runs runs"
  hyperfine -N -w 1 -r "$runs" --style basic --export-csv "$work/explore-sample.csv" \
    -n "contentengine explore (sample)" "$ce explore $sample"
  # GNU time around each timed run gives the peak memory without more runs of a long command
  # (no warm-up run either: the program is a few dozen small files); explore exits 1 on an error.
  echo "explore of the generated program: $explore_runs runs"
  hyperfine -N -r "$explore_runs" --style basic --export-csv "$work/explore-generated.csv" \
    -n "contentengine explore (generated)" "/usr/bin/time -a -o $work/explore-peak.txt -f %M $ce explore $work/explore"
fi

if part open; then
  package=out/iact-chronic-pain/iact-chronic-pain-1.0.0.cepkg
  if [ ! -f "$package" ]; then
    echo "building the sample's package with its web and audio bundles..."
    "$ce" build $sample --web --audio --package --cache $work/audio-cache -o $work/package-out >/dev/null 2>&1
    package=$work/package-out/iact-chronic-pain-1.0.0.cepkg
  fi
  dotnet publish bench/OpenPackage -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$work/open" -nologo -v q >/dev/null
  echo "ProgramPackage.Open of the sample's package: $runs runs after a first open in a fresh process"
  "$work/open/OpenPackage" "$package" "$runs" | tee "$work/open.txt"
  open_peak=0; bare_peak=0
  for i in 1 2 3; do
    kb=$(/usr/bin/time -f %M "$work/open/OpenPackage" "$package" --once 2>&1 >/dev/null | tail -n 1)
    [ "$kb" -gt "$open_peak" ] && open_peak=$kb
    kb=$(/usr/bin/time -f %M "$work/open/OpenPackage" "$package" --none 2>&1 >/dev/null | tail -n 1)
    [ "$kb" -gt "$bare_peak" ] && bare_peak=$kb
  done
fi

if part check; then
  peak=0
  for i in 1 2 3; do
    kb=$(/usr/bin/time -f %M "$ce" check "$work/program" 2>&1 >/dev/null | tail -n 1)
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  awk -F, -v peak="$peak" '
    NR > 1 { name[NR] = $1; median[NR] = $4 }
    END {
      c = median[2]; h = median[3];
      printf "\nmedian check: %.3f s   median hugo: %.3f s   ratio check/hugo: %.2f (target <= 0.50)\n", c, h, c / h;
      printf "peak memory of check: %.0f MiB (target < 300 MiB)\n", peak / 1024;
      if (c / h > 0.5 || peak / 1024 >= 300) { print "check: target missed"; missed = 1 } else print "check: targets met"
      exit missed
    }' "$work/check.csv" || status=1
fi
if part web; then
  awk -F, '
    NR > 1 { median[NR] = $4 }
    END {
      w = median[2]; h = median[3];
      printf "median build --web: %.3f s   median hugo: %.3f s   ratio web/hugo: %.2f (target <= 1.00)\n", w, h, w / h;
      if (w / h > 1) { print "web: target missed"; exit 1 }
      print "web: target met"
    }' "$work/web.csv" || status=1
fi
if part preview; then
  awk '/median/ { for (i = 1; i <= NF; i++) if ($i == "median") m = $(i+1) }
    END { printf "preview edit: %s ms (target < 100 ms)\n", m; if (m == "" || m + 0 >= 100) { print "preview: target missed"; exit 1 } print "preview: target met" }' "$work/preview.txt" || status=1
fi
for f in print audio-cold audio-warm; do
  part "${f%-*}" || continue
  awk -F, -v name="$f" 'NR == 2 { printf "median %s: %.2f s\n", name, $4 }' "$work/$f.csv"
done
if part explore; then
  awk -F, 'NR == 2 {
      printf "median explore of the sample: %.3f s (target < 2 s)\n", $4;
      if ($4 >= 2) { print "explore (sample): target missed"; exit 1 }
      print "explore (sample): target met"
    }' "$work/explore-sample.csv" || status=1
  peak=$(awk '/^[0-9]+$/ && $1 > p { p = $1 } END { print p + 0 }' "$work/explore-peak.txt")
  awk -F, -v peak="$peak" 'NR == 2 {
      printf "median explore of the generated program: %.2f s (target < 10 s)\n", $4;
      printf "peak memory of explore of the generated program: %.0f MiB (target < 500 MiB)\n", peak / 1024;
      if ($4 >= 10 || peak / 1024 >= 500) { print "explore (generated): target missed"; exit 1 }
      print "explore (generated): targets met"
    }' "$work/explore-generated.csv" || status=1
fi
if part open; then
  awk -v peak="$open_peak" -v bare="$bare_peak" '
    /^median open/ { sub(/.*: /, ""); m = $1 + 0 }
    END {
      printf "peak memory of a process that opens the package: %.0f MiB, of which the .NET runtime alone %.0f MiB (target < 50 MiB)\n", peak / 1024, bare / 1024;
      printf "median open: %.1f ms (target < 100 ms)\n", m;
      if (m >= 100 || peak / 1024 >= 50) { print "open: target missed"; exit 1 }
      print "open: targets met"
    }' "$work/open.txt" || status=1
fi
exit ${status:-0}
