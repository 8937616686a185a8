#!/usr/bin/env bash
# Writes a program for timing `contentengine explore`: 40 optional modules in three phases that
# have `choose`, each with an `offer_when`; worksheets with 60 fields in all (two forms, two
# questionnaires with scores, three diaries: scales, numbers, numeric and text choices, multiple
# choices, booleans, a duration); and 200 `::: if` blocks across the modules, some nested, their
# conditions mixing and/or/not, diary aggregates, scores, week and module states. Inputs are shared
# the way real programs share them: the intake's multiple-choice "areas" is read by most offers,
# the same pain, stress and diary aggregates by many conditions. The program is the same on every
# run (no randomness), and compiles without errors; explore's findings are expected.
#   make-explore-program.sh OUT_DIR
set -euo pipefail
out=${1:?output folder}
rm -rf "$out"
mkdir -p "$out/modules" "$out/worksheets"

fields=0
blocks=0

# ---- worksheets ----

# field ID TYPE [key: value]...: one field of the worksheet being written, on stdout.
field() {
  local id=$1 type=$2
  shift 2
  fields=$((fields + 1))
  printf '  - id: %s\n    type: %s\n    label: "Question %s"\n' "$id" "$type" "$id"
  local kv
  for kv in "$@"; do printf '    %s\n' "$kv"; done
}
options() { # options VALUE...: a choice's options
  printf '    options:\n'
  local v
  for v in "$@"; do printf '      - {value: %s, label: "%s"}\n' "$v" "$v"; done
}
worksheet() { # worksheet ID KIND TITLE [header lines]: the front matter's head
  printf -- '---\nid: %s\ntitle: "%s"\nsummary: "Generated for the explore benchmark."\nkind: %s\n' "$1" "$3" "$2"
  shift 3
  local l
  for l in "$@"; do printf '%s\n' "$l"; done
  printf 'fields:\n'
}
body() { printf -- '---\n\nAnswer every question as it is for you now. There are no right or wrong answers.\n'; }

{
  worksheet intake form "Intake"
  field areas choice "multiple: true"; options sleep stress mood work relationships exercise pain diet
  field goals choice "multiple: true"; options return-to-work more-activity better-sleep less-worry social routine
  field work-situation choice "required: true"; options working part-sick-leave sick-leave unemployed retired
  field pain scale "required: true" "min: 0" "max: 10" "step: 1"
  field stress scale "required: true" "min: 0" "max: 10" "step: 1"
  field low-days integer "min: 0" "max: 7"
  field sleep-hours number "min: 0" "max: 14" "step: 0.5"
  field exercise choice; options 0 30 60 90 150 300
  field alcohol integer "min: 0" "max: 50"
  field age integer "required: true" "min: 18" "max: 100"
  field pain-years integer "min: 0" "max: 50"
  field living-alone boolean
  field children boolean
  field medication boolean
  field support choice; options partner family friends none
  field notes text
  body
} > "$out/worksheets/intake.md"

{
  worksheet wellbeing questionnaire "Wellbeing"
  for i in 1 2 3 4 5 6 7 8 9 10; do field "q$i" scale "required: true" "min: 0" "max: 4" "step: 1"; done
  cat <<'YAML'
scoring:
  scores:
    positive: {sum: [q1, q3, q5, q7, q9]}
    negative: {sum: [q2, q4, q6, q8, q10]}
    total: {sum: [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10], reverse: [q2, q4, q6, q8, q10]}
  bands:
    total:
      - {max: 13, label: Low}
      - {max: 26, label: Moderate}
      - {label: High}
YAML
  body
} > "$out/worksheets/wellbeing.md"

{
  worksheet function questionnaire "Everyday function"
  for i in 1 2 3 4 5 6 7 8; do field "f$i" scale "required: true" "min: 0" "max: 6" "step: 1"; done
  cat <<'YAML'
scoring:
  scores:
    physical: {mean: [f1, f2, f3, f4]}
    social: {mean: [f5, f6, f7, f8]}
YAML
  body
} > "$out/worksheets/function.md"

