package dev.lfm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Reads a regular file on several threads with the result of {@link RatingsReader}'s sequential
 * read, bit for bit: the same ratings in the same order, the same id maps, the same first error
 * (by file position) with the same {@code FILE:LINE:} message.
 *
 * <p>The file is cut into pieces at line ends ({@code \n}, {@code \r\n} taken whole, a lone
 * {@code \r}); each piece gets its own {@link RatingsReader.Parser} reading it with positional
 * reads, counting its lines from 1. Pieces are parsed in file order on the calling thread until one
 * holds the first rating line (the header decision and the field count every line must match come
 * from there, as in a sequential read), the rest in parallel. Then, in file order: the first piece
 * with an error reports it, its line number shifted by the lines of the pieces before; otherwise the
 * pieces' ratings are concatenated. Ids that the id maps do not know yet are collected per piece in
 * a piece-local {@link IdMap} (order of first appearance within the piece) and added to the shared
 * maps piece by piece, which is their order of first appearance in the file; duplicates, the rating
 * scale and the rest are then checked on the whole, as the sequential read does.
 *
 * <p>Memory: the pieces' arrays and the result's exist together briefly (about 24 instead of 12
 * bytes per rating at the peak).
 */
final class ChunkedReader {
    /** Files below this size are read sequentially (threads would not pay). */
    static final long MIN_PARALLEL_BYTES = 8L << 20;
    /** Pieces per thread (balance: the pieces of a sorted file differ in their id churn). */
    private static final int PIECES_PER_THREAD = 4;

    private ChunkedReader() {
    }

    /** Threads for a read: the {@code lfm.readThreads} property, else every processor. */
    static int threads() {
        int t = Integer.getInteger("lfm.readThreads", Runtime.getRuntime().availableProcessors());
        return Math.max(1, t);
    }

    /**
     * Reads {@code file} (a regular file of {@code size} bytes) in parallel; null when it should be
     * read sequentially instead (one thread, a small file, a line so long that no line end is found
     * near a cut).
     */
    static Ratings read(Path file, String name, long size, ReadOptions options, IdMap userIds, IdMap itemIds,
                        ProgressMeter meter) throws IOException {
        return read(file, name, size, options, userIds, itemIds, threads(), meter);
    }

    /** As {@link #read(Path, String, long, ReadOptions, IdMap, IdMap, ProgressMeter)} on {@code threads} threads. */
    static Ratings read(Path file, String name, long size, ReadOptions options, IdMap userIds, IdMap itemIds,
                        int threads, ProgressMeter meter) throws IOException {
        if (threads < 2 || size < MIN_PARALLEL_BYTES) {
            return null;
        }
        int pieces = threads * PIECES_PER_THREAD;
        long[] cuts = new long[pieces];
        // a small first piece: it usually holds the header and the first rating line
        cuts[0] = Math.min(size, RatingsReader.PREFIX);
        for (int c = 1; c < pieces; c++) {
            cuts[c] = cuts[0] + (size - cuts[0]) * c / pieces;
        }
        return read(file, name, size, options, userIds, itemIds, cuts, threads, meter);
    }

