#!/usr/bin/env bash
# Self-test of `bench/gpu-check.sh run` without Java, a GPU or minutes: a fake carried runtime whose
# "java" answers `devices` at once, hangs in `verify`, and takes 5 s in `compare`. With a 2 s cap on
# verify and a 6 s soft deadline it checks that
#   - a step is cut at its cap (TIMEOUT within cap + the 5 s kill grace), and the run goes on;
#   - no step starts after the soft deadline (compare-netflix SKIPPED), and the run ends early;
#   - $OUT holds exactly summary.txt, figures.json and logs.tgz (<= 6 files), figures.json parses,
#     and logs.tgz holds every step's log.
# Run by GpuCheckScriptTest (mvn test) and by hand: bench/gpu-check-selftest.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "gpu-check-selftest: FAIL: $*" >&2; [ -f "$tmp/out/summary.txt" ] && sed 's/^/  | /' "$tmp/out/summary.txt" >&2; exit 1; }

mkdir -p "$tmp/jre/fake-jre/bin" "$tmp/carry" "$tmp/out" "$tmp/t"
cat >"$tmp/jre/fake-jre/bin/java" <<'EOF'
#!/usr/bin/env bash
for a in "$@"; do
  case "$a" in
    -version) echo 'openjdk version "17-fake"' >&2; exit 0 ;;
    devices) echo "cuda: not available: fake"; echo "opencl: 1 device"; echo "  opencl:0 fake (CPU, 2 compute units)"; echo "cpu: 1 device"; exit 0 ;;
    verify) echo "verify: started"; exec sleep 60 ;;
    SgdEpochBenchmark)
      while [ $# -gt 0 ]; do [ "$1" = -rff ] && echo '[{"params":{"backend":"opencl","k":"64","storage":"float"},"primaryMetric":{"score":10.0,"scoreError":0.1}}]' >"$2"; shift; done
      exit 0 ;;
    compare) echo "compare: fake table"; sleep 5; exit 0 ;;
  esac
done
echo "fake java: unexpected $*" >&2; exit 3
EOF
chmod +x "$tmp/jre/fake-jre/bin/java"
tar -C "$tmp/jre" -cf - fake-jre | xz -1 >"$tmp/carry/java.tar.xz"
echo jar >"$tmp/carry/lfm.jar"
echo jar >"$tmp/carry/lfm-bench.jar"

t0=$SECONDS
rc=0
OUT="$tmp/out" TMPDIR="$tmp/t" LFM_GPU_CHECK_CARRY="$tmp/carry" LFM_GPU_CHECK_BACKEND=opencl \
  LFM_GPU_CHECK_CAPS="verify-opencl=2" LFM_GPU_CHECK_SOFT=6 LFM_GPU_CHECK_HARD=60 LFM_GPU_CHECK_PYTHON=false \
  LFM_GPU_CHECK_XMX=1g "$root/bench/gpu-check.sh" run >"$tmp/run.log" 2>&1 || rc=$?
took=$((SECONDS - t0))
s="$tmp/out/summary.txt"

[ "$rc" = 1 ] || fail "exit $rc, expected 1 (a step timed out); log: $(tail -n 5 "$tmp/run.log")"
[ "$took" -le 25 ] || fail "the run took ${took}s: the verify cap (2 s) or the soft deadline (6 s) did not hold"
grep -qE '^verify-opencl +TIMEOUT +[2-7]s +\(cap 2s\)' "$s" || fail "verify-opencl was not cut at its 2 s cap"
grep -qE '^jmh-sgd +ok ' "$s" || fail "jmh-sgd did not run after the timed-out verify"
grep -qE '^torch-sgd +SKIPPED' "$s" || fail "torch-sgd not skipped without torch"
grep -qE '^compare-default +ok +[4-9]s' "$s" || fail "compare-default did not run"
grep -qE '^compare-netflix +SKIPPED .*soft deadline 6s' "$s" || fail "compare-netflix started after the soft deadline"
grep -q 'M updates/s' "$s" || fail "the summary lacks the JMH figure"
files="$(cd "$tmp/out" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')"
[ "$files" = "figures.json logs.tgz summary.txt " ] || fail "files under \$OUT: $files (expected figures.json logs.tgz summary.txt)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [s["name"] for s in d["steps"]][:2]==["devices","verify-opencl"], d["steps"]; assert d["jmh_sgd"][0]["ms_per_epoch"]==10.0' \
  "$tmp/out/figures.json" || fail "figures.json is not the expected JSON"
logs="$(tar -tzf "$tmp/out/logs.tgz" | sed 's|^\./||' | sort | tr '\n' ' ')"
for f in devices.log verify-opencl.log jmh-sgd.log jmh-sgd.json compare-default.log steps.tsv summary.txt; do
  [[ " $logs" == *" $f "* ]] || fail "logs.tgz lacks $f (has: $logs)"
done
echo "gpu-check-selftest: ok (${took}s: cap, soft deadline, 3 result files)"
