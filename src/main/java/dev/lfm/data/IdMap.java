package dev.lfm.data;

import java.util.Arrays;

/**
 * Maps the ids found in a rating file (arbitrary non-negative longs) to dense 0-based indices
 * and back. Primitive open addressing; no object per id.
 */
public final class IdMap {
    private long[] keys;
    private int[] slots;
    private long[] external;
    private int size;

    public IdMap() {
        this(1024);
    }

    public IdMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        slots = new int[cap];
        Arrays.fill(slots, -1);
        external = new long[Math.max(16, expected)];
    }

    /** An identity map 0..n-1 (synthetic data, LIBMF files). */
    public static IdMap identity(int n) {
        IdMap m = new IdMap(n);
        for (int i = 0; i < n; i++) {
            m.indexOf(i, true);
        }
        return m;
    }

    /** A map holding {@code ids} in order: {@code ids[j]} gets index j (ids must be distinct). */
    public static IdMap of(long[] ids) {
        IdMap m = new IdMap(Math.max(1, ids.length));
        for (long id : ids) {
            if (m.indexOf(id, true) != m.size() - 1) {
                throw new IllegalArgumentException("duplicate id " + id);
            }
        }
        return m;
    }

    /** The file ids by dense index (a copy). */
    public long[] toArray() {
        return Arrays.copyOf(external, size);
    }

    /** True when every index j maps to id j (synthetic data, LIBMF files). */
    public boolean isIdentity() {
        for (int j = 0; j < size; j++) {
            if (external[j] != j) {
                return false;
            }
        }
        return true;
    }

    /** Dense index of {@code id}, adding it when {@code add}; -1 when absent and not added. */
    public int indexOf(long id, boolean add) {
        int mask = keys.length - 1;
        int h = mix(id) & mask;
        while (slots[h] >= 0) {
            if (keys[h] == id) {
                return slots[h];
            }
            h = (h + 1) & mask;
        }
        if (!add) {
            return -1;
        }
        if (size == external.length) {
            external = Arrays.copyOf(external, external.length * 2);
        }
        external[size] = id;
        keys[h] = id;
        slots[h] = size;
        size++;
        if (size * 2 > keys.length) {
            rehash();
        }
        return size - 1;
    }

    /** Dense index of an id that must be present; -1 otherwise. */
    public int indexOf(long id) {
        return indexOf(id, false);
    }

    public int add(long id) {
        return indexOf(id, true);
    }

    /** The file's id for a dense index. */
    public long externalId(int index) {
        return external[index];
    }

    public int size() {
        return size;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        Arrays.fill(slots, -1);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldSlots[j] >= 0) {
                int h = mix(oldKeys[j]) & mask;
                while (slots[h] >= 0) {
                    h = (h + 1) & mask;
                }
                keys[h] = oldKeys[j];
                slots[h] = oldSlots[j];
            }
        }
    }

    private static int mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) x;
    }
}
