package dev.lfm.model;

import dev.lfm.LfmException;
import dev.lfm.data.IdMap;
import dev.lfm.io.OutputFiles;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The model file: saves and loads a {@link FactorModel} with its id maps and provenance.
 *
 * <p>Format version 1, all numbers <b>little-endian</b>, floats IEEE-754 binary32:
 * <pre>
 *   bytes  field
 *   4      magic "LFM1" (0x4C 0x46 0x4D 0x31)
 *   4      int32 format version (1)
 *   4      int32 flags: bit 0 = model has biases; other bits 0
 *   4      int32 numUsers
 *   4      int32 numItems
 *   4      int32 rank
 *   4      float32 mu (global mean)
 *   4      float32 minRating
 *   4      float32 maxRating
 *   4 [+8n] user ids: int32 kind (0 = none, 1 = identity 0..n-1, 2 = explicit), then for kind 2
 *          numUsers int64 file ids in index order
 *   4 [+8n] item ids: likewise with numItems
 *   4      int32 number of provenance entries, then for each: key and value as
 *          int32 byte length + UTF-8 bytes
 *   4·U·k  P, row-major float32 (user u's factors at u·rank)
 *   4·I·k  Q, row-major float32
 *   4·U    b_u float32   (only when the biases flag is set)
 *   4·I    b_i float32   (only when the biases flag is set)
 *   4      CRC32 of every preceding byte, as int32
 * </pre>
 * Saving writes a temporary file in the target's directory and renames it over the target
 * atomically, so a failed save leaves neither a half-written model nor the temporary file. Loading
 * checks magic, version, shape against the file size, and the checksum; any problem is an
 * {@link LfmException} with a one-line message naming the file.
 */
public final class ModelIO {
    /** "LFM1" as the first four bytes. */
    static final byte[] MAGIC = {'L', 'F', 'M', '1'};
    /** The format version this build writes and the newest it reads. */
    public static final int VERSION = 1;
    static final int FLAG_BIASES = 1;
    private static final int IDS_NONE = 0;
    private static final int IDS_IDENTITY = 1;
    private static final int IDS_EXPLICIT = 2;
    private static final int BUFFER = 1 << 16;

    private ModelIO() {
    }

    /**
     * Writes the model to {@code file} atomically through {@link OutputFiles} (see the class comment
     * for the layout). The directory must exist: a mistyped {@code --save} path is an error, not a new
     * directory.
     */
    public static void save(FactorModel m, Path file) {
        OutputFiles.writeAll(java.util.List.of(output(m, file)));
    }

    /**
     * The model as one output of an {@link OutputFiles#writeAll} batch (a model and its report
     * written both or neither); the directory must exist.
     */
    public static OutputFiles.Output output(FactorModel m, Path file) {
        return new OutputFiles.Output(file, out -> {
            Writer w = new Writer(Channels.newChannel(out));
            write(m, w);
            w.finish();
        }, false);
    }

    private static void write(FactorModel m, Writer w) throws IOException {
        w.bytes(MAGIC);
        w.i32(VERSION);
        w.i32(m.biases ? FLAG_BIASES : 0);
        w.i32(m.numUsers);
        w.i32(m.numItems);
        w.i32(m.rank);
        w.f32(m.mu);
        w.f32(m.minRating);
        w.f32(m.maxRating);
        ids(w, m.userIds, m.numUsers, "user");
        ids(w, m.itemIds, m.numItems, "item");
        w.i32(m.provenance.size());
        for (Map.Entry<String, String> e : m.provenance.entrySet()) {
            w.string(e.getKey());
            w.string(e.getValue() == null ? "" : e.getValue());
        }
        w.floats(m.p, m.numUsers * m.rank);
        w.floats(m.q, m.numItems * m.rank);
        if (m.biases) {
            w.floats(m.userBias, m.numUsers);
            w.floats(m.itemBias, m.numItems);
        }
    }

    private static void ids(Writer w, IdMap ids, int n, String what) throws IOException {
        if (ids == null) {
            w.i32(IDS_NONE);
            return;
        }
        if (ids.size() != n) {
            throw new IllegalArgumentException(what + " id map has " + ids.size() + " ids for " + n + " rows");
        }
        if (ids.isIdentity()) {
            w.i32(IDS_IDENTITY);
            return;
        }
        w.i32(IDS_EXPLICIT);
        for (int j = 0; j < n; j++) {
            w.i64(ids.externalId(j));
        }
    }

    /** Reads a model written by {@link #save}. */
    public static FactorModel load(Path file) {
        long size;
        try {
            if (Files.isDirectory(file)) {
                throw new LfmException(file + ": is a directory, not a model file");
            }
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new LfmException(file + ": no such file");
        } catch (IOException e) {
            throw new LfmException(file + ": cannot read: " + oneLine(e));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new Reader(ch), size, file);
        } catch (EOFException e) {
            throw new LfmException(file + ": not a complete lfm model file (truncated)");
        } catch (AccessDeniedException e) {
            throw new LfmException(file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new LfmException(file + ": cannot read: " + oneLine(e));
        }
    }

    private static FactorModel read(Reader r, long size, Path file) throws IOException {
        byte[] magic = r.bytes(4);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new LfmException(file + ": not an lfm model file (bad magic number)");
        }
        int version = r.i32();
        if (version > VERSION) {
            throw new LfmException(file + ": model format version " + version
                    + " is newer than this lfm reads (" + VERSION + "); use a newer lfm");
        }
        if (version < 1) {
            throw corrupt(file, "bad format version " + version);
        }
        int flags = r.i32();
        if ((flags & ~FLAG_BIASES) != 0) {
            throw corrupt(file, "unknown flags " + Integer.toHexString(flags));
        }
        boolean biases = (flags & FLAG_BIASES) != 0;
        int numUsers = r.i32();
        int numItems = r.i32();
        int rank = r.i32();
        if (numUsers < 0 || numItems < 0 || rank < 1 || rank > 1 << 16
                || (long) numUsers * rank > Integer.MAX_VALUE - 8 || (long) numItems * rank > Integer.MAX_VALUE - 8) {
            throw corrupt(file, "bad shape " + numUsers + " x " + numItems + " x " + rank);
        }
        long minBytes = 4L * ((long) numUsers * rank + (long) numItems * rank + (biases ? numUsers + numItems : 0));
        if (minBytes > size) {
            throw new LfmException(file + ": not a complete lfm model file (truncated: "
                    + numUsers + " x " + numItems + " x " + rank + " needs more than " + size + " bytes)");
        }
        FactorModel m = new FactorModel(numUsers, numItems, rank, biases);
        m.mu = r.f32();
        m.minRating = r.f32();
        m.maxRating = r.f32();
        m.userIds = readIds(r, numUsers, size, file, "user");
        m.itemIds = readIds(r, numItems, size, file, "item");
        int entries = r.i32();
        if (entries < 0 || entries > size / 8) {
            throw corrupt(file, "bad provenance count " + entries);
        }
        for (int j = 0; j < entries; j++) {
            String k = r.string(size, file);
            String v = r.string(size, file);
            m.provenance.put(k, v);
        }
        r.floats(m.p, numUsers * rank);
        r.floats(m.q, numItems * rank);
        if (biases) {
            r.floats(m.userBias, numUsers);
            r.floats(m.itemBias, numItems);
        }
        int computed = (int) r.crc();
        int stored = r.i32();
        if (computed != stored) {
            throw corrupt(file, "checksum mismatch");
        }
        if (!r.atEnd()) {
            throw corrupt(file, "unexpected bytes after the checksum");
        }
        checkParameters(m, file);
        return m;
    }

    /**
     * A model whose checksum is right can still be unusable (written by a diverged run of an older
     * lfm, or by another tool): every parameter (μ, P, Q, biases) must be finite and the rating
     * scale a finite range.
     */
    static void checkParameters(FactorModel m, Path file) {
        if (!Float.isFinite(m.minRating) || !Float.isFinite(m.maxRating) || m.minRating > m.maxRating) {
            throw corrupt(file, "bad rating scale [" + m.minRating + ", " + m.maxRating + "]");
        }
        if (!Float.isFinite(m.mu)) {
            throw corrupt(file, "global mean μ = " + m.mu + ": the parameters must be finite (retrain the model)");
        }
        finite(m.p, m.rank, "P (user factors)", "user", file);
        finite(m.q, m.rank, "Q (item factors)", "item", file);
        if (m.biases) {
            finite(m.userBias, 1, "user biases", "user", file);
            finite(m.itemBias, 1, "item biases", "item", file);
        }
    }

    private static void finite(float[] a, int width, String what, String row, Path file) {
        for (int j = 0; j < a.length; j++) {
            if (!Float.isFinite(a[j])) {
                throw corrupt(file, what + " hold " + a[j] + " at " + row + " row " + j / width
                        + ": the parameters must be finite (retrain the model)");
            }
        }
    }

    private static IdMap readIds(Reader r, int n, long size, Path file, String what) throws IOException {
        int kind = r.i32();
        switch (kind) {
            case IDS_NONE:
                return null;
            case IDS_IDENTITY:
                return IdMap.identity(n);
            case IDS_EXPLICIT:
                if (8L * n > size) {
                    throw new LfmException(file + ": not a complete lfm model file (truncated)");
                }
                long[] ids = new long[n];
                for (int j = 0; j < n; j++) {
                    ids[j] = r.i64();
                }
                try {
                    return IdMap.of(ids);
                } catch (IllegalArgumentException e) {
                    throw corrupt(file, "repeated " + what + " id");
                }
            default:
                throw corrupt(file, "bad " + what + " id table kind " + kind);
        }
    }

    private static LfmException corrupt(Path file, String detail) {
        return new LfmException(file + ": corrupt lfm model file (" + detail + ")");
    }

    private static String oneLine(Exception e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** Little-endian output through one buffer, with a running CRC32. */
    private static final class Writer {
        private final WritableByteChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32 crc = new CRC32();

        Writer(WritableByteChannel ch) {
            this.ch = ch;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void bytes(byte[] b) throws IOException {
            for (byte x : b) {
                room(1);
                buf.put(x);
            }
        }

        void i32(int x) throws IOException {
            room(4);
            buf.putInt(x);
        }

        void i64(long x) throws IOException {
            room(8);
            buf.putLong(x);
        }

        void f32(float x) throws IOException {
            room(4);
            buf.putFloat(x);
        }

        void floats(float[] a, int n) throws IOException {
            for (int j = 0; j < n; j++) {
                if (buf.remaining() < 4) {
                    flush();
                }
                buf.putFloat(a[j]);
            }
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            bytes(b);
        }

        /** Flushes and appends the CRC32 of everything written. */
        void finish() throws IOException {
            flush();
            buf.putInt((int) crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Little-endian input through one buffer, with a running CRC32 of the bytes consumed. */
    private static final class Reader {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32 crc = new CRC32();
        private int crcFrom;
        private boolean eof;

        Reader(FileChannel ch) {
            this.ch = ch;
            buf.limit(0);
        }

        /** Makes at least n bytes available, or throws EOFException. */
        private void need(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            crc.update(buf.array(), crcFrom, buf.position() - crcFrom);
            buf.compact();
            while (buf.position() < n && !eof) {
                if (ch.read(buf) < 0) {
                    eof = true;
                }
            }
            buf.flip();
            crcFrom = 0;
            if (buf.remaining() < n) {
                throw new EOFException();
            }
        }

        long crc() {
            crc.update(buf.array(), crcFrom, buf.position() - crcFrom);
            crcFrom = buf.position();
            return crc.getValue();
        }

        boolean atEnd() throws IOException {
            if (buf.hasRemaining()) {
                return false;
            }
            buf.clear();
            int got = ch.read(buf);
            buf.flip();
            crcFrom = 0;
            return got <= 0;
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            int done = 0;
            while (done < n) {
                need(1);
                int c = Math.min(n - done, buf.remaining());
                buf.get(b, done, c);
                done += c;
            }
            return b;
        }

        int i32() throws IOException {
            need(4);
            return buf.getInt();
        }

        long i64() throws IOException {
            need(8);
            return buf.getLong();
        }

        float f32() throws IOException {
            need(4);
            return buf.getFloat();
        }

        void floats(float[] a, int n) throws IOException {
            for (int j = 0; j < n; j++) {
                if (buf.remaining() < 4) {
                    need(4);
                }
                a[j] = buf.getFloat();
            }
        }

        String string(long size, Path file) throws IOException {
            int len = i32();
            if (len < 0 || len > size) {
                throw corrupt(file, "bad string length " + len);
            }
            return new String(bytes(len), StandardCharsets.UTF_8);
        }
    }
}
