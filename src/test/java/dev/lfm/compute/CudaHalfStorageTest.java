package dev.lfm.compute;

/** {@link HalfStorageTest} on the cuda backend. */
class CudaHalfStorageTest extends HalfStorageTest {
    @Override
    protected String backendName() {
        return "cuda";
    }
}
