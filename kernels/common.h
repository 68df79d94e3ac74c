/*
 * common.h: the small vocabulary every kernel file is written in, mapped onto CUDA C++ and
 * OpenCL C 1.2 (the technique hashcat uses). Kernel files include nothing; the host prepends
 * this file (OpenCL: concatenated source strings; CUDA: nvcc -ptx -x cu -include common.h).
 *
 *   KERNEL          a kernel entry point (extern "C" __global__ / __kernel)
 *   GLOBAL          qualifier of a pointer into device (global) memory
 *   LOCAL           a work-group shared array declared inside a kernel (__shared__ / __local)
 *   DEVICE          a helper function callable from kernels
 *   global_id()     64-bit global index of the work-item (1-D launches only)
 *   local_id(), group_id(), local_size(), num_groups()
 *   LOCAL_PTR       qualifier of a helper's pointer parameter into local/shared memory
 *   SYNC()          work-group barrier over local memory
 *   SYNC_GLOBAL()   work-group barrier over local and global memory (a group's writes to global
 *                   memory seen by the other work-items of that group)
 *   float_bits(x), bits_float(u)   the IEEE bits of a float as uint, and back
 *   fma_f(a, b, c)  a·b + c rounded once (float), never contracted or reordered otherwise
 *   atomic_add_f    float += on global memory (CUDA atomicAdd; OpenCL 1.2 has no float atomics,
 *                   so a compare-and-swap loop on the float's bits)
 *   atomic_xchg_i, atomic_inc_i   int exchange / post-increment on global memory
 *   half_t          an IEEE binary16 storage element (CUDA: its 16 bits; OpenCL: half, pointer use only)
 *   load_half(p, j) float value of p[j];  store_half(p, j, v)  p[j] = v rounded to nearest even.
 *                   Storage only: arithmetic stays float (OpenCL vload_half/vstore_half need no
 *                   cl_khr_fp16).
 *
 * Index arithmetic that can pass 2^31 (row * k, positions) is done in `long` (64 bits in both
 * dialects on the 64-bit platforms supported). Rating counts and ids are `int`.
 */
#ifndef LFM_COMMON_H
#define LFM_COMMON_H

#ifdef __CUDACC__

typedef unsigned int uint;
#define KERNEL extern "C" __global__
#define GLOBAL
#define LOCAL __shared__
#define DEVICE static __device__ __forceinline__
#define global_id() ((long) blockIdx.x * (long) blockDim.x + (long) threadIdx.x)
#define local_id() ((int) threadIdx.x)
#define group_id() ((long) blockIdx.x)
#define local_size() ((int) blockDim.x)
#define num_groups() ((long) gridDim.x)
#define SYNC() __syncthreads()
#define SYNC_GLOBAL() __syncthreads()
#define LOCAL_PTR
#define float_bits(x) __float_as_uint(x)
#define bits_float(u) __uint_as_float(u)
#define fma_f(a, b, c) __fmaf_rn((a), (b), (c))
#define atomic_add_f(p, v) atomicAdd((p), (v))
#define atomic_xchg_i(p, v) atomicExch((p), (v))
#define atomic_inc_i(p) atomicAdd((p), 1)
/* binary16 as its 16 bits, converted by the PTX cvt instructions that cuda_fp16.h wraps: no header
 * to include, so NVRTC without the toolkit's include folder compiles it too */
typedef unsigned short half_t;
static __device__ __forceinline__ float load_half(const half_t *p, long j) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(p[j]));
    return f;
}
static __device__ __forceinline__ void store_half(half_t *p, long j, float v) {
    unsigned short h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(v));
    p[j] = h;
}

#else /* OpenCL C 1.2 */

#define KERNEL __kernel
#define GLOBAL __global
#define LOCAL __local
#define DEVICE static inline
#define global_id() ((long) get_global_id(0))
#define local_id() ((int) get_local_id(0))
#define group_id() ((long) get_group_id(0))
#define local_size() ((int) get_local_size(0))
#define num_groups() ((long) get_num_groups(0))
#define SYNC() barrier(CLK_LOCAL_MEM_FENCE)
#define SYNC_GLOBAL() barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)
#define LOCAL_PTR __local
#define float_bits(x) as_uint(x)
#define bits_float(u) as_float(u)
#define fma_f(a, b, c) fma((a), (b), (c))
#define atomic_xchg_i(p, v) atomic_xchg((p), (v))
#define atomic_inc_i(p) atomic_inc(p)
typedef half half_t;
#define load_half(p, j) vload_half((size_t) (j), (p))
#define store_half(p, j, v) vstore_half_rte((v), (size_t) (j), (p))

DEVICE void atomic_add_f(volatile __global float *p, float v) {
    uint seen = as_uint(*p);
    uint expected;
    do {
        expected = seen;
        seen = atomic_cmpxchg((volatile __global uint *) p, expected, as_uint(as_float(expected) + v));
    } while (seen != expected);
}

#endif

/* Work-group size of the reduction kernels (a power of two); the host uses the same value. */
#define REDUCE_WG 256

/* ---- model helpers shared by the kernel families ---------------------------------------- */

/* p_u · q_i over k components, rows at u*k and i*k (64-bit offsets). */
DEVICE float dot_rows(const GLOBAL float *P, const GLOBAL float *Q, int u, int i, int k) {
    const long pu = (long) u * k;
    const long qi = (long) i * k;
    float s = 0.0f;
    for (int c = 0; c < k; c++) {
        s += P[pu + c] * Q[qi + c];
    }
    return s;
}

/* r̂_ui = μ + b_u + b_i + p_u·q_i (biases only when useBias != 0). */
DEVICE float predict_one(const GLOBAL float *P, const GLOBAL float *Q, const GLOBAL float *bu,
                         const GLOBAL float *bi, float mu, int u, int i, int k, int useBias) {
    float s = mu + dot_rows(P, Q, u, i, k);
    if (useBias) {
        s += bu[u] + bi[i];
    }
    return s;
}

/* Per-rating regularization weight w = c/n: 1/n (uniform R) or 1 (weighted R); 0 when n = 0. */
DEVICE float rating_weight(int count, int weighted) {
    if (count == 0) {
        return 0.0f;
    }
    return weighted ? 1.0f : 1.0f / (float) count;
}

/* Coefficient c of a row in the objective: 1 (uniform) or n (weighted). */
DEVICE float row_coefficient(int count, int weighted) {
    /* rows without training ratings are not part of L (c = 0 in both forms) */
    return count == 0 ? 0.0f : (weighted ? (float) count : 1.0f);
}

/*
 * Σ v over the `lanes` lanes of this work-item's slot, returned to every lane of it. Every
 * work-item of the group must call it (OpenCL: barriers; CUDA: a full-warp shuffle). `red` is
 * REDUCE_WG floats of local scratch (unused on CUDA).
 */
#ifdef __CUDACC__
DEVICE float lane_sum(float v, int lanes, float *red) {
    for (int off = lanes / 2; off > 0; off >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, off, lanes);
    }
    return v;
}
#else
DEVICE float lane_sum(float v, int lanes, __local float *red) {
    const int lid = local_id();
    const int lane = lid & (lanes - 1);
    red[lid] = v;
    SYNC();
    for (int off = lanes / 2; off > 0; off >>= 1) {
        if (lane < off) {
            red[lid] += red[lid + off];
        }
        SYNC();
    }
    const float s = red[lid - lane];
    SYNC();
    return s;
}
#endif

#endif /* LFM_COMMON_H */
