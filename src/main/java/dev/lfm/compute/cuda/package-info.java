/**
 * The Accelerator over the JCuda driver API (PTX selection, NVRTC/nvcc fallback, cuBLAS) and the CUDA backend provider.
 * May import compute.gpu, compute, model and data.
 */
package dev.lfm.compute.cuda;