{
  worksheet sleep-diary diary "Sleep diary" "repeat: daily" "days: 7"
  field bedtime time "required: true"
  field hours number "min: 0" "max: 14" "step: 0.5"
  field quality scale "min: 1" "max: 5" "step: 1"
  field awake duration "min: 0" "max: 300"
  field woke boolean
  field nap boolean
  body
} > "$out/worksheets/sleep-diary.md"

{
  worksheet activity-diary diary "Activity diary" "repeat: daily" "days: 7"
  field kind choice "required: true"; options walk swim bike gym other
  field minutes number "min: 0" "max: 600"
  field pain scale "min: 0" "max: 10" "step: 1"
  field effort scale "min: 1" "max: 5" "step: 1"
  field distance number "min: 0" "max: 50" "step: 0.1"
  field enjoyed boolean
  body
} > "$out/worksheets/activity-diary.md"

{
  worksheet mood-diary diary "Mood diary" "repeat: entry"
  field mood scale "required: true" "min: 1" "max: 10" "step: 1"
  field anxiety scale "min: 0" "max: 10" "step: 1"
  field trigger choice; options work home pain other
  field coped boolean
  field note text
  body
} > "$out/worksheets/mood-diary.md"

{
  worksheet followup form "Follow-up"
  field satisfaction scale "required: true" "min: 0" "max: 10" "step: 1"
  field topics choice "multiple: true"; options sleep stress mood work pain social
  field barriers choice "multiple: true"; options time energy pain motivation money
  field contact choice; options phone email none
  field days-active integer "min: 0" "max: 7"
  field hours-free number "min: 0" "max: 40" "step: 0.5"
  field confidence scale "min: 0" "max: 10" "step: 1"
  field wants-more boolean
  field notes longtext
  body
} > "$out/worksheets/followup.md"

# ---- conditions ----

topics=(sleep stress mood work relationships exercise pain diet)
# What each area's offers and blocks read besides the area itself (the followup's topic, if any, last).
declare -A atoms follow
atoms[sleep]='sleep-diary.mean(hours) < 6|sleep-diary.mean(quality) <= 2|intake.sleep-hours < 6|sleep-diary.last(woke)|sleep-diary.max(awake) > 60|sleep-diary.count() >= 3'
atoms[stress]='intake.stress >= 7|wellbeing.negative >= 12|mood-diary.max(anxiety) >= 8|intake.goals == "less-worry"|intake.work-situation == "sick-leave"'
atoms[mood]='intake.low-days >= 4|mood-diary.mean(mood) < 5|wellbeing.total < 20|mood-diary.count() >= 3|wellbeing.q3 <= 1'
atoms[work]='intake.work-situation == "sick-leave"|intake.work-situation == "part-sick-leave"|intake.goals == "return-to-work"|function.physical < 2.5|intake.stress >= 7'
atoms[relationships]='intake.support == "none"|intake.living-alone|function.social < 3|intake.children|intake.goals == "social"'
atoms[exercise]='intake.exercise < 60|activity-diary.mean(minutes) < 20|activity-diary.count() < 4|activity-diary.last(kind) == "walk"|intake.goals == "more-activity"|activity-diary.max(distance) >= 5'
atoms[pain]='intake.pain >= 7|activity-diary.max(pain) >= 8|intake.pain-years >= 5|intake.medication|function.physical < 2.5'
atoms[diet]='intake.alcohol > 14|intake.age >= 65|activity-diary.mean(effort) > 3|intake.exercise <= 30|intake.pain >= 7'
follow=([sleep]=sleep [stress]=stress [mood]=mood [work]=work [relationships]=social [exercise]=pain [pain]=pain [diet]=mood)
# Read by blocks everywhere, beside their module's own area.
general='intake.pain >= 5|intake.stress < 4|answered(followup)|wellbeing.total >= 25|intake.age < 30|followup.satisfaction <= 4|followup.barriers == "energy"|followup.confidence >= 7|followup.wants-more|intake.areas != "diet"|sleep-diary.count() >= 3|mood-diary.last(coped) == false|followup.hours-free > 10|intake.goals == "routine"|followup.contact == "phone"|followup.days-active < 3'
IFS='|' read -r -a pool <<<"$general"

