package dev.lfm.compute.cuda;

import static jcuda.driver.JCudaDriver.*;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.gpu.Accelerator;
import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.compute.gpu.SgdKernels;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;

/**
 * The CUDA backend ({@link GpuBackend} over {@link CudaAccelerator}). The probe runs once per JVM:
 * it loads JCuda's driver binding (a missing {@code libcuda.so.1} is a {@link LinkageError}, after
 * which that class stays unusable, so it is caught once here), calls {@code cuInit}, lists the
 * devices, then loads the kernels on device 0 so that a driver that rejects the packaged PTX is
 * found, and the PTX path taken (packaged, NVRTC, nvcc) is known before anything runs. Any failure
 * becomes the one-line {@link #unavailableReason()} and {@code auto} moves on to OpenCL.
 * {@link BackendOptions#device()} -1 takes device 0.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final Object LOCK = new Object();
    private static boolean probed;
    private static String reason;
    private static List<String> devices = List.of();
    private static String ptxNote = "";
    private static String cublasNote = "";
    private static PtxManifest manifest;

    @Override
    public String name() {
        return "cuda";
    }

    /** The PTX manifest of this jar (read once). */
    static PtxManifest manifest() {
        synchronized (LOCK) {
            if (manifest == null) {
                manifest = PtxManifest.load();
            }
            return manifest;
        }
    }

    /**
     * Probes once. The outcome (a reason, or the devices and notes) is assembled in locals and
     * published together with {@code probed = true} at the end, so no caller ever sees "probed"
     * without a result. Everything thrown (except a {@link VirtualMachineError}, which is
     * rethrown and leaves the probe to be retried) becomes the one-line reason.
     */
    private static void probe() {
        synchronized (LOCK) {
            if (probed) {
                return;
            }
            Outcome o;
            try {
                o = probeDevices();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (LinkageError e) {
                o = Outcome.unavailable(CudaProbe.linkageReason(e));
            } catch (Throwable e) {
                o = Outcome.unavailable(CudaProbe.throwableReason(e));
            }
            reason = o.reason();
            devices = o.devices();
            ptxNote = o.ptxNote();
            cublasNote = o.cublasNote();
            probed = true;
        }
    }

    /** What the probe found: a reason (unavailable) or devices with their notes. */
    record Outcome(String reason, List<String> devices, String ptxNote, String cublasNote) {
        static Outcome unavailable(String reason) {
            return new Outcome(reason == null || reason.isBlank() ? "CUDA probe failed" : reason, List.of(), "", "");
        }
    }

    private static Outcome probeDevices() {
        setExceptionsEnabled(false);
        int r = cuInit(0);
        if (r != CUresult.CUDA_SUCCESS) {
            return Outcome.unavailable(CudaProbe.initReason(r));
        }
        int[] n = new int[1];
        r = cuDeviceGetCount(n);
        if (r != CUresult.CUDA_SUCCESS) {
            return Outcome.unavailable("cuDeviceGetCount failed: " + CUresult.stringFor(r));
        }
        int count = n[0];
        if (count == 0) {
            return Outcome.unavailable("no CUDA device (the NVIDIA driver is loaded but sees no GPU)");
        }
        int driver = CudaAccelerator.driverVersion();
        List<String> found = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            CUdevice dev = new CUdevice();
            CudaCallException.check(cuDeviceGet(dev, d), "cuDeviceGet");
            found.add("cuda:" + d + " " + CudaAccelerator.describe(CudaAccelerator.deviceName(dev),
                    CudaAccelerator.attribute(dev, CudaAccelerator.MULTIPROCESSORS),
                    CudaAccelerator.totalMemory(dev),
                    CudaAccelerator.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    CudaAccelerator.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                    driver) + (d == 0 ? " [default]" : ""));
        }
        String ptx;
        try (CudaAccelerator acc = new CudaAccelerator(0)) {
            Accelerator.Program program = acc.build(GpuBackend.FILES);
            ptx = acc.ptxNote() + "; occupancy: " + occupancy(acc, program);
        }
        String blas = CudaBlas.unavailableReason();
        String cublas = blas == null ? "cuBLAS: available (top-N scoring by SGEMV)"
                : "cuBLAS not available: " + blas + " (own kernels only)";
        return new Outcome(null, List.copyOf(found), ptx, cublas);
    }

    /** "sgd_epoch N, sgd_epoch_half M blocks of 128 per multiprocessor" (what sizes the SGD grid). */
    private static String occupancy(CudaAccelerator acc, Accelerator.Program program) {
        try {
            return occupancyOrThrow(acc, program);
        } catch (RuntimeException e) {
            return "unknown (" + CudaProbe.firstLine(e.getMessage()) + ")";
        }
    }

    private static String occupancyOrThrow(CudaAccelerator acc, Accelerator.Program program) {
        StringBuilder b = new StringBuilder();
        for (String k : List.of(SgdKernels.SGD_EPOCH, SgdKernels.SGD_EPOCH_HALF)) {
            b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(acc.groupsPerUnit(acc.kernel(program, k), SgdKernels.GROUP));
        }
        return b + " blocks of " + SgdKernels.GROUP + " per multiprocessor";
    }

    @Override
    public String unavailableReason() {
        probe();
        return reason;
    }

    /**
     * One line per device (callers count devices by lines): name, multiprocessors, memory, compute
     * capability, driver version, then the PTX path taken and whether cuBLAS is available.
     */
    @Override
    public List<String> describeDevices() {
        probe();
        if (reason != null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(devices.size());
        for (String d : devices) {
            out.add(d + "; " + ptxNote + "; " + cublasNote);
        }
        return out;
    }

    /** Number of CUDA devices (0 when unavailable). */
    public int deviceCount() {
        probe();
        return reason != null ? 0 : devices.size();
    }

    @Override
    public Backend open(BackendOptions options) {
        probe();
        if (reason != null) {
            throw new BackendUnavailableException("cuda backend not available: " + reason);
        }
        int index = Math.max(0, options.device());
        if (index >= devices.size()) {
            throw new BackendUnavailableException("cuda device " + index + " does not exist (found " + devices.size()
                    + "; see lfm devices)");
        }
        CudaAccelerator acc;
        try {
            acc = new CudaAccelerator(index);
        } catch (CudaCallException e) {
            throw new BackendUnavailableException("cuda device " + index + " cannot be opened: " + e.getMessage(), e);
        }
        return new GpuBackend(acc, options.halfFactors());
    }
}