    /**
     * Reads with the pieces cut at the first line end at or after each of {@code cuts} (ascending;
     * tests choose them); null when a cut finds no line end within 16 MiB.
     */
    static Ratings read(Path file, String name, long size, ReadOptions options, IdMap userIds, IdMap itemIds,
                        long[] cuts, int threads, ProgressMeter meter) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] head = new byte[RatingsReader.PREFIX];
            int n = readFully(ch, 0, head, (int) Math.min(size, head.length));
            RatingsReader.requireText(name, head, n);
            RatingFormat format = options.format() == RatingFormat.AUTO
                    ? RatingFormat.detect(name, head, n) : options.format();
            ReadOptions o = options.withFormat(format);
            long[] bounds = bounds(ch, size, cuts);
            if (bounds == null) {
                return null;
            }
            return new Run(ch, name, o, userIds, itemIds, bounds, threads, meter).read();
        }
    }

    /** Piece boundaries: 0, the aligned cuts (empty pieces dropped), size; null if a cut cannot be aligned. */
    static long[] bounds(FileChannel ch, long size, long[] cuts) throws IOException {
        long[] b = new long[cuts.length + 2];
        int m = 0;
        b[m++] = 0;
        for (long cut : cuts) {
            long at = lineStartAtOrAfter(ch, Math.max(0, Math.min(cut, size)), size);
            if (at < 0) {
                return null;
            }
            if (at > b[m - 1] && at < size) {
                b[m++] = at;
            }
        }
        if (size > b[m - 1] || m == 1) {
            b[m++] = size;
        }
        return Arrays.copyOf(b, m);
    }

    /**
     * The first line start at or after {@code t}: 0 for 0, else just past the first line end that
     * ends at or after {@code t} (a {@code \r\n} is one line end, so a cut between its two bytes
     * moves past the {@code \n}); -1 when none lies within 16 MiB.
     */
    static long lineStartAtOrAfter(FileChannel ch, long t, long size) throws IOException {
        if (t <= 0) {
            return 0;
        }
        byte[] buf = new byte[1 << 16];
        long pos = t - 1;
        long limit = Math.min(size, t + (1L << 24) + 2);
        while (pos < limit) {
            int got = readFully(ch, pos, buf, (int) Math.min(buf.length, limit - pos));
            if (got <= 0) {
                return size;
            }
            for (int j = 0; j < got; j++) {
                byte c = buf[j];
                if (c == '\n') {
                    return pos + j + 1;
                }
                if (c == '\r') {
                    long at = pos + j;
                    if (at + 1 >= size) {
                        return size;
                    }
                    byte after = j + 1 < got ? buf[j + 1] : peek(ch, at + 1);
                    return after == '\n' ? at + 2 : at + 1;
                }
            }
            pos += got;
        }
        return pos >= size ? size : -1;
    }

    private static byte peek(FileChannel ch, long at) throws IOException {
        byte[] one = new byte[1];
        return readFully(ch, at, one, 1) == 1 ? one[0] : 0;
    }

    /** Reads up to {@code len} bytes at {@code pos} into {@code b}; fewer only at the file's end. */
    static int readFully(FileChannel ch, long pos, byte[] b, int len) throws IOException {
        return readFully(ch, pos, b, 0, len);
    }

    /** Reads up to {@code len} bytes at {@code pos} into {@code b} from {@code off}; fewer only at the file's end. */
    static int readFully(FileChannel ch, long pos, byte[] b, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        int got = 0;
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos + got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got;
    }

    /** Thrown inside a piece whose read an earlier piece's error made pointless. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    /** One parallel read: the pieces, their parsers and their outcomes. */
    private static final class Run {
        private final FileChannel ch;
        private final String name;
        private final ReadOptions options;
        private final IdMap userIds;
        private final IdMap itemIds;
        private final long[] bounds;
        private final int threads;
        private final ProgressMeter meter;
        /** Ids not yet in the maps go to piece-local maps, merged in file order afterwards. */
        private final boolean localIds;
        private final RatingsReader.Parser[] parsers;
        private final Throwable[] failed;
        /** The lowest piece that failed so far (later pieces stop). */
        private final AtomicInteger firstFailed = new AtomicInteger(Integer.MAX_VALUE);
        /** The first piece parsed in parallel (the pieces before it knew their first line's number). */
        private int parallelFrom = Integer.MAX_VALUE;

        Run(FileChannel ch, String name, ReadOptions options, IdMap userIds, IdMap itemIds, long[] bounds,
            int threads, ProgressMeter meter) {
            this.ch = ch;
            this.name = name;
            this.options = options;
            this.userIds = userIds;
            this.itemIds = itemIds;
            this.bounds = bounds;
            this.threads = threads;
            this.meter = meter;
            this.localIds = !options.format().denseIds() && options.unknownIds() == UnknownIds.ADD;
            int pieces = bounds.length - 1;
            this.parsers = new RatingsReader.Parser[pieces];
            this.failed = new Throwable[pieces];
        }

        Ratings read() throws IOException {
            int pieces = parsers.length;
            // in order on this thread until a piece holds the first rating line
            int c = 0;
            long lines = 0;
            RatingsReader.Parser before = null;
            while (c < pieces && (before == null || before.expectedFields == 0) && firstFailed.get() == Integer.MAX_VALUE) {
                parsePiece(c, before, lines);
                if (parsers[c] != null) {
                    before = parsers[c];
                    lines += before.lineNo;
                }
                c++;
            }
            RatingsReader.Parser established = before;
            int first = c;
            parallelFrom = first;
            if (first < pieces && firstFailed.get() == Integer.MAX_VALUE) {
                forEach(pieces - first, t -> parsePiece(first + t, established, 0));
            }
            rethrowFirstFailure();
            return merge();
        }

        private void parsePiece(int c, RatingsReader.Parser before, long lineBase) {
            if (c > firstFailed.get()) {
                return;
            }
            long from = bounds[c];
            long to = bounds[c + 1];
            IdMap u = localIds ? new IdMap() : userIds;
            IdMap i = localIds ? new IdMap() : itemIds;
            try {
                RatingsReader.Parser p = new RatingsReader.Parser(new Piece(c, from, to), name, to - from, options,
                        u, i, from == 0);
                p.lineBase = lineBase;
                if (before != null) {
                    p.continueAfter(before);
                }
                p.parse();
                parsers[c] = p;
            } catch (Cancelled e) {
                // an earlier piece failed: its error is the one reported
            } catch (Throwable e) {
                failed[c] = e;
                firstFailed.accumulateAndGet(c, Math::min);
            }
        }

        /** Throws the first piece's failure (file order), its line number made the file's. */
        private void rethrowFirstFailure() throws IOException {
            int c = firstFailed.get();
            if (c == Integer.MAX_VALUE) {
                return;
            }
            Throwable e = failed[c];
            if (e instanceof DataFormatException d && d.line() > 0 && c >= parallelFrom) {
                // a parallel piece counted its lines from 1
                long base = 0;
                for (int j = 0; j < c; j++) {
                    base += parsers[j].lineNo;
                }
                String prefix = d.file() + ":" + d.line() + ": ";
                throw new DataFormatException(name, base + d.line(), d.getMessage().substring(prefix.length()));
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }

        private Ratings merge() {
            int pieces = parsers.length;
            long total = 0;
            long lines = 0;
            int skippedTotal = 0;
            int maxUser = -1;
            int maxItem = -1;
            int limit = Integer.MAX_VALUE - 16;
            for (RatingsReader.Parser p : parsers) {
                if (total + p.n > limit) {
                    throw new DataFormatException(name, lines + p.lineOf((int) (limit - total)),
                            "more than " + limit + " ratings in one file");
                }
                total += p.n;
                lines += p.lineNo;
                skippedTotal += p.numSkipped;
                maxUser = Math.max(maxUser, p.maxUser);
                maxItem = Math.max(maxItem, p.maxItem);
            }
            int n = (int) total;
            int[][] userTable = new int[pieces][];
            int[][] itemTable = new int[pieces][];
            if (localIds) {
                // piece by piece in file order: the shared maps see each id where the file first gives it
                for (int c = 0; c < pieces; c++) {
                    userTable[c] = addAll(userIds, parsers[c].userIdsOfPiece());
                    itemTable[c] = addAll(itemIds, parsers[c].itemIdsOfPiece());
                }
            }
            int[] users = new int[n];
            int[] items = new int[n];
            float[] values = new float[n];
            long[] skipped = new long[Math.max(8, skippedTotal)];
            int[] at = new int[pieces + 1];
            long base = 0;
            int s = 0;
            for (int c = 0; c < pieces; c++) {
                RatingsReader.Parser p = parsers[c];
                at[c + 1] = at[c] + p.n;
                for (int j = 0; j < p.numSkipped; j++) {
                    skipped[s++] = base + p.skipped[j];
                }
                base += p.lineNo;
            }
            forEach(pieces, c -> {
                RatingsReader.Parser p = parsers[c];
                copy(p.users, users, at[c], p.n, userTable[c]);
                copy(p.items, items, at[c], p.n, itemTable[c]);
                System.arraycopy(p.values, 0, values, at[c], p.n);
                parsers[c] = null;
            });
            RatingsReader.Parser all = new RatingsReader.Parser(InputStream.nullInputStream(), name, -1, options,
                    userIds, itemIds, false);
            all.users = users;
            all.items = items;
            all.values = values;
            all.n = n;
            all.skipped = skipped;
            all.numSkipped = s;
            all.lineNo = lines;
            if (options.format().denseIds()) {
                all.maxUser = Math.max(all.maxUser, maxUser);
                all.maxItem = Math.max(all.maxItem, maxItem);
            }
            if (n == 0) {
                throw new DataFormatException(name, "no ratings found");
            }
            return all.finish();
        }

        private static int[] addAll(IdMap shared, IdMap local) {
            int[] table = new int[local.size()];
            for (int j = 0; j < table.length; j++) {
                table[j] = shared.indexOf(local.externalId(j), true);
            }
            return table;
        }

        private static void copy(int[] from, int[] to, int at, int n, int[] table) {
            if (table == null) {
                System.arraycopy(from, 0, to, at, n);
                return;
            }
            for (int j = 0; j < n; j++) {
                to[at + j] = table[from[j]];
            }
        }

        /** Runs {@code task(0..count-1)} on up to {@link #threads} threads, this one included; rethrows an Error. */
        private void forEach(int count, IntConsumer task) {
            AtomicInteger next = new AtomicInteger();
            Throwable[] error = new Throwable[1];
            Runnable worker = () -> {
                for (int t; (t = next.getAndIncrement()) < count; ) {
                    try {
                        task.accept(t);
                    } catch (Throwable e) {
                        synchronized (error) {
                            if (error[0] == null) {
                                error[0] = e;
                            }
                        }
                    }
                }
            };
            int helpers = Math.min(threads, count) - 1;
            Thread[] ts = new Thread[Math.max(0, helpers)];
            for (int h = 0; h < ts.length; h++) {
                ts[h] = new Thread(worker, "lfm-read-" + (h + 1));
                ts[h].setDaemon(true);
                ts[h].start();
            }
            worker.run();
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading " + name, e);
                }
            }
            if (error[0] instanceof Error err) {
                throw err;
            }
            if (error[0] instanceof RuntimeException r) {
                throw r;
            }
        }

        /** Bytes [from, to) of the file by positional reads; stops with {@link Cancelled} once an earlier piece failed. */
        private final class Piece extends InputStream {
            private final int index;
            private long pos;
            private final long end;

            Piece(int index, long from, long to) {
                this.index = index;
                this.pos = from;
                this.end = to;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= end) {
                    return -1;
                }
                if (firstFailed.get() < index) {
                    throw new Cancelled();
                }
                int got = readFully(ch, pos, b, off, (int) Math.min(len, end - pos));
                if (got == 0) {
                    return -1;
                }
                pos += got;
                meter.add(got);
                return got;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
        }
    }
}
