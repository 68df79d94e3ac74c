package dev.lfm.compute.opencl;

import static org.jocl.CL.*;

import dev.lfm.LfmException;
import dev.lfm.compute.gpu.Accelerator;
import dev.lfm.compute.gpu.DeviceBuffer;
import dev.lfm.compute.gpu.KernelSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * {@link Accelerator} over OpenCL 1.2 through JOCL (exceptions enabled): one context and one
 * in-order queue on one device. Programs are the concatenation common.h + kernel files.
 */
public final class OpenClAccelerator implements Accelerator {
    private final cl_platform_id platform;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String description;
    private final Limits limits;
    private final List<cl_program> programs = new ArrayList<>();
    private final List<ClKernel> kernels = new ArrayList<>();
    private final List<ClBuffer> buffers = new ArrayList<>();
    private boolean closed;

    /** One platform's device, as enumerated by {@link OpenClBackendProvider}. */
    record DeviceRef(cl_platform_id platform, cl_device_id device) {
    }

    OpenClAccelerator(DeviceRef ref) {
        setExceptionsEnabled(true);
        this.platform = ref.platform();
        this.device = ref.device();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        @SuppressWarnings("deprecation")
        cl_command_queue q = clCreateCommandQueue(context, device, 0, null);
        this.queue = q;
        this.description = describe(platform, device);
        this.limits = new Limits(deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                (deviceLong(device, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_CPU) != 0,
                (int) Math.min(Integer.MAX_VALUE, deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE)));
    }

