package dev.lfm.compute.cuda;

import static jcuda.driver.JCudaDriver.*;

import dev.lfm.LfmException;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.gpu.Accelerator;
import dev.lfm.compute.gpu.DeviceBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.driver.CUjit_option;
import jcuda.driver.JITOptions;

/**
 * {@link Accelerator} over the CUDA driver API (JCuda): the device's primary context, the legacy
 * default stream (in order; transfers are blocking), one module per kernel file.
 *
 * <p>Every driver call's result is checked by code ({@link CudaCallException}) rather than through
 * JCuda's exceptions, because a rejected PTX image must be told apart from a failure: see
 * {@link PtxSelection} for the order packaged PTX → NVRTC → nvcc. The PTX that worked for a file is
 * remembered for the JVM's life, so later accelerators load it directly.
 *
 * <p>The primary context is made current on the calling thread by every operation, so the
 * accelerator may move between threads (used by one at a time).
 *
 * <p>Errors: every failure is a one-line {@link CudaCallException} (an {@code LfmException}). A
 * kernel fault is asynchronous and surfaces at a later call; the message then names the kernel
 * launched last. With {@code LFM_CUDA_SYNC=1} (or {@code -Dlfm.cuda.sync=true}) every launch is
 * followed by {@code cuCtxSynchronize}, so the failing kernel itself is named (slower: debugging
 * and the GPU check's verify step). A module the driver refuses is reported with the JIT's error
 * log ({@code cuModuleLoadDataEx} with {@code CU_JIT_ERROR_LOG_BUFFER}).
 */
public final class CudaAccelerator implements Accelerator {
    /** PTX that loaded, per kernel file, for the JVM's life. */
    private static final Map<String, PtxCompiler.Compiled> RESOLVED = new ConcurrentHashMap<>();
    static final int MULTIPROCESSORS = CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
    /** Bytes of the JIT error log asked for when a module is loaded. */
    static final int JIT_LOG_BYTES = 8192;

    private final CUdevice device;
    private final CUcontext context;
    private final int ordinal;
    private final String name;
    private final long globalMemory;
    private final int multiprocessors;
    private final int maxThreadsPerBlock;
    private final int ccMajor;
    private final int ccMinor;
    private final int driverVersion;
    private final Set<String> ptxNotes = new LinkedHashSet<>();
    private final List<CuBuffer> buffers = new ArrayList<>();
    private final List<CUmodule> modules = new ArrayList<>();
    private final boolean sync = syncMode();
    /** The kernel launched last ("name (grid G, block B)"), named when a fault surfaces later. */
    private String lastKernel;
    private boolean closed;

    /** Whether launches synchronize ({@code LFM_CUDA_SYNC=1} or {@code -Dlfm.cuda.sync=true}). */
    static boolean syncMode() {
        String p = System.getProperty("lfm.cuda.sync");
        if (p != null) {
            return Boolean.parseBoolean(p) || "1".equals(p);
        }
        return "1".equals(System.getenv("LFM_CUDA_SYNC"));
    }

    /** Opens device {@code ordinal} (cuInit must have succeeded: see {@link CudaBackendProvider}). */
    CudaAccelerator(int ordinal) {
        this.ordinal = ordinal;
        device = new CUdevice();
        CudaCallException.check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        name = deviceName(device);
        globalMemory = totalMemory(device);
        multiprocessors = attribute(device, MULTIPROCESSORS);
        maxThreadsPerBlock = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
        ccMajor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        driverVersion = driverVersion();
        context = new CUcontext();
        CudaCallException.check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
    }

    // ------------------------------------------------------------ device queries (also used by the probe)

    static String deviceName(CUdevice d) {
        byte[] buf = new byte[256];
        CudaCallException.check(cuDeviceGetName(buf, buf.length, d), "cuDeviceGetName");
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }

    static long totalMemory(CUdevice d) {
        long[] v = new long[1];
        CudaCallException.check(cuDeviceTotalMem(v, d), "cuDeviceTotalMem");
        return v[0];
    }

