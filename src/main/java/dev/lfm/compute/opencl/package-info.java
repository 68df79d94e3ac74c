/**
 * The Accelerator over JOCL and the OpenCL backend provider.
 * May import compute.gpu and compute.
 */
package dev.lfm.compute.opencl;