    // ------------------------------------------------------------ device queries

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null);
        return v[0];
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    static boolean isGpu(cl_device_id d) {
        return (deviceLong(d, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0;
    }

    static String typeName(cl_device_id d) {
        long t = deviceLong(d, CL_DEVICE_TYPE);
        if ((t & CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((t & CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((t & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return "other";
    }

    /** "name (type, N compute units, M MiB, OpenCL C x.y, platform)". */
    static String describe(cl_platform_id p, cl_device_id d) {
        return String.format(Locale.ROOT, "%s (%s, %d compute units, %d MiB, %s, %s)",
                deviceString(d, CL_DEVICE_NAME), typeName(d), deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE) >> 20, deviceString(d, CL_DEVICE_OPENCL_C_VERSION),
                platformString(p, CL_PLATFORM_NAME));
    }

    @Override
    public String api() {
        return "opencl";
    }

    @Override
    public String device() {
        return description;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    // ------------------------------------------------------------ buffers

    private final class ClBuffer extends DeviceBuffer<cl_mem> {
        ClBuffer(cl_mem mem, long bytes) {
            super(mem, bytes);
        }

        @Override
        protected void release() {
            clReleaseMemObject(handle());
            buffers.remove(this);
        }
    }

    private static cl_mem mem(Buffer b) {
        if (!(b instanceof ClBuffer c) || c.released()) {
            throw new IllegalArgumentException("not a live OpenCL buffer of this accelerator");
        }
        return c.handle();
    }

    @Override
    public Buffer alloc(long bytes) {
        long size = Math.max(4, bytes);
        try {
            cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
            ClBuffer b = new ClBuffer(mem, size);
            buffers.add(b);
            return b;
        } catch (CLException e) {
            if (e.getStatus() == CL_MEM_OBJECT_ALLOCATION_FAILURE || e.getStatus() == CL_OUT_OF_RESOURCES
                    || e.getStatus() == CL_INVALID_BUFFER_SIZE || e.getStatus() == CL_OUT_OF_HOST_MEMORY) {
                throw new LfmException("out of device memory: cannot allocate " + (size >> 20) + " MiB on "
                        + description + " (" + stringFor_errorCode(e.getStatus()) + ")", e);
            }
            throw e;
        }
    }

    @Override
    public void copy(boolean toDevice, Buffer b, long offsetBytes, Object host, int from, int count) {
        if (count > 0) {
            long bytes = (long) count * Integer.BYTES;
            Pointer h = (host instanceof float[] f ? Pointer.to(f) : Pointer.to((int[]) host))
                    .withByteOffset((long) from * Integer.BYTES);
            if (toDevice) {
                clEnqueueWriteBuffer(queue, mem(b), CL_TRUE, offsetBytes, bytes, h, 0, null, null);
            } else {
                clEnqueueReadBuffer(queue, mem(b), CL_TRUE, offsetBytes, bytes, h, 0, null, null);
            }
        }
    }

    @Override
    public void fill(Buffer dst, int pattern, long offsetBytes, long bytes) {
        if (bytes > 0) {
            clEnqueueFillBuffer(queue, mem(dst), Pointer.to(new int[] {pattern}), Sizeof.cl_int, offsetBytes, bytes,
                    0, null, null);
        }
    }

    // ------------------------------------------------------------ programs and launches

    private record ClProgram(cl_program program) implements Program {
    }

    private record ClKernel(String name, cl_kernel kernel) implements Kernel {
    }

    @Override
    public Program build(List<String> files) {
        String[] sources = new String[files.size() + 1];
        sources[0] = KernelSources.text(KernelSources.COMMON) + "\n";
        for (int f = 0; f < files.size(); f++) {
            sources[f + 1] = "\n" + KernelSources.text(files.get(f)) + "\n";
        }
        cl_program program = clCreateProgramWithSource(context, sources.length, sources, null, null);
        programs.add(program);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, "", null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL build of " + files + " failed on " + description + ":\n"
                    + buildLog(program), e);
        }
        return new ClProgram(program);
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    @Override
    public Kernel kernel(Program program, String name) {
        cl_kernel k = clCreateKernel(((ClProgram) program).program(), name, null);
        ClKernel kernel = new ClKernel(name, k);
        kernels.add(kernel);
        return kernel;
    }

    @Override
    public void launch(Kernel kernel, long workItems, int localSize, Object... args) {
        if (workItems <= 0) {
            return;
        }
        cl_kernel k = ((ClKernel) kernel).kernel();
        for (int a = 0; a < args.length; a++) {
            Object v = args[a];
            if (v instanceof Buffer b) {
                clSetKernelArg(k, a, Sizeof.cl_mem, Pointer.to(mem(b)));
            } else if (v instanceof Integer i) {
                clSetKernelArg(k, a, Sizeof.cl_int, Pointer.to(new int[] {i}));
            } else if (v instanceof Float f) {
                clSetKernelArg(k, a, Sizeof.cl_float, Pointer.to(new float[] {f}));
            } else if (v instanceof Long l) {
                clSetKernelArg(k, a, Sizeof.cl_long, Pointer.to(new long[] {l}));
            } else {
                throw new IllegalArgumentException("kernel " + kernel.name() + " argument " + a + ": unsupported type "
                        + (v == null ? "null" : v.getClass().getSimpleName()));
            }
        }
        long global = (workItems + localSize - 1) / localSize * localSize;
        clEnqueueNDRangeKernel(queue, k, 1, null, new long[] {global}, new long[] {localSize}, 0, null, null);
    }

    /**
     * {@code CL_KERNEL_WORK_GROUP_SIZE / localSize} (at least 1): OpenCL 1.2 has no occupancy
     * query, and this kernel-specific limit reflects its register use on GPUs.
     */
    @Override
    public int groupsPerUnit(Kernel kernel, int localSize) {
        long[] v = new long[1];
        clGetKernelWorkGroupInfo(((ClKernel) kernel).kernel(), device, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                Pointer.to(v), null);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, v[0] / Math.max(1, localSize)));
    }

    @Override
    public void finish() {
        clFinish(queue);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clFinish(queue);
        } finally {
            for (ClBuffer b : new ArrayList<>(buffers)) {
                b.close();
            }
            for (ClKernel k : kernels) {
                clReleaseKernel(k.kernel());
            }
            for (cl_program p : programs) {
                clReleaseProgram(p);
            }
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
    }
}