atom() { # atom TOPIC N: the topic's Nth atom (cycling)
  local list
  IFS='|' read -r -a list <<<"${atoms[$1]}"
  printf '%s' "${list[$(($2 % ${#list[@]}))]}"
}
general_atom() { printf '%s' "${pool[$(($1 % ${#pool[@]}))]}"; }

# ---- program ----

cat > "$out/program.yaml" <<'YAML'
id: explore-bench
version: 1.0.0
title: Explore benchmark
locales: [en]
guidance: self
release: weekly
phases:
  - id: start
    title: Getting started
    weeks: 2
  - id: core
    title: Core
    weeks: 6
    choose: {min: 1, max: 4}
  - id: aftercare
    title: Aftercare
    pause_before: 2
    weeks: 8
    choose: {min: 1, max: 5}
  - id: maintenance
    title: Maintenance
    weeks: 6
    choose: {max: 3}
YAML
# Program weeks: start 1-2, core 3-8, a pause 9-10, aftercare 11-18, maintenance 19-24.
total_weeks=24

declare -a optional_ids
for k in $(seq 0 39); do optional_ids[k]="${topics[k % 8]}-$((k / 8 + 1))"; done

# block INDEX TOPIC FIRST_WEEK [OUTER]: the condition of the INDEXth block, in a module of TOPIC opening in program week FIRST_WEEK
block_condition() {
  local j=$1 t=$2 w=$3
  local a b c
  a=$(atom "$t" "$j")
  b=$(general_atom $((j * 5 + 1)))
  c=$(atom "${topics[$(((j + 3) % 8))]}" $((j / 8)))
  case $((j % 10)) in
    0) printf '%s' "$a" ;;
    1) printf '%s and %s' "$a" "$b" ;;
    2) printf '%s or %s' "$b" "$a" ;;
    3) printf 'not %s' "$a" ;;
    4) printf '(%s or %s) and not %s' "$a" "$b" "$c" ;;
    5) printf '%s and (%s or %s)' "$b" "$a" "$c" ;;
    6) local at=$((w + 1 + j % 3))
       [ "$at" -gt "$total_weeks" ] && at=$total_weeks
       printf 'week >= %d and %s' "$at" "$a" ;;
    7) local mods=("completed(welcome)" "chosen(${optional_ids[$(((j / 10) % 40))]})" "answered(wellbeing)")
       printf '%s or %s' "${mods[$(((j / 10) % 3))]}" "$a" ;;
    8) printf '%s and %s or %s' "$a" "$c" "$b" ;;
    9) printf 'intake.areas == "%s" and %s' "$t" "$b" ;;
  esac
}

# write_blocks TOPIC FIRST_WEEK COUNT NESTED_PAIRS: COUNT blocks on stdout, the first NESTED_PAIRS pairs nested
write_blocks() {
  local t=$1 w=$2 n=$3 pairs=$4 i=0 cond inner
  while [ "$i" -lt "$n" ]; do
    cond=$(block_condition "$blocks" "$t" "$w")
    blocks=$((blocks + 1))
    if [ "$pairs" -gt 0 ] && [ $((i + 1)) -lt "$n" ]; then
      inner=$(block_condition "$blocks" "$t" "$w")
      blocks=$((blocks + 1))
      printf '\n:::: if {when="%s"}\nThis part is for patients whose answers fit it. It says a little more about the theme of the week.\n\n' "${cond//\"/\'}"
      printf '::: if {when="%s"}\nAnd this part only for some of them, inside the part around it.\n:::\n::::\n' "${inner//\"/\'}"
      pairs=$((pairs - 1))
      i=$((i + 2))
    else
      printf '\n::: if {when="%s"}\nThis part is for patients whose answers fit it. It says a little more about the theme of the week.\n:::\n' "${cond//\"/\'}"
      i=$((i + 1))
    fi
  done
}

