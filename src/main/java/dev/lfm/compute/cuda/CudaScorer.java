package dev.lfm.compute.cuda;

import dev.lfm.compute.BackendUnavailableException;
import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.model.FactorModel;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * Scores every item for a user on the GPU with one cuBLAS SGEMV: {@code s = Q·p_u}, then
 * {@code r̂_ui = μ + b_u + b_i + s_i} on the host. Q (items × k, row-major) is uploaded once and
 * read by cuBLAS as the column-major k × items matrix with leading dimension k, so
 * {@code Q·p_u = Aᵀ·p_u} ({@code CUBLAS_OP_T}). Optional: used by top-N scoring where it pays
 * (many items), never by training; needs cuBLAS ({@link CudaBlas}).
 */
public final class CudaScorer implements AutoCloseable {
    private final CudaAccelerator acc;
    private final cublasHandle handle;
    private final FactorModel model;
    private final Buffer q;
    private final Buffer pu;
    private final Buffer out;
    private final float[] hostP;

    private CudaScorer(CudaAccelerator acc, FactorModel model) {
        this.acc = acc;
        this.model = model;
        acc.makeCurrent();
        this.handle = CudaBlas.create();
        this.q = acc.alloc((long) model.numItems * model.rank * Float.BYTES);
        this.pu = acc.alloc((long) model.rank * Float.BYTES);
        this.out = acc.alloc((long) model.numItems * Float.BYTES);
        this.hostP = new float[model.rank];
        acc.upload(q, model.q);
    }

    /** Opens CUDA device {@code device} (-1: the first) and uploads the model's item factors. */
    public static CudaScorer open(FactorModel model, int device) {
        String why = new CudaBackendProvider().unavailableReason();
        if (why != null) {
            throw new BackendUnavailableException("CUDA not available: " + why);
        }
        String blas = CudaBlas.unavailableReason();
        if (blas != null) {
            throw new BackendUnavailableException("cuBLAS not available: " + blas);
        }
        CudaAccelerator acc = new CudaAccelerator(Math.max(0, device));
        try {
            return new CudaScorer(acc, model);
        } catch (RuntimeException | Error e) {
            acc.close();
            throw e;
        }
    }

    /** The cuBLAS version in use, e.g. "12.6.4". */
    public String cublasVersion() {
        acc.makeCurrent();
        return CudaBlas.version(handle);
    }

    /** Predicted ratings of {@code user} for every item (unclamped, like {@link FactorModel#predictRaw}). */
    public float[] scores(int user) {
        if (user < 0 || user >= model.numUsers) {
            throw new IndexOutOfBoundsException("user " + user + " of " + model.numUsers);
        }
        int k = model.rank;
        System.arraycopy(model.p, user * k, hostP, 0, k);
        acc.upload(pu, hostP);
        acc.makeCurrent();
        CudaBlas.check(JCublas2.cublasSgemv(handle, cublasOperation.CUBLAS_OP_T, k, model.numItems,
                Pointer.to(new float[] {1f}), acc.ptr(q), k, acc.ptr(pu), 1, Pointer.to(new float[] {0f}), acc.ptr(out),
                1), "cublasSgemv");
        float[] s = new float[model.numItems];
        acc.download(out, 0, s, 0, s.length);
        float base = model.mu + (model.biases ? model.userBias[user] : 0f);
        for (int i = 0; i < s.length; i++) {
            s[i] += base + (model.biases ? model.itemBias[i] : 0f);
        }
        return s;
    }

    @Override
    public void close() {
        try {
            acc.makeCurrent();
            JCublas2.cublasDestroy(handle);
        } finally {
            acc.close();
        }
    }
}