    static int attribute(CUdevice d, int attribute) {
        int[] v = new int[1];
        CudaCallException.check(cuDeviceGetAttribute(v, attribute, d), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    static int driverVersion() {
        int[] v = new int[1];
        CudaCallException.check(cuDriverGetVersion(v), "cuDriverGetVersion");
        return v[0];
    }

    /** "name (GPU, N multiprocessors, M MiB, compute x.y, driver a.b)". */
    static String describe(String name, int sms, long memory, int major, int minor, int driver) {
        return String.format(Locale.ROOT, "%s (GPU, %d multiprocessors, %d MiB, compute %d.%d, driver %s)", name, sms,
                memory >> 20, major, minor, PtxSelection.version(driver));
    }

    private void bind() {
        if (closed) {
            throw new IllegalStateException("CUDA accelerator is closed");
        }
        checked(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** Throws unless CUDA_SUCCESS; a kernel fault names the kernel launched last. */
    private void checked(int result, String operation) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(result, operation, lastKernel);
        }
    }

    @Override
    public String api() {
        return "cuda";
    }

    @Override
    public String device() {
        String d = describe(name, multiprocessors, globalMemory, ccMajor, ccMinor, driverVersion);
        return ptxNotes.isEmpty() ? d : d + ", " + ptxNote();
    }

    /** How the kernels' PTX was obtained ("PTX: packaged PTX (nvcc 13.0 …)"), once per distinct way. */
    public String ptxNote() {
        return "PTX: " + String.join("; ", ptxNotes);
    }

    /** Device ordinal. */
    public int ordinal() {
        return ordinal;
    }

    @Override
    public Limits limits() {
        return new Limits(multiprocessors, globalMemory, false, maxThreadsPerBlock);
    }

    // ------------------------------------------------------------ buffers

    private final class CuBuffer extends DeviceBuffer<CUdeviceptr> {
        CuBuffer(CUdeviceptr ptr, long bytes) {
            super(ptr, bytes);
        }

        @Override
        protected void release() {
            if (!closed) {
                checked(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            }
            cuMemFree(handle());
            buffers.remove(this);
        }
    }

    /** The device pointer of a live buffer of this accelerator. */
    CUdeviceptr ptr(Buffer b) {
        if (!(b instanceof CuBuffer c) || c.released() || !buffers.contains(c)) {
            throw new IllegalArgumentException("not a live CUDA buffer of this accelerator");
        }
        return c.handle();
    }

    @Override
    public Buffer alloc(long bytes) {
        bind();
        long size = Math.max(4, bytes);
        CUdeviceptr p = new CUdeviceptr();
        int r = cuMemAlloc(p, size);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new LfmException("out of device memory: cannot allocate " + (size >> 20) + " MiB on " + name
                    + " (" + (globalMemory >> 20) + " MiB total)");
        }
        checked(r, "cuMemAlloc(" + size + ")");
        CuBuffer b = new CuBuffer(p, size);
        buffers.add(b);
        return b;
    }

    private void checkRange(Buffer b, long offset, long bytes) {
        if (offset < 0 || offset + bytes > b.bytes()) {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + bytes) + ") outside a buffer of "
                    + b.bytes());
        }
    }

    @Override
    public void copy(boolean toDevice, Buffer b, long offsetBytes, Object host, int from, int count) {
        if (count > 0) {
            bind();
            long bytes = (long) count * Integer.BYTES;
            checkRange(b, offsetBytes, bytes);
            CUdeviceptr d = ptr(b).withByteOffset(offsetBytes);
            Pointer h = (host instanceof float[] f ? Pointer.to(f) : Pointer.to((int[]) host))
                    .withByteOffset((long) from * Integer.BYTES);
            if (toDevice) {
                checked(cuMemcpyHtoD(d, h, bytes), "cuMemcpyHtoD");
            } else {
                checked(cuMemcpyDtoH(h, d, bytes), "cuMemcpyDtoH");
            }
        }
    }

    @Override
    public void fill(Buffer dst, int pattern, long offsetBytes, long bytes) {
        if (bytes > 0) {
            if ((offsetBytes | bytes) % 4 != 0) {
                throw new IllegalArgumentException("fill needs 4-byte aligned offset and size: " + offsetBytes + ", "
                        + bytes);
            }
            bind();
            checkRange(dst, offsetBytes, bytes);
            checked(cuMemsetD32(ptr(dst).withByteOffset(offsetBytes), pattern, bytes / 4),
                    "cuMemsetD32");
        }
    }

