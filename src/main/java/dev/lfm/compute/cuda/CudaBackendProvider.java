package dev.lfm.compute.cuda;

import static jcuda.driver.JCudaDriver.*;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.gpu.GpuBackend;
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

    private static void probe() {
        synchronized (LOCK) {
            if (probed) {
                return;
            }
            probed = true;
            int driver;
            int count;
            try {
                setExceptionsEnabled(false);
                int r = cuInit(0);
                if (r != CUresult.CUDA_SUCCESS) {
                    reason = CudaProbe.initReason(r);
                    return;
                }
                int[] n = new int[1];
                r = cuDeviceGetCount(n);
                if (r != CUresult.CUDA_SUCCESS) {
                    reason = "cuDeviceGetCount failed: " + CUresult.stringFor(r);
                    return;
                }
                count = n[0];
                if (count == 0) {
                    reason = "no CUDA device (the NVIDIA driver is loaded but sees no GPU)";
                    return;
                }
                driver = CudaAccelerator.driverVersion();
            } catch (LinkageError e) {
                reason = CudaProbe.linkageReason(e);
                return;
            }
            try {
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
                try (CudaAccelerator acc = new CudaAccelerator(0)) {
                    acc.build(GpuBackend.FILES);
                    ptxNote = acc.ptxNote();
                }
                String blas = CudaBlas.unavailableReason();
                cublasNote = blas == null ? "cuBLAS: available (top-N scoring by SGEMV)"
                        : "cuBLAS not available: " + blas + " (own kernels only)";
                devices = List.copyOf(found);
            } catch (BackendUnavailableException e) {
                reason = e.getMessage();
            } catch (CudaCallException | IllegalStateException e) {
                reason = CudaProbe.firstLine(e.getMessage());
            }
        }
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
