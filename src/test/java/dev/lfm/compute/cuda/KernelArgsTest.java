package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

class KernelArgsTest {
    private static Buffer buffer(long bytes) {
        return new Buffer() {
            @Override
            public long bytes() {
                return bytes;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void javaTypesMapToKernelCTypesAndWidths() {
        Buffer b = buffer(64);
        CUdeviceptr dp = new CUdeviceptr();
        List<Buffer> asked = new ArrayList<>();
        KernelArgs.Slot[] s = KernelArgs.pack("k", new Object[] {7, b, -3L, 2.5f, Integer.MIN_VALUE, Long.MAX_VALUE},
                x -> {
                    asked.add(x);
                    return dp;
                });
        assertThat(s).extracting(KernelArgs.Slot::cType).containsExactly("int", "pointer", "long", "float", "int", "long");
        assertThat(s).extracting(KernelArgs.Slot::bytes).containsExactly(4L, 8L, 8L, 4L, 4L, 8L);
        assertThat((int[]) s[0].host()).containsExactly(7);
        assertThat(s[1].host()).isSameAs(dp);
        assertThat((long[]) s[2].host()).containsExactly(-3L);
        assertThat((float[]) s[3].host()).containsExactly(2.5f);
        assertThat((int[]) s[4].host()).containsExactly(Integer.MIN_VALUE);
        assertThat((long[]) s[5].host()).containsExactly(Long.MAX_VALUE);
        assertThat(asked).containsExactly(b);
        assertThat(KernelArgs.params(s)).isInstanceOf(Pointer.class);
    }

    @Test
    void unsupportedTypesAreRejectedNamingKernelAndPosition() {
        assertThatThrownBy(() -> KernelArgs.pack("sgd_epoch", new Object[] {1, 2.0}, x -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sgd_epoch argument 1: unsupported type Double");
        assertThatThrownBy(() -> KernelArgs.pack("residuals", new Object[] {null}, x -> null))
                .hasMessageContaining("residuals argument 0: unsupported type null");
        assertThatThrownBy(() -> KernelArgs.pack("k", new Object[] {(short) 1}, x -> null))
                .hasMessageContaining("unsupported type Short");
    }

    @Test
    void gridCoversWorkItemsWithPartialLastBlock() {
        assertThat(KernelArgs.gridSize(1, 256)).isEqualTo(1);
        assertThat(KernelArgs.gridSize(256, 256)).isEqualTo(1);
        assertThat(KernelArgs.gridSize(257, 256)).isEqualTo(2);
        assertThat(KernelArgs.gridSize(100_000_000L * 33, 128)).isEqualTo(25_781_250);
        assertThatThrownBy(() -> KernelArgs.gridSize(1L << 40, 32)).hasMessageContaining("more than 2^31-1");
        assertThatThrownBy(() -> KernelArgs.gridSize(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final String PTX = ".visible .entry residuals(\n\t.param .u32 residuals_param_0,\n"
            + "\t.param .u64 residuals_param_1,\n\t.param .f32 residuals_param_2\n)\n{\n}\n"
            + ".visible .entry other(\n\t.param .u64 other_param_0\n)\n{\n}\n";

    @Test
    void declaredParameterSizesComeFromThePtxEntry() {
        assertThat(KernelArgs.declaredSizes(PTX, "residuals")).containsExactly(4, 8, 4);
        assertThat(KernelArgs.declaredSizes(PTX, "other")).containsExactly(8);
        assertThat(KernelArgs.declaredSizes(PTX, "missing")).isNull();
    }

    @Test
    void aLongWhereTheKernelDeclaresAnIntIsRejected() {
        Buffer b = buffer(8);
        long[] declared = KernelArgs.declaredSizes(PTX, "residuals");
        KernelArgs.checkSizes("residuals", KernelArgs.pack("residuals", new Object[] {1, b, 1f}, x -> new CUdeviceptr()),
                declared);
        assertThatThrownBy(() -> KernelArgs.checkSizes("residuals",
                KernelArgs.pack("residuals", new Object[] {1L, b, 1f}, x -> new CUdeviceptr()), declared))
                .hasMessage("kernel residuals argument 0: the kernel declares 4 bytes, got a long (8 bytes)");
        assertThatThrownBy(() -> KernelArgs.checkSizes("residuals",
                KernelArgs.pack("residuals", new Object[] {1, b}, x -> new CUdeviceptr()), declared))
                .hasMessage("kernel residuals takes 3 arguments, got 2");
    }
}
