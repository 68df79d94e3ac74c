#!/usr/bin/env bash
# GPU check in two steps (see bench/README.md, "GPU check").
#
#   bench/gpu-check.sh prepare   here (no GPU needed): builds target/lfm.jar with PTX, a jlink Java
#                                runtime, and packs both into bench/runtime/ (git-ignored, <= 64 MiB)
#   bench/gpu-check.sh run       on the GPU machine, with only what was carried (bench/runtime/):
#                                devices, verify (cuda; opencl if an NVIDIA OpenCL GPU answers),
#                                compare CPU vs CUDA (default problem, --synthetic netflix) when the
#                                jar has `compare`, JMH GPU benchmarks when lfm-bench.jar was carried.
#                                Logs and summary.txt go to $OUT (else bench/gpu-check-out/).
#
# run fails with one line "no CUDA device: <reason>" (exit 2) when CUDA is unavailable.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
carry="$root/bench/runtime"
modules="java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.desktop,java.sql,jdk.incubator.vector"
limit=$((64 * 1024 * 1024))

die() { echo "gpu-check: $*" >&2; exit 1; }

prepare() {
  command -v mvn >/dev/null || die "mvn not on PATH"
  command -v jlink >/dev/null || die "jlink not on PATH (a JDK 17 is needed)"
  command -v nvcc >/dev/null || echo "gpu-check: warning: nvcc not on PATH, the jar gets no PTX (NVRTC at run time)" >&2
  echo "gpu-check: building target/lfm.jar"
  (cd "$root" && mvn -q -B -DskipTests package)
  unzip -l "$root/target/lfm.jar" | grep -q ' ptx/index.txt$' && echo "gpu-check: PTX packaged: $(unzip -l "$root/target/lfm.jar" | grep -c '\.ptx$') files"
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
  if [ -f "$root/target/lfm-bench.jar" ]; then cp "$root/target/lfm-bench.jar" "$carry/"; fi
  "$image/bin/java" --add-modules jdk.incubator.vector -Djava.awt.headless=true -jar "$carry/lfm.jar" devices \
    2> >(grep -v 'incubator modules' >&2) | sed 's/^/gpu-check: here: /'
  local total tree
  total=$(du -cb "$carry"/* | tail -n 1 | cut -f1)
  tree=$(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)
  ls -la "$carry"
  echo "gpu-check: carried bench/runtime = $((total / 1048576)) MiB, working tree = $((tree / 1048576)) MiB, limit 64 MiB"
  [ $((total + tree)) -le "$limit" ] || die "bench/runtime plus the working tree exceed 64 MiB"
  echo "gpu-check: prepared; on the GPU machine run: bench/gpu-check.sh run   (carry: bench/runtime)"
}

run() {
  local out="${OUT:-$root/bench/gpu-check-out}"
  mkdir -p "$out"
  [ -f "$carry/java.tar.xz" ] && [ -f "$carry/lfm.jar" ] || die "bench/runtime/ not prepared (run: bench/gpu-check.sh prepare)"
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
  local summary="$out/summary.txt"
  # signal chaining, so an LLVM-based OpenCL driver cannot take the JVM's SIGSEGV handler
  if [ -f "$jre/lib/libjsig.so" ]; then export LD_PRELOAD="$jre/lib/libjsig.so"; fi
  lfm() { "$jre/bin/java" -XX:MaxRAMPercentage=75 --add-modules jdk.incubator.vector -Djava.awt.headless=true \
    -jar "$carry/lfm.jar" "$@" 2> >(grep -v 'incubator modules' >&2); }
  # step NAME SECONDS ARGS...: runs lfm ARGS with a time limit, log in $out/NAME.log, one summary line
  step() {
    local name="$1" secs="$2"; shift 2
    local t0=$SECONDS rc=0
    timeout "$secs" "$jre/bin/java" -XX:MaxRAMPercentage=75 --add-modules jdk.incubator.vector \
      -Djava.awt.headless=true -jar "$carry/lfm.jar" "$@" >"$out/$name.log" 2>&1 || rc=$?
    local verdict=ok
    if [ "$rc" = 124 ]; then verdict="TIMEOUT"; elif [ "$rc" != 0 ]; then verdict="FAILED($rc)"; fi
    printf '%-22s %-10s %4ds  lfm %s\n' "$name" "$verdict" $((SECONDS - t0)) "$*" | tee -a "$summary"
    [ "$rc" = 0 ] || tail -n 5 "$out/$name.log" | sed 's/^/    /' | tee -a "$summary"
    return 0
  }
  : >"$summary"
  {
    echo "lfm GPU check $(date -u +%FT%TZ) on $(hostname)"
    "$jre/bin/java" -version 2>&1 | sed -n 1p
    if command -v nvidia-smi >/dev/null; then
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    fi
    lfm devices 2>&1 | tee "$out/devices.log" | sed 's/^/  /'
  } >>"$summary"
  # LFM_GPU_CHECK_BACKEND=opencl: a dry run of this script on another backend (no GPU needed)
  local gpu="${LFM_GPU_CHECK_BACKEND:-cuda}"
  local why
  why="$(sed -n "s/^$gpu: not available: //p" "$out/devices.log" | sed -n 1p)"
  if ! grep -q "^$gpu: [0-9]" "$out/devices.log"; then
    echo "no CUDA device: ${why:-lfm devices did not list $gpu (see $out/devices.log)}" | tee -a "$summary" >&2
    exit 2
  fi
  cat "$summary"
  step "verify-$gpu" 600 verify --backend "$gpu"
  if [ "$gpu" != opencl ] && grep -q '^  opencl:[0-9]* .*(GPU,' "$out/devices.log"; then
    step verify-opencl 600 verify --backend opencl
  elif [ "$gpu" != opencl ]; then
    echo "verify-opencl          skipped    (no OpenCL GPU device listed)" | tee -a "$summary"
  fi
  lfm compare --help >"$out/compare-help.log" 2>&1 || true
  if grep -q 'Usage: lfm compare' "$out/compare-help.log"; then
    local be=() syn=() ep=()
    grep -q -- '--backends' "$out/compare-help.log" && be=(--backends "cpu,$gpu")
    grep -q -- '--report' "$out/compare-help.log" && rep=1 || rep=0
    step compare-default 600 compare "${be[@]}" $([ "$rep" = 1 ] && echo "--report $out/compare-default.json")
    if grep -q -- '--synthetic' "$out/compare-help.log"; then
      grep -q -- '--epochs' "$out/compare-help.log" && ep=(--epochs 3 --warmup 1)
      step compare-netflix 600 compare "${be[@]}" --synthetic netflix "${ep[@]}" \
        $([ "$rep" = 1 ] && echo "--report $out/compare-netflix.json")
    else
      echo "compare-netflix        skipped    (compare has no --synthetic)" | tee -a "$summary"
    fi
  else
    echo "compare                skipped    (this jar has no 'lfm compare')" | tee -a "$summary"
  fi
  if [ -f "$carry/lfm-bench.jar" ]; then
    local t0=$SECONDS rc=0
    timeout 600 "$jre/bin/java" --add-modules jdk.incubator.vector -jar "$carry/lfm-bench.jar" '.*(Gpu|Cuda|GPU).*' \
      -rf json -rff "$out/jmh-gpu.json" >"$out/jmh-gpu.log" 2>&1 || rc=$?
    printf '%-22s %-10s %4ds  JMH .*(Gpu|Cuda).*\n' jmh-gpu "$([ "$rc" = 0 ] && echo ok || echo "FAILED($rc)")" \
      $((SECONDS - t0)) | tee -a "$summary"
  else
    echo "jmh-gpu                skipped    (no lfm-bench.jar carried)" | tee -a "$summary"
  fi
  echo "logs: $out" | tee -a "$summary"
  ! grep -qE '^[a-z-]+ +(FAILED|TIMEOUT)' "$summary"
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bench/gpu-check.sh prepare|run" >&2; exit 64 ;;
esac
