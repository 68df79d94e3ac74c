#!/usr/bin/env bash
# GPU check in two steps (see bench/README.md, "GPU check").
#
#   bench/gpu-check.sh prepare   here (no GPU needed): builds target/lfm.jar with PTX and
#                                target/lfm-bench.jar (JMH), refuses PTX newer than the GPU
#                                machines' driver, links a Java runtime, packs them into
#                                bench/runtime/ (git-ignored, <= 64 MiB with the working tree)
#   bench/gpu-check.sh run       on the GPU machine, with only what was carried (bench/runtime/):
#                                steps in order of value, each with a time cap, none started after
#                                the soft deadline, all ended by the hard one (one device command):
#                                devices, verify (LFM_CUDA_SYNC=1), JMH SGD epoch (k 64/128, fp32/
#                                fp16), PyTorch peer, compare default, compare netflix, verify opencl.
#                                Writes 3 files to $OUT (else bench/gpu-check-out/): summary.txt,
#                                figures.json, logs.tgz.
#
# run fails with one line "no CUDA device: <reason>" (exit 2) when CUDA is unavailable.
# Environment (run): LFM_GPU_CHECK_BACKEND (cuda; opencl = the dry run), LFM_GPU_CHECK_SOFT (480 s:
# no step starts later), LFM_GPU_CHECK_HARD (570 s: every cap is cut to end by then),
# LFM_GPU_CHECK_CAPS ("name=secs,..." overrides), LFM_GPU_CHECK_STEPS (comma list: only these),
# LFM_GPU_CHECK_XMX (heap of every JVM), LFM_GPU_CHECK_SCALE (full; small = the dry run's sizes).
# Environment (prepare): LFM_MAVEN_ARGS (e.g. -o), LFM_GPU_DRIVER_CUDA (13.0: the CUDA generation of
# the GPU machines' driver, 580).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
carry="${LFM_GPU_CHECK_CARRY:-$root/bench/runtime}"
modules="java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.desktop,java.sql,jdk.incubator.vector"
limit=$((64 * 1024 * 1024))

die() { echo "gpu-check: $*" >&2; exit 1; }

