package dev.lfm.compute.opencl;

import static org.jocl.CL.*;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendProvider;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.gpu.GpuBackend;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL backend ({@link GpuBackend} over {@link OpenClAccelerator}). Devices are numbered
 * across all platforms in platform order; {@link BackendOptions#device()} -1 takes the first GPU,
 * else the first device (for example a PoCL CPU device). The probe runs once per JVM.
 */
public final class OpenClBackendProvider implements BackendProvider {
    private static final Object LOCK = new Object();
    private static boolean probed;
    private static String reason;
    private static List<OpenClAccelerator.DeviceRef> devices = List.of();

    @Override
    public String name() {
        return "opencl";
    }

    private static void probe() {
        synchronized (LOCK) {
            if (probed) {
                return;
            }
            probed = true;
            try {
                setExceptionsEnabled(true);
                int[] num = new int[1];
                clGetPlatformIDs(0, null, num);
                if (num[0] == 0) {
                    reason = "no OpenCL platform found";
                    return;
                }
                cl_platform_id[] platforms = new cl_platform_id[num[0]];
                clGetPlatformIDs(platforms.length, platforms, null);
                List<OpenClAccelerator.DeviceRef> found = new ArrayList<>();
                for (cl_platform_id p : platforms) {
                    int[] nd = new int[1];
                    try {
                        clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                    } catch (CLException e) {
                        if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
                            continue;
                        }
                        throw e;
                    }
                    cl_device_id[] ds = new cl_device_id[nd[0]];
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ds.length, ds, null);
                    for (cl_device_id d : ds) {
                        found.add(new OpenClAccelerator.DeviceRef(p, d));
                    }
                }
                if (found.isEmpty()) {
                    reason = "OpenCL platforms found but no devices";
                    return;
                }
                devices = List.copyOf(found);
            } catch (CLException e) {
                reason = e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR
                        ? "no OpenCL platform found (install an ICD, e.g. pocl-opencl-icd, or a GPU driver)"
                        : "OpenCL probe failed: " + stringFor_errorCode(e.getStatus());
            } catch (LinkageError e) {
                reason = "OpenCL library not loadable (libOpenCL.so.1 missing?): " + oneLine(e.getMessage());
            }
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String unavailableReason() {
        probe();
        return reason;
    }

    /** Number of OpenCL devices found (0 when unavailable). */
    public int deviceCount() {
        probe();
        return devices.size();
    }

    @Override
    public List<String> describeDevices() {
        probe();
        List<String> out = new ArrayList<>();
        if (reason != null) {
            return out;
        }
        int preferred = preferredIndex();
        for (int d = 0; d < devices.size(); d++) {
            OpenClAccelerator.DeviceRef ref = devices.get(d);
            String line = "opencl:" + d + " " + OpenClAccelerator.describe(ref.platform(), ref.device())
                    + ", " + OpenClAccelerator.deviceString(ref.device(), CL_DEVICE_VERSION)
                    + (d == preferred ? " [default]" : "");
            out.add(line);
        }
        return out;
    }

    /** Auto takes OpenCL only for a GPU (or other accelerator); a CPU device is slower than the cpu backend. */
    @Override
    public String autoSkipReason() {
        probe();
        if (reason != null) {
            return null;
        }
        for (OpenClAccelerator.DeviceRef ref : devices) {
            if (OpenClAccelerator.isGpu(ref.device())) {
                return null;
            }
        }
        return "only CPU OpenCL devices (use --backend opencl to run on them)";
    }

    private static int preferredIndex() {
        for (int d = 0; d < devices.size(); d++) {
            if (OpenClAccelerator.isGpu(devices.get(d).device())) {
                return d;
            }
        }
        return 0;
    }

    @Override
    public Backend open(BackendOptions options) {
        probe();
        if (reason != null) {
            throw new BackendUnavailableException("opencl backend not available: " + reason);
        }
        int index = options.device() < 0 ? preferredIndex() : options.device();
        if (index >= devices.size()) {
            throw new BackendUnavailableException("opencl device " + index + " does not exist (found "
                    + devices.size() + "; see lfm devices)");
        }
        OpenClAccelerator acc;
        try {
            acc = new OpenClAccelerator(devices.get(index));
        } catch (CLException e) {
            throw new BackendUnavailableException("opencl device " + index + " cannot be opened: "
                    + stringFor_errorCode(e.getStatus()), e);
        }
        warnWithoutSignalChaining();
        return new GpuBackend(acc, options.halfFactors());
    }

    private static boolean warned;

    /**
     * OpenCL drivers built on LLVM (PoCL, and others) replace the JVM's SIGSEGV handler when they
     * compile a kernel, and the JVM needs that signal for implicit null checks: without signal
     * chaining (libjsig, which bin/lfm and the test build preload) the process can die later with
     * "Segmentation fault". Say so once.
     */
    private static synchronized void warnWithoutSignalChaining() {
        String preload = System.getenv("LD_PRELOAD");
        if (!warned && (preload == null || !preload.contains("libjsig"))) {
            warned = true;
            System.err.println("note: OpenCL without JVM signal chaining; if the process dies with 'Segmentation fault', "
                    + "run through bin/lfm or set LD_PRELOAD=" + System.getProperty("java.home") + "/lib/libjsig.so");
        }
    }
}