prose() {
  printf '\n# %s\n\nThis module is part of a generated program. It has a short text, an exercise and content for some patients only.\n\n' "$1"
  printf '::: exercise {title="A short exercise" minutes=5}\nSit down, breathe calmly and notice how your body feels right now.\n:::\n'
}

# Mandatory modules: 5 of them, 8 blocks each (two nested pairs), placing the worksheets.
mandatory() { # mandatory ID PHASE WEEK PROGRAM_WEEK TOPIC [WORKSHEET]...
  local id=$1 phase=$2 week=$3 pweek=$4 t=$5
  shift 5
  {
    printf -- '---\nid: %s\ntitle: "%s"\nphase: %s\nweek: %d\n---\n' "$id" "$id" "$phase" "$week"
    prose "$id"
    local ws
    for ws in "$@"; do printf '\n::: worksheet {ref=%s}\nFill this in before next week.\n:::\n' "$ws"; done
    write_blocks "$t" "$pweek" 8 2
  } > "$out/modules/$id.md"
}
mandatory welcome start 1 1 pain intake wellbeing
mandatory baseline start 2 2 exercise sleep-diary activity-diary function
mandatory core-review core 6 8 mood mood-diary
mandatory followup-module aftercare 1 11 stress followup
mandatory closing maintenance 6 24 relationships

# Optional modules: 14 in core, 14 in aftercare, 12 in maintenance; 4 blocks each, a nested pair in every third.
for k in $(seq 0 39); do
  id=${optional_ids[k]}
  t=${topics[k % 8]}
  v=$((k / 8))
  if [ "$k" -lt 14 ]; then phase=core; weeks=6; first=3
  elif [ "$k" -lt 28 ]; then phase=aftercare; weeks=8; first=11
  else phase=maintenance; weeks=6; first=19; fi
  week=$((k % weeks + 1))
  a1=$(atom "$t" "$v"); a2=$(atom "$t" $((v + 1))); a3=$(atom "$t" $((v + 2)))
  area="intake.areas == \"$t\""
  case $((k % 5)) in
    0) offer="$area or $a1" ;;
    1) offer="$area or ($a1 and $a2)" ;;
    2) offer="($area or $a1) and not $a2" ;;
    3) offer="$a1 or $a2 or $a3" ;;
    4) offer="$area and $a1 or $a3" ;;
  esac
  # Later phases also read what the follow-up asked, and what was chosen before.
  if [ "$phase" != core ]; then
    offer="$offer or followup.topics == \"${follow[$t]}\""
    [ $((k % 3)) -eq 0 ] && offer="$offer or chosen(${optional_ids[$((k - 14))]}) and intake.pain >= 5"
  fi
  {
    printf -- '---\nid: %s\ntitle: "%s"\nphase: %s\nweek: %d\noptional: true\n' "$id" "$id" "$phase" "$week"
    [ $((k % 4)) -eq 0 ] && printf 'requires: [welcome]\n'
    printf "offer_when: '%s'\n" "$offer"
    printf 'offer_reason: "Your answers suggest that %s may help you."\ntags: [%s]\n---\n' "$t" "$t"
    prose "$id"
    write_blocks "$t" $((first + week - 1)) 4 $((k % 3 == 0 ? 1 : 0))
  } > "$out/modules/$id.md"
done

echo "40 optional modules, 5 mandatory, $fields worksheet fields, $blocks if blocks -> $out"
[ "$fields" -eq 60 ] && [ "$blocks" -eq 200 ]
