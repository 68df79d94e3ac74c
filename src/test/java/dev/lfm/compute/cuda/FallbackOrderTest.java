package dev.lfm.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.compute.Backend;
import dev.lfm.compute.BackendOptions;
import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.Backends;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Backend selection around CUDA: auto order, and falling through when CUDA is absent. */
class FallbackOrderTest {
    @Test
    void cudaIsRegisteredFirstInAutoOrder() {
        assertThat(Backends.names()).containsExactly("cuda", "opencl", "cpu");
        assertThat(Backends.provider("cuda")).isInstanceOf(CudaBackendProvider.class);
    }

    @Test
    void probeIsCachedAndOneLine() {
        CudaBackendProvider p = new CudaBackendProvider();
        String first = p.unavailableReason();
        assertThat(new CudaBackendProvider().unavailableReason()).isEqualTo(first);
        if (first != null) {
            assertThat(first).doesNotContain("\n").isNotBlank();
            assertThat(p.describeDevices()).isEmpty();
            assertThat(p.deviceCount()).isZero();
        } else {
            assertThat(p.describeDevices()).hasSize(p.deviceCount()).allSatisfy(l -> assertThat(l).contains("PTX: "));
        }
    }

    @Test
    void withoutCudaAutoFallsThroughWithANoteAndNamedCudaIsAOneLineError() {
        String why = Backends.provider("cuda").unavailableReason();
        Assumptions.assumeTrue(why != null, "a CUDA device is present");
        List<String> notes = new ArrayList<>();
        try (Backend b = Backends.open("auto", new BackendOptions(1, -1), notes::add)) {
            assertThat(b.name()).isIn("opencl", "cpu");
        }
        assertThat(notes.get(0)).isEqualTo("cuda not available: " + why);
        assertThatThrownBy(() -> Backends.open("cuda", BackendOptions.defaults(), null))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("cuda backend not available: " + why);
    }
}
