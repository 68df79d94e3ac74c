/*
 * Factor storage conversions for half-precision SGD epochs (GpuBackend with half factors):
 *   float_to_half:  dst_j ← fp16(src_j), round to nearest even   (j < n)
 *   half_to_float:  dst_j ← float(src_j), exact                  (j < n)
 * Geometry: one work-item per element, any local size.
 */

KERNEL void float_to_half(long n, const GLOBAL float *src, GLOBAL half_t *dst) {
    const long j = global_id();
    if (j < n) {
        store_half(dst, j, src[j]);
    }
}

KERNEL void half_to_float(long n, const GLOBAL half_t *src, GLOBAL float *dst) {
    const long j = global_id();
    if (j < n) {
        dst[j] = load_half(src, j);
    }
}
