package dev.lfm.compute;

/** {@link HalfStorageTest} on the opencl backend. */
class OpenClHalfStorageTest extends HalfStorageTest {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
