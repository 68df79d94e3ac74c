package dev.lfm.compute.cuda;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import java.util.function.Function;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Packs the Java kernel arguments that {@link dev.lfm.compute.gpu.GpuBackend} passes into the
 * {@code void**} array of {@code cuLaunchKernel}, matching the C parameter types of the kernels:
 *
 * <pre>
 *   Buffer  → device pointer (8 bytes: T*)
 *   Integer → int32  (4 bytes: int, uint)
 *   Long    → int64  (8 bytes: long, which is 64-bit in CUDA on LP64 Linux)
 *   Float   → float  (4 bytes)
 * </pre>
 *
 * Anything else (Double, Short, Boolean, null) is rejected: no kernel takes it, and passing 8 bytes
 * where the kernel reads 4 would shift every later argument.
 */
final class KernelArgs {
    /**
     * One packed argument: the host slot holding its value ({@code int[1]}, {@code long[1]},
     * {@code float[1]} or the {@link CUdeviceptr}), its size in bytes, its C type.
     */
    record Slot(Object host, long bytes, String cType) {
        Pointer pointer() {
            if (host instanceof int[] v) {
                return Pointer.to(v);
            }
            if (host instanceof long[] v) {
                return Pointer.to(v);
            }
            if (host instanceof float[] v) {
                return Pointer.to(v);
            }
            return Pointer.to((CUdeviceptr) host);
        }
    }

    private KernelArgs() {
    }

    /** Packs {@code args} of kernel {@code kernel}; {@code device} maps a buffer to its pointer. */
    static Slot[] pack(String kernel, Object[] args, Function<Buffer, CUdeviceptr> device) {
        Slot[] slots = new Slot[args.length];
        for (int a = 0; a < args.length; a++) {
            Object v = args[a];
            if (v instanceof Buffer b) {
                slots[a] = new Slot(device.apply(b), 8, "pointer");
            } else if (v instanceof Integer i) {
                slots[a] = new Slot(new int[] {i}, Integer.BYTES, "int");
            } else if (v instanceof Long l) {
                slots[a] = new Slot(new long[] {l}, Long.BYTES, "long");
            } else if (v instanceof Float f) {
                slots[a] = new Slot(new float[] {f}, Float.BYTES, "float");
            } else {
                throw new IllegalArgumentException("kernel " + kernel + " argument " + a + ": unsupported type "
                        + (v == null ? "null" : v.getClass().getSimpleName()) + " (Buffer, Integer, Long, Float)");
            }
        }
        return slots;
    }

    /** The {@code kernelParams} pointer: an array of pointers to each slot. */
    static Pointer params(Slot[] slots) {
        NativePointerObject[] ptrs = new NativePointerObject[slots.length];
        for (int a = 0; a < slots.length; a++) {
            ptrs[a] = slots[a].pointer();
        }
        return Pointer.to(ptrs);
    }

    private static final java.util.regex.Pattern PARAM = java.util.regex.Pattern.compile(
            "\\.param\\s+\\.[usbf](8|16|32|64)\\s");

    /**
     * Parameter sizes in bytes of kernel {@code name} as declared in {@code ptx}
     * ({@code .param .u32 …} = 4, {@code .u64}/pointers = 8), or null when the entry is absent.
     */
    static long[] declaredSizes(String ptx, String name) {
        int at = ptx.indexOf(".entry " + name + "(");
        if (at < 0) {
            return null;
        }
        int end = ptx.indexOf(')', at);
        java.util.regex.Matcher m = PARAM.matcher(ptx.substring(at, end));
        java.util.List<Long> sizes = new java.util.ArrayList<>();
        while (m.find()) {
            sizes.add(Long.parseLong(m.group(1)) / 8);
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Checks packed arguments against the kernel's declared parameter sizes: CUDA, unlike OpenCL's
     * clSetKernelArg, does not check them, and a long passed for an int would shift every later
     * argument silently.
     */
    static void checkSizes(String kernel, Slot[] slots, long[] declared) {
        if (declared == null) {
            return;
        }
        if (declared.length != slots.length) {
            throw new IllegalArgumentException("kernel " + kernel + " takes " + declared.length + " arguments, got "
                    + slots.length);
        }
        for (int a = 0; a < slots.length; a++) {
            if (declared[a] != slots[a].bytes()) {
                throw new IllegalArgumentException("kernel " + kernel + " argument " + a + ": the kernel declares "
                        + declared[a] + " bytes, got a " + slots[a].cType() + " (" + slots[a].bytes() + " bytes)");
            }
        }
    }

    /** Blocks of {@code localSize} covering {@code workItems} (the last one partly idle). */
    static int gridSize(long workItems, int localSize) {
        if (localSize <= 0) {
            throw new IllegalArgumentException("local size must be positive: " + localSize);
        }
        long grid = (workItems + localSize - 1) / localSize;
        if (grid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("launch of " + workItems + " work-items in blocks of " + localSize
                    + " needs " + grid + " blocks (more than 2^31-1)");
        }
        return (int) grid;
    }
}