prepare() {
  command -v mvn >/dev/null || die "mvn not on PATH"
  command -v jlink >/dev/null || die "jlink not on PATH (a JDK 17 is needed)"
  command -v nvcc >/dev/null || echo "gpu-check: warning: nvcc not on PATH, the jar gets no PTX (nvcc on the GPU machine at run time)" >&2
  echo "gpu-check: building target/lfm.jar and target/lfm-bench.jar (mvn -Pbench ${LFM_MAVEN_ARGS:-})"
  # shellcheck disable=SC2086
  (cd "$root" && mvn -q -B ${LFM_MAVEN_ARGS:-} -Pbench -DskipTests package)
  [ -f "$root/target/lfm-bench.jar" ] || die "mvn -Pbench made no target/lfm-bench.jar"
  unzip -l "$root/target/lfm.jar" | grep -q ' ptx/index.txt$' && echo "gpu-check: PTX packaged: $(unzip -l "$root/target/lfm.jar" | grep -c '\.ptx$') files"
  check_ptx "$root/target/lfm.jar"
  local deps
  deps="$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$root/target/lfm.jar" 2>/dev/null || true)"
  echo "gpu-check: jdeps says the jar needs: ${deps:-?}; linking: $modules"
  for m in ${deps//,/ }; do
    case ",$modules," in *",$m,"*) ;; *) die "jdeps lists module $m, which the runtime lacks: add it to modules in $0" ;; esac
  done
  local image="$root/target/gpu-check-jre"
  rm -rf "$image" "$carry"
  mkdir -p "$carry"
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$image"
  if command -v strip >/dev/null; then strip --strip-unneeded "$image/lib/server/libjvm.so"; fi
  echo "gpu-check: runtime image $(du -sh "$image" | cut -f1) unpacked; packing"
  tar -C "$(dirname "$image")" -cf - "$(basename "$image")" | xz -T0 -6 >"$carry/java.tar.xz"
  # the shaded jar without JCuda's nvPTXCompiler binding (24 MB, unused: PTX is loaded by the driver)
  cp "$root/target/lfm.jar" "$carry/lfm.jar"
  zip -q -d "$carry/lfm.jar" 'lib/libJNvPTXCompiler-*' 'lib/*arm64*' >/dev/null 2>&1 || true
  cp "$root/target/lfm-bench.jar" "$carry/lfm-bench.jar"
  zip -q -d "$carry/lfm-bench.jar" 'lib/libJNvPTXCompiler-*' 'lib/*arm64*' >/dev/null 2>&1 || true
  cp "$root/bench/torch_sgd.py" "$carry/torch_sgd.py"
  "$image/bin/java" --add-modules jdk.incubator.vector -Djava.awt.headless=true -jar "$carry/lfm.jar" devices \
    2> >(grep -v -e 'incubator modules' -e 'signal chaining was deprecated' >&2) | sed 's/^/gpu-check: here: /'
  local total tree
  total=$(du -cb "$carry"/* | tail -n 1 | cut -f1)
  tree=$(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)
  ls -la "$carry"
  echo "gpu-check: carried bench/runtime = $((total / 1048576)) MiB, working tree = $((tree / 1048576)) MiB, limit 64 MiB"
  [ $((total + tree)) -le "$limit" ] || die "bench/runtime plus the working tree exceed 64 MiB"
  echo "gpu-check: prepared; on the GPU machine run: bench/gpu-check.sh run   (carry: bench/runtime)"
}

# The highest PTX ISA a driver of CUDA generation X.Y loads (PTX ISA release table).
max_ptx_isa() {
  case "$1" in
    11.0) echo 7.0 ;; 11.1) echo 7.1 ;; 11.2) echo 7.2 ;; 11.3) echo 7.3 ;; 11.4) echo 7.4 ;;
    11.5) echo 7.5 ;; 11.6) echo 7.6 ;; 11.7) echo 7.7 ;; 11.8) echo 7.8 ;;
    12.0) echo 8.0 ;; 12.1) echo 8.1 ;; 12.2) echo 8.2 ;; 12.3) echo 8.3 ;; 12.4) echo 8.4 ;;
    12.5|12.6) echo 8.5 ;; 12.7|12.8) echo 8.7 ;; 12.9) echo 8.8 ;;
    13.0) echo 9.0 ;; 13.1) echo 9.1 ;;
    *) echo "" ;;
  esac
}

# version_gt A B: whether dotted version A > B
version_gt() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1)" = "$1" ]; }

# check_ptx JAR: refuses packaged PTX whose ISA the target driver cannot load
check_ptx() {
  local jar="$1" driver="${LFM_GPU_DRIVER_CUDA:-13.0}" max index
  max="$(max_ptx_isa "$driver")"
  [ -n "$max" ] || die "unknown driver generation LFM_GPU_DRIVER_CUDA=$driver (known: 11.0 .. 13.1)"
  index="$(unzip -p "$jar" ptx/index.txt 2>/dev/null || true)"
  if [ -z "$index" ]; then
    echo "gpu-check: warning: the jar has no PTX (built without nvcc): the GPU machine compiles with nvcc there" >&2
    return 0
  fi
  local bad=""
  while read -r file _sha isa; do
    case "$file" in *.cl) ;; *) continue ;; esac
    if version_gt "$isa" "$max"; then bad="$bad $file(PTX ISA $isa)"; fi
  done <<<"$index"
  [ -z "$bad" ] || die "packaged PTX too new for a CUDA $driver driver (loads PTX ISA <= $max):$bad; build with an older nvcc, or set LFM_GPU_DRIVER_CUDA if the GPU machines' driver is newer"
  echo "gpu-check: PTX ISA of every kernel file <= $max, loadable by the CUDA $driver driver of the GPU machines"
}

# Writes figures.json and logs.tgz next to summary.txt (the exit trap of run; globals set by run)
finish_run() {
  trap - EXIT
  cp "$summary" "$work/summary.txt" 2>/dev/null || true
  figures "$work" "$gpu" "$scale" $((SECONDS - start)) >"$out/figures.json" 2>"$work/figures.err" \
    || echo '{"error": "figures.json could not be assembled; see figures.err in logs.tgz"}' >"$out/figures.json"
  tar -C "$work" -czf "$out/logs.tgz" . 2>/dev/null || true
  rm -rf "$work"
}

# The one-line meaning of a step's exit code
verdict() {
  case "$1" in 0) echo ok ;; 124|137) echo TIMEOUT ;; skip*) echo SKIPPED ;; *) echo "FAILED($1)" ;; esac
}

run() {
  out="${OUT:-$root/bench/gpu-check-out}"
  mkdir -p "$out"
  [ -f "$carry/java.tar.xz" ] && [ -f "$carry/lfm.jar" ] || die "bench/runtime/ not prepared (run: bench/gpu-check.sh prepare)"
  # globals: the exit trap (finish_run) needs them after run's locals are gone
  start=$SECONDS
  soft="${LFM_GPU_CHECK_SOFT:-480}" hard="${LFM_GPU_CHECK_HARD:-570}"
  gpu="${LFM_GPU_CHECK_BACKEND:-cuda}"
  scale="${LFM_GPU_CHECK_SCALE:-$([ "$gpu" = opencl ] && echo small || echo full)}"
  # logs and raw results live here; only summary.txt, figures.json and logs.tgz go to $out
  work="$(mktemp -d "${TMPDIR:-/tmp}/lfm-gpu-check.XXXXXX")"
  summary="$out/summary.txt" steps="$work/steps.tsv"
  rm -f "$out/summary.txt" "$out/figures.json" "$out/logs.tgz"
  : >"$summary"
  : >"$steps"
  # logs.tgz and figures.json are written however the run ends
  trap 'finish_run' EXIT
  trap 'exit 143' TERM INT
  local jre="${TMPDIR:-/tmp}/lfm-gpu-check-jre"
  if [ ! -x "$jre/bin/java" ]; then
    rm -rf "$jre" && mkdir -p "$jre"
    if command -v xz >/dev/null; then
      xz -dc "$carry/java.tar.xz" | tar -C "$jre" --strip-components=1 -xf -
    else
      python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' \
        "$carry/java.tar.xz" | tar -C "$jre" --strip-components=1 -xf -
    fi
  fi
  # an explicit heap (the machine's memory can grow after boot, so a RAM percentage can be small):
  # 64g, or half the memory when there is less than 128 GiB
  local mem_gib xmx
  mem_gib=$(( $(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo 2>/dev/null || echo 0) / 1048576 ))
  xmx="${LFM_GPU_CHECK_XMX:-$([ "$mem_gib" -ge 128 ] || [ "$mem_gib" = 0 ] && echo 64g || echo "$((mem_gib / 2))g")}"
  # signal chaining, so an LLVM-based OpenCL driver cannot take the JVM's SIGSEGV handler
  if [ -f "$jre/lib/libjsig.so" ]; then export LD_PRELOAD="$jre/lib/libjsig.so"; fi
  local java=("$jre/bin/java" "-Xmx$xmx" --add-modules jdk.incubator.vector -Djava.awt.headless=true)
  cap_of() { # cap_of NAME DEFAULT: the step's cap, after LFM_GPU_CHECK_CAPS overrides
    local c
    c="$(tr ',' '\n' <<<"${LFM_GPU_CHECK_CAPS:-}" | sed -n "s/^$1=\([0-9]*\)$/\1/p" | tail -n 1)"
    echo "${c:-$2}"
  }
  wanted() { [ -z "${LFM_GPU_CHECK_STEPS:-}" ] || [[ ",$LFM_GPU_CHECK_STEPS," == *",$1,"* ]]; }
  # step NAME CAP CMD...: runs CMD (stdout+stderr to NAME.log) for at most CAP seconds, cut to end by
  # the hard deadline; not started past the soft deadline; one line in summary.txt and steps.tsv
  step() {
    local name="$1" cap; cap="$(cap_of "$1" "$2")"; shift 2
    wanted "$name" || return 0
    local t0=$((SECONDS - start)) rc=0
    local left=$((hard - t0))
    if [ "$t0" -ge "$soft" ] || [ "$left" -lt 15 ]; then
      printf '%-16s %-10s %4ds  (not started: %ds into the run, soft deadline %ds)\n' "$name" SKIPPED 0 "$t0" "$soft" | tee -a "$summary"
      printf '%s\tskip-deadline\t0\t%s\t%s\n' "$name" "$cap" "$*" >>"$steps"
      return 0
    fi
    [ "$cap" -le "$left" ] || cap=$left
    timeout -k 5 "$cap" "$@" >"$work/$name.log" 2>&1 </dev/null || rc=$?
    local took=$((SECONDS - start - t0))
    local show="$*"
    show="${show//"${java[*]}" -jar "$carry"\//}"
    show="${show//"$work"\//}"
    printf '%-16s %-10s %4ds  (cap %ds) %s\n' "$name" "$(verdict "$rc")" "$took" "$cap" "$show" | tee -a "$summary"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$took" "$cap" "$*" >>"$steps"
    if [ "$rc" != 0 ]; then grep -v -e 'incubator modules' -e 'signal chaining was deprecated' "$work/$name.log" | tail -n 5 | sed 's/^/    /' | tee -a "$summary"; fi
    return 0
  }
  skip() { # skip NAME WHY
    wanted "$1" || return 0
    printf '%-16s %-10s %4ds  (%s)\n' "$1" SKIPPED 0 "$2" | tee -a "$summary"
    printf '%s\tskip\t0\t0\t%s\n' "$1" "$2" >>"$steps"
  }
  lfm() { "${java[@]}" -jar "$carry/lfm.jar" "$@"; }

  {
    echo "lfm GPU check $(date -u +%FT%TZ) on $(hostname); backend $gpu, scale $scale, heap $xmx"
    echo "deadlines: no step starts after ${soft}s, all end by ${hard}s"
    "$jre/bin/java" -version 2>&1 | sed -n 1p
    if command -v nvidia-smi >/dev/null; then
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || true
    fi
  } >>"$summary"
  step devices 90 "${java[@]}" -jar "$carry/lfm.jar" devices
  grep -v -e 'incubator modules' -e 'signal chaining was deprecated' "$work/devices.log" | sed 's/^/  /' >>"$summary" || true
  local why
  why="$(sed -n "s/^$gpu: not available: //p" "$work/devices.log" | sed -n 1p)"
  if ! grep -q "^$gpu: [0-9]" "$work/devices.log"; then
    echo "no CUDA device: ${why:-lfm devices did not list $gpu (see devices.log in logs.tgz)}" | tee -a "$summary" >&2
    exit 2
  fi
  cat "$summary"

  # sizes: full on the GPU; small for the dry run on a CPU OpenCL device
  local jmh_size=20000000 torch_size=20000000 big=(--synthetic netflix --epochs 3 --warmup 1) dflt=()
  if [ "$scale" = small ]; then
    jmh_size=300000 torch_size=300000 big=(--synthetic default --epochs 2 --warmup 1) dflt=(--synthetic small)
  fi

  # 1. correctness first: every kernel against the reference, kernels synchronized and named on a fault
  step "verify-$gpu" 180 env LFM_CUDA_SYNC=1 "${java[@]}" -jar "$carry/lfm.jar" verify --backend "$gpu"
  # 2. the headline figure: SGD epoch updates/s at k = 64, 128, fp32 and fp16 (JMH, short iterations)
  if [ -f "$carry/lfm-bench.jar" ]; then
    step jmh-sgd 200 "${java[@]}" -jar "$carry/lfm-bench.jar" SgdEpochBenchmark -p "backend=$gpu" -p k=64,128 \
      -p storage=float,half -p "size=$jmh_size" -f 1 -wi 1 -w 2s -i 3 -r 2s -foe false \
      -rf json -rff "$work/jmh-sgd.json"
  else
    skip jmh-sgd "no lfm-bench.jar carried"
  fi
  # 3. the peer on the same card
  local py="${LFM_GPU_CHECK_PYTHON:-python3}"
  if "$py" -c 'import torch' >/dev/null 2>&1; then
    local tdev=cuda
    "$py" -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1 || tdev=cpu
    local torch_py="$carry/torch_sgd.py"
    [ -f "$torch_py" ] || torch_py="$root/bench/torch_sgd.py"
    step torch-sgd 150 sh -c "PYTHONUNBUFFERED=1 '$py' '$torch_py' --size $torch_size --k 64,128 --device $tdev >'$work/torch-sgd.json'"
  else
    skip torch-sgd "$py cannot import torch"
  fi
  # 4. whole training runs: CPU against the GPU, fp32 and fp16 rows
  step compare-default 120 "${java[@]}" -jar "$carry/lfm.jar" compare --backends "cpu,$gpu" "${dflt[@]}" \
    --factor-storage half --report "$work/compare-default.json"
  step compare-netflix 240 "${java[@]}" -jar "$carry/lfm.jar" compare --backends "cpu,$gpu" "${big[@]}" \
    --factor-storage half --report "$work/compare-netflix.json"
  # 5. serving: top-10 for every user ranked on the CPU and on the GPU must be the same file, byte for byte
  #    (topn.cl follows the CPU's operation order); the model and the lists stay outside logs.tgz
  local srv srvdir
  srvdir="$(mktemp -d "${TMPDIR:-/tmp}/lfm-gpu-serve.XXXXXX")"
  srv="$(printf '%q ' "${java[@]}" -jar "$carry/lfm.jar")"
  step serve 150 bash -c "set -e; cd '$srvdir'
    $srv train ${dflt[*]:---synthetic default} -k 32 --epochs 3 --optimizer sgd --backend cpu -q --save m.lfm
    $srv recommend --model m.lfm --all-users --top 10 --out cpu.csv --backend cpu
    $srv recommend --model m.lfm --all-users --top 10 --out gpu.csv --backend $gpu
    cmp cpu.csv gpu.csv && echo 'top-10 lists of every user: cpu and $gpu identical'"
  rm -rf "$srvdir"
  # 6. OpenCL on the same GPU, when its driver offers one
  if [ "$gpu" != opencl ] && grep -q '^  opencl:[0-9]* .*(GPU,' "$work/devices.log"; then
    step verify-opencl 120 "${java[@]}" -jar "$carry/lfm.jar" verify --backend opencl
  elif [ "$gpu" != opencl ]; then
    skip verify-opencl "no OpenCL GPU device listed"
  fi

  # everything a reader needs, in summary.txt
  {
    echo
    echo "== verify-$gpu"
    grep -v -e 'incubator modules' -e 'signal chaining was deprecated' "$work/verify-$gpu.log" 2>/dev/null | sed 's/^/  /' || true
    echo
    echo "== SGD epoch (JMH SgdEpochBenchmark, size $jmh_size, 90% trained; updates/s = train ratings / epoch)"
    jmh_table "$work/jmh-sgd.json" "$jmh_size" || echo "  (no JMH results)"
    echo
    echo "== PyTorch peer (bench/torch_sgd.py, same recipe, size $torch_size)"
    grep '^torch ' "$work/torch-sgd.log" 2>/dev/null | sed 's/^/  /' || echo "  (no PyTorch results)"
    for c in compare-default compare-netflix serve; do
      echo
      echo "== $c"
      grep -v -e 'incubator modules' -e 'signal chaining was deprecated' "$work/$c.log" 2>/dev/null | sed 's/^/  /' | tail -n 30 || true
    done
    echo
    echo "run: $((SECONDS - start))s in all; files: summary.txt figures.json logs.tgz (logs, raw JSON)"
  } >>"$summary"
  sed -n '/^== SGD epoch/,$p' "$summary"
  local failed=0
  if grep -qE '^[a-z0-9-]+ +(FAILED|TIMEOUT)' "$summary"; then failed=1; fi
  finish_run
  return "$failed"
}

# jmh_table FILE SIZE: one line per JMH result with updates/s
jmh_table() {
  [ -s "$1" ] || return 1
  python3 - "$1" "$2" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
train = 0.9 * int(sys.argv[2])
for r in rows:
    p = r.get("params", {})
    ms = r["primaryMetric"]["score"]
    print(f"  {p.get('backend')} k={p.get('k'):>4} {p.get('storage', 'float'):5s} {ms:10.3f} ms/epoch "
          f"{train / (ms / 1000) / 1e6:10.1f} M updates/s")
PY
}

# figures WORKDIR BACKEND SCALE SECONDS: one JSON of every figure (steps, verify rows, JMH, PyTorch, compare)
figures() {
  python3 - "$@" <<'PY'
import glob, json, os, re, sys
work, backend, scale, secs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def load(name):
    try:
        with open(os.path.join(work, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
out = {"backend": backend, "scale": scale, "seconds": secs, "steps": []}
for line in open(os.path.join(work, "steps.tsv")):
    name, rc, took, cap, cmd = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
    out["steps"].append({"name": name, "result": rc, "seconds": int(took or 0), "cap": int(cap or 0), "command": cmd})
dev = os.path.join(work, "devices.log")
out["devices"] = [l.rstrip() for l in open(dev)] if os.path.exists(dev) else []
rows = []
for log in glob.glob(os.path.join(work, "verify-*.log")):
    for l in open(log):
        m = re.match(r"\s+(\S.*?)\s+([0-9.eE+-]+|NaN|Infinity)\s+([0-9.eE+-]+)\s+(\w+)\s*$", l)
        if m:
            rows.append({"log": os.path.basename(log), "check": m.group(1), "max_error": float(m.group(2)),
                         "tolerance": float(m.group(3)), "result": m.group(4)})
out["verify"] = rows
jmh = load("jmh-sgd.json") or []
out["jmh_sgd"] = [{"params": r.get("params", {}), "ms_per_epoch": r["primaryMetric"]["score"],
                   "error": r["primaryMetric"].get("scoreError")} for r in jmh]
out["torch"] = load("torch-sgd.json")
out["compare"] = {c: load(c + ".json") for c in ("compare-default", "compare-netflix")}
json.dump(out, sys.stdout, indent=1)
PY
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bench/gpu-check.sh prepare|run" >&2; exit 64 ;;
esac