    // ------------------------------------------------------------ programs and launches

    private record CuProgram(List<String> files, List<CUmodule> modules, List<String> ptx) implements Program {
    }

    private record CuKernel(String name, CUfunction function, long[] paramSizes) implements Kernel {
    }

    @Override
    public Program build(List<String> files) {
        bind();
        List<CUmodule> loaded = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String file : files) {
            loaded.add(loadModule(file));
            texts.add(RESOLVED.get(file).ptx());
        }
        return new CuProgram(List.copyOf(files), List.copyOf(loaded), List.copyOf(texts));
    }

    /** Loads one kernel file's module, trying the PTX sources of {@link PtxSelection} in order. */
    private CUmodule loadModule(String file) {
        PtxCompiler.Compiled known = RESOLVED.get(file);
        if (known != null) {
            CUmodule m = new CUmodule();
            String[] log = new String[1];
            int r = loadData(m, known.ptx(), log);
            if (r == CUresult.CUDA_SUCCESS) {
                modules.add(m);
                ptxNotes.add(known.note());
                return m;
            }
            if (!PtxSelection.isRejection(r)) {
                throw new CudaCallException(r, "cuModuleLoadDataEx(" + file + ")" + jitLogSuffix(log[0]));
            }
        }
        PtxManifest manifest = CudaBackendProvider.manifest();
        String why = PtxSelection.packagedUnusable(manifest, file, PtxManifest.sourceSha256(file));
        boolean nvrtc = PtxCompiler.nvrtcLoadable();
        boolean nvcc = PtxCompiler.findNvcc() != null;
        String arch = PtxSelection.fallbackArch(ccMajor, ccMinor);
        List<String> failures = new ArrayList<>();
        if (why != null) {
            failures.add(why);
        }
        for (PtxSelection.Source s : PtxSelection.candidates(why == null, nvrtc, nvcc)) {
            PtxCompiler.Compiled c;
            if (s == PtxSelection.Source.PACKAGED) {
                PtxManifest.Entry e = manifest.entry(file);
                c = new PtxCompiler.Compiled(PtxManifest.packagedPtx(file), "packaged (nvcc " + manifest.nvccVersion()
                        + ", " + manifest.arch() + ", PTX ISA " + e.ptxIsa() + ")");
            } else {
                try {
                    c = PtxCompiler.compile(s, file, arch);
                } catch (RuntimeException e) {
                    failures.add(s.label() + " failed: " + firstLine(e.getMessage()));
                    continue;
                }
            }
            CUmodule m = new CUmodule();
            String[] log = new String[1];
            int r = loadData(m, c.ptx(), log);
            if (r == CUresult.CUDA_SUCCESS) {
                String note = failures.isEmpty() ? c.note() : c.note() + " after: " + String.join("; ", failures);
                PtxCompiler.Compiled done = new PtxCompiler.Compiled(c.ptx(), note);
                RESOLVED.put(file, done);
                modules.add(m);
                ptxNotes.add(note);
                return m;
            }
            if (!PtxSelection.isRejection(r)) {
                throw new CudaCallException(r, "cuModuleLoadDataEx(" + file + ", " + s.label() + ")"
                        + jitLogSuffix(log[0]));
            }
            failures.add(s.label() + " rejected by driver " + PtxSelection.version(driverVersion) + ": "
                    + CUresult.stringFor(r) + jitLogSuffix(log[0]));
        }
        if (!nvrtc) {
            failures.add("NVRTC not loadable (needs libnvrtc.so.12)");
        }
        if (!nvcc) {
            failures.add("no nvcc (looked on PATH, in $CUDA_HOME/bin and /usr/local/cuda/bin)");
        }
        throw new BackendUnavailableException("CUDA kernels of " + file + " cannot be loaded: "
                + String.join("; ", failures));
    }

    /**
     * cuModuleLoadDataEx with an error-log buffer; {@code log[0]} gets the JIT's error log (may be
     * empty). If JCuda's JIT-options wrapper itself fails, falls back to plain cuModuleLoadData.
     */
    private static int loadData(CUmodule m, String ptx, String[] log) {
        byte[] image = nulTerminated(ptx);
        try {
            JITOptions jit = new JITOptions();
            jit.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, JIT_LOG_BYTES);
            jit.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[JIT_LOG_BYTES]);
            int r = cuModuleLoadDataJIT(m, Pointer.to(image), jit);
            log[0] = jit.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
            return r;
        } catch (LinkageError | RuntimeException e) {
            log[0] = null;
            return cuModuleLoadData(m, image);
        }
    }

    /** "; JIT log: …" (one line, at most 400 characters), or "" for an empty log. */
    static String jitLogSuffix(String log) {
        if (log == null || log.isBlank()) {
            return "";
        }
        String one = CudaCallException.oneLine(log);
        return "; JIT log: " + (one.length() > 400 ? one.substring(0, 400) + "…" : one);
    }

    private static byte[] nulTerminated(String ptx) {
        byte[] b = ptx.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public Kernel kernel(Program program, String name) {
        bind();
        CuProgram p = (CuProgram) program;
        for (int j = 0; j < p.modules().size(); j++) {
            CUfunction f = new CUfunction();
            int r = cuModuleGetFunction(f, p.modules().get(j), name);
            if (r == CUresult.CUDA_SUCCESS) {
                return new CuKernel(name, f, KernelArgs.declaredSizes(p.ptx().get(j), name));
            }
            if (r != CUresult.CUDA_ERROR_NOT_FOUND) {
                throw new CudaCallException(r, "cuModuleGetFunction(" + name + ")", lastKernel);
            }
        }
        throw new IllegalArgumentException("kernel " + name + " not found in " + p.files());
    }

    @Override
    public void launch(Kernel kernel, long workItems, int localSize, Object... args) {
        if (workItems <= 0) {
            return;
        }
        bind();
        int grid = KernelArgs.gridSize(workItems, localSize);
        KernelArgs.Slot[] slots = KernelArgs.pack(kernel.name(), args, this::ptr);
        KernelArgs.checkSizes(kernel.name(), slots, ((CuKernel) kernel).paramSizes());
        String what = kernel.name() + " (grid " + grid + ", block " + localSize + ")";
        int r = cuLaunchKernel(((CuKernel) kernel).function(), grid, 1, 1, localSize, 1, 1, 0, null,
                KernelArgs.params(slots), null);
        afterLaunch(what, r, sync, JCudaDriver::cuCtxSynchronize, lastKernel);
        lastKernel = what;
    }

    /**
     * The checks after one cuLaunchKernel (shared with the fault-injection tests): a refused launch
     * names the kernel; in sync mode the launch is waited for, and a fault in it names it too.
     *
     * @param what "kernel (grid G, block B)"
     * @param previous the kernel launched before (a fault of it can surface at this launch)
     */
    static void afterLaunch(String what, int launchResult, boolean sync, IntSupplier synchronize, String previous) {
        if (launchResult != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(launchResult, "launch of kernel " + what, previous);
        }
        if (sync) {
            int r = synchronize.getAsInt();
            if (r != CUresult.CUDA_SUCCESS) {
                throw new CudaCallException(r, "kernel " + what + " [LFM_CUDA_SYNC=1]");
            }
        }
    }

    /**
     * Blocks of {@code localSize} threads of {@code kernel} resident at once on one multiprocessor
     * (cuOccupancyMaxActiveBlocksPerMultiprocessor: registers, shared memory and the block limit).
     */
    @Override
    public int groupsPerUnit(Kernel kernel, int localSize) {
        bind();
        int[] n = new int[1];
        checked(cuOccupancyMaxActiveBlocksPerMultiprocessor(n, ((CuKernel) kernel).function(), localSize, 0),
                "cuOccupancyMaxActiveBlocksPerMultiprocessor(" + kernel.name() + ", " + localSize + ")");
        return n[0];
    }

    @Override
    public void finish() {
        bind();
        checked(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /** Makes the context current on this thread (for cuBLAS calls on this accelerator's buffers). */
    void makeCurrent() {
        bind();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            CudaCallException.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            cuCtxSynchronize();
            for (CuBuffer b : new ArrayList<>(buffers)) {
                b.close();
            }
            for (CUmodule m : modules) {
                cuModuleUnload(m);
            }
        } finally {
            closed = true;
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
