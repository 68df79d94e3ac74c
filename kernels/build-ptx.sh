#!/usr/bin/env bash
# Compiles every kernels/*.cl (with common.h prepended) to PTX for a virtual architecture old
# enough to JIT on any recent NVIDIA GPU, and assembles each PTX for sm_90 with ptxas -v to keep
# the register/spill report. Called by Maven (generate-resources) as
#   kernels/build-ptx.sh <target dir>
# Outputs:
#   <target>/generated-resources/ptx/ptx/<name>.ptx   packed in the jar as /ptx/<name>.ptx
#   <target>/generated-resources/ptx/ptx/index.txt    manifest: nvcc version, arch, per-file sha256
#   <target>/ptxas-report.txt                         ptxas -v for sm_90 (registers, spills, smem)
# Without nvcc on PATH it writes nothing and exits 0 (the CUDA backend then compiles at run time
# with NVRTC or reports that no PTX was packaged). A kernel that fails to compile fails the build.
# Environment: LFM_PTX_ARCH (default compute_75), LFM_PTXAS_SM (default sm_90), LFM_SKIP_PTX=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="${1:-$here/../target}"
out="$target/generated-resources/ptx/ptx"
report="$target/ptxas-report.txt"
arch="${LFM_PTX_ARCH:-compute_75}"
sm="${LFM_PTXAS_SM:-sm_90}"

rm -rf "$out"
if [ "${LFM_SKIP_PTX:-0}" = 1 ]; then
  echo "build-ptx: LFM_SKIP_PTX=1, no PTX packaged"
  exit 0
fi
if ! command -v nvcc >/dev/null 2>&1; then
  echo "build-ptx: nvcc not on PATH, no PTX packaged (the CUDA backend will compile kernels at run time with NVRTC if it can)"
  exit 0
fi
mkdir -p "$out"
nvcc_version="$(nvcc --version | sed -n 's/.*release \([0-9][0-9.]*\).*/\1/p' | sed -n 1p)"
ptxas="$(dirname "$(command -v nvcc)")/ptxas"
[ -x "$ptxas" ] || ptxas=""

sha() { sha256sum | cut -d' ' -f1; }
{
  echo "# lfm PTX manifest: file sha256(common.h + NL + file) ptx-isa"
  echo "nvcc $nvcc_version"
  echo "arch $arch"
} >"$out/index.txt.tmp"
: >"$report.tmp"
shopt -s nullglob
files=("$here"/*.cl)
[ ${#files[@]} -gt 0 ] || { echo "build-ptx: no kernels/*.cl found" >&2; exit 1; }
status=0
for src in "${files[@]}"; do
  name="$(basename "$src" .cl)"
  if ! nvcc -ptx -x cu -include "$here/common.h" -arch="$arch" -o "$out/$name.ptx" "$src"; then
    echo "build-ptx: nvcc failed on kernels/$name.cl (compiled as CUDA with common.h)" >&2
    status=1
    continue
  fi
  isa="$(sed -n 's/^\.version \([0-9.]*\).*/\1/p' "$out/$name.ptx" | sed -n 1p)"
  hash="$( { cat "$here/common.h"; printf '\n'; cat "$src"; } | sha)"
  echo "$name.cl $hash $isa" >>"$out/index.txt.tmp"
  echo "== $name.cl ($sm)" >>"$report.tmp"
  if [ -n "$ptxas" ]; then
    "$ptxas" -arch="$sm" -v -o /dev/null "$out/$name.ptx" >>"$report.tmp" 2>&1 || { echo "build-ptx: ptxas failed on $name.ptx" >&2; status=1; }
  else
    nvcc -cubin -x cu -include "$here/common.h" -arch="$sm" -Xptxas -v -o /dev/null "$src" >>"$report.tmp" 2>&1 \
      || { echo "build-ptx: nvcc -cubin failed on $name.cl" >&2; status=1; }
  fi
done
if [ "$status" != 0 ]; then
  rm -rf "$out" "$report.tmp"
  exit "$status"
fi
mv "$out/index.txt.tmp" "$out/index.txt"
mv "$report.tmp" "$report"
spills="$(grep -c 'bytes spill stores' "$report" || true)"
nonzero="$(grep 'bytes spill stores' "$report" | grep -vc ' 0 bytes spill stores, 0 bytes spill loads' || true)"
echo "build-ptx: ${#files[@]} kernel files -> PTX ($arch, nvcc $nvcc_version); ptxas $sm report in $report ($nonzero of $spills functions spill)"
