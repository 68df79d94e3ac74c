/**
 * Host orchestration shared by CUDA and OpenCL, written once against the small Accelerator interface, one class per kernel family.
 * May import compute, objective, model and data; not cuda or opencl.
 */
package dev.lfm.compute.gpu;
