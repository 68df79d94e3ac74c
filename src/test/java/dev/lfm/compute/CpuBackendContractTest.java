package dev.lfm.compute;

/** The backend contract on the pure-Java backend. */
class CpuBackendContractTest extends BackendContractTest {
    @Override
    protected Backend open() {
        return Backends.open("cpu", new BackendOptions(2, -1), null);
    }
}
