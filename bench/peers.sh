#!/usr/bin/env bash
# lfm against LIBMF (AVX build) on one generated "row col value" file, same machine, same threads.
#
#   bench/peers.sh [--users U] [--items I] [--ratings R] [--ks "8 50 64 128"] [--threads T]
#                  [--epochs E] [--e2e-epochs N (0: no end-to-end runs)] [--keep DIR]
#
# Per k: LIBMF's time per iteration = (time of a 13-iteration run − time of a 3-iteration run)/10
# (its times include reading the file); lfm's = the median of its reported epoch times, epochs
# 2..E (`--optimizer sgd --no-biases`, LIBMF's model without its adaptive rates; epoch 1 builds
# the block plan). updates/s = ratings / time per iteration. End to end: wall time of read +
# N epochs at k = 64, quiet, no test split (lfm both with plain SGD and with its default
# optimizer, AdaGrad; lfm reads the file on T threads, LIBMF on one). Prints a Markdown table
# with date, commit and load average.
# Defaults (100k x 10k, 5M ratings) finish in a few minutes on 2 cores; the issue's problem is
# --users 200000 --items 20000 --ratings 20000000.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
users=100000 items=10000 ratings=5000000 ks="8 50 64 128" threads=2 epochs=8 e2e=20 keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --ratings) ratings=$2; shift 2 ;;
    --ks) ks=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --e2e-epochs) e2e=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "peers.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for n in "$users" "$items" "$ratings" "$threads" "$e2e"; do
  case "$n" in ''|*[!0-9]*) echo "peers.sh: --users, --items, --ratings, --threads and --e2e-epochs take whole numbers (got '$n')" >&2; exit 2 ;; esac
done
case "$epochs" in ''|*[!0-9]*|0|1) echo "peers.sh: --epochs must be a whole number >= 2 (epoch 1 builds the plan and is not timed; got '$epochs')" >&2; exit 2 ;; esac
work="${keep:-$(mktemp -d /tmp/lfm-peers.XXXXXX)}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

libmf_src="$root/../shared/peers/libmf"
mf=""
if [ -d "$libmf_src" ]; then
  if [ ! -x "$work/libmf/mf-train" ]; then
    rm -rf "$work/libmf"; cp -r "$libmf_src" "$work/libmf"
    # its Makefile's AVX variant: -DUSEAVX and -mavx instead of -DUSESSE
    sed -i -e 's/^DFLAG = -DUSESSE/#DFLAG = -DUSESSE/' -e 's/^#DFLAG = -DUSEAVX/DFLAG = -DUSEAVX/' \
        -e 's/^#CXXFLAGS += -mavx/CXXFLAGS += -mavx/' "$work/libmf/Makefile"
    make -s -C "$work/libmf" mf-train >/dev/null 2>&1 || { echo "peers.sh: LIBMF build failed" >&2; exit 1; }
  fi
  mf="$work/libmf/mf-train"
else
  echo "peers.sh: $libmf_src not found: lfm only" >&2
fi

data="$work/ratings-${users}x${items}x${ratings}.txt"
if [ ! -s "$data" ]; then
  echo "generating $data ..." >&2
  java "$root/bench/GenRatings.java" "$data" "$users" "$items" "$ratings"
fi
lfm="$root/bin/lfm"
# lfm reads a regular file on every processor unless told: here on as many threads as it trains on
export LFM_JAVA_OPTS="${LFM_JAVA_OPTS:--XX:MaxRAMPercentage=75} -Dlfm.readThreads=$threads"
"$lfm" --version >/dev/null   # builds the jar when the sources changed (a failed build stops here, with its reason)
common=(--data "$data" --test-fraction 0 --validation-fraction 0 --threads "$threads")

libmf_time() { # k iterations -> seconds
  local t0 t1; t0=$(now); "$mf" --quiet -k "$1" -t "$2" -s "$threads" "$data" "$work/model.txt" >/dev/null; t1=$(now)
  echo "$t1 - $t0" | bc -l
}
lfm_epoch() { # k -> median epoch seconds over epochs 2..E (from the JSON report: full precision)
  rm -f "$work/lfm-report.json"
  "$lfm" train "${common[@]}" -k "$1" --epochs "$epochs" --optimizer sgd --no-biases -q \
    --report "$work/lfm-report.json" >/dev/null   # stderr stays: an lfm error is its own one line
  python3 -c 'import json, statistics, sys
h = json.load(open(sys.argv[1]))["history"]
print(statistics.median(e["seconds"] for e in h[1:]))' "$work/lfm-report.json"
}
mups() { echo "$ratings / $1 / 1000000" | awk '{printf "%.1f", $1 / $3 / $5}'; }

echo "## lfm vs LIBMF-AVX: $users users x $items items, $ratings ratings, $threads threads"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+dirty'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs"
echo
echo "| k | lfm M updates/s (median epoch 2-$epochs) | LIBMF-AVX M updates/s ((t13 - t3)/10) | lfm / LIBMF | load before / after |"
echo "| --- | --- | --- | --- | --- |"
for k in $ks; do
  l0=$(load)
  le=$(lfm_epoch "$k")
  lfm_u=$(mups "$le")
  if [ -n "$mf" ]; then
    t3=$(libmf_time "$k" 3); t13=$(libmf_time "$k" 13)
    per=$(echo "($t13 - $t3) / 10" | bc -l)
    if [ "$(echo "$per > 0" | bc -l)" = 1 ]; then
      mf_u=$(mups "$per")
      ratio=$(echo "$lfm_u $mf_u" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')
    else # a loaded machine: the 13-iteration run was not slower than the 3-iteration one
      mf_u="- (t13 $(printf '%.1f' "$t13") s <= t3 $(printf '%.1f' "$t3") s: noise)"; ratio="-"
    fi
  else mf_u="-"; ratio="-"; fi
  echo "| $k | $lfm_u | $mf_u | $ratio | $l0 / $(load) |"
done
if [ "$e2e" = 0 ]; then # --e2e-epochs 0: the per-k table only
  exit 0
fi
echo
echo "End to end, k = 64, read + $e2e epochs, quiet, no test split (wall seconds):"
echo
echo "| program | seconds | LIBMF / it | load before / after |"
echo "| --- | --- | --- | --- |"
if [ -n "$mf" ]; then
  l0=$(load); t0=$(now); "$mf" --quiet -k 64 -t "$e2e" -s "$threads" "$data" "$work/model.txt" >/dev/null; t1=$(now)
  mf_e2e=$(echo "$t1 - $t0" | bc -l)
  printf '| LIBMF-AVX | %.1f | 1.00 | %s / %s |\n' "$mf_e2e" "$l0" "$(load)"
fi
for opt in sgd adagrad; do
  l0=$(load); t0=$(now)
  extra=(); [ "$opt" = sgd ] && extra=(--no-biases)
  "$lfm" train "${common[@]}" -k 64 --epochs "$e2e" --optimizer "$opt" "${extra[@]}" -q >/dev/null; t1=$(now)
  e=$(echo "$t1 - $t0" | bc -l)
  r=$([ -n "$mf" ] && echo "$mf_e2e $e" | awk '{printf "%.2f", $1 / $2}' || echo -)
  printf '| lfm --optimizer %s%s | %.1f | %s | %s / %s |\n' "$opt" "$([ "$opt" = sgd ] && echo ' --no-biases')" "$e" "$r" "$l0" "$(load)"
done
