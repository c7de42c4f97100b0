package dev.mote;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies between Java arrays of any rank (float[][][][], byte[], ...) and tensor bytes in native
 * order. An array's shape is read along its first elements; the copy checks that every row has
 * that length.
 */
final class JavaArrays {
    private JavaArrays() {}

    static boolean isArray(Object o) {
        return o != null && o.getClass().isArray();
    }

    /** The primitive element type of a (nested) array. */
    static Class<?> elementType(Object array) {
        Class<?> c = array.getClass();
        while (c.isArray()) c = c.getComponentType();
        return c;
    }

    static int[] shapeOf(Object array) {
        List<Integer> dims = new ArrayList<Integer>();
        Object level = array;
        while (level != null && level.getClass().isArray()) {
            int n = Array.getLength(level);
            dims.add(n);
            level = n > 0 ? Array.get(level, 0) : null;
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = dims.get(i);
        return shape;
    }

    /** Writes the array's elements, in row-major order, at dst's position (advancing it). */
    static void write(Object array, int[] shape, ByteBuffer dst) {
        walk(array, shape, 0, dst, true);
    }

    /** Fills the array from src's position (advancing it). */
    static void read(ByteBuffer src, Object array, int[] shape) {
        walk(array, shape, 0, src, false);
    }

    private static void walk(Object array, int[] shape, int level, ByteBuffer bytes,
            boolean toBytes) {
        int n = Array.getLength(array);
        if (n != shape[level]) {
            throw new IllegalArgumentException("the array is not rectangular: a row at depth "
                    + level + " has " + n + " elements, the first has " + shape[level]);
        }
        if (level < shape.length - 1) {
            for (int i = 0; i < n; i++) walk(Array.get(array, i), shape, level + 1, bytes, toBytes);
        } else if (toBytes) {
            put(array, bytes);
        } else {
            get(bytes, array);
        }
    }

    private static void put(Object row, ByteBuffer dst) {
        int start = dst.position();
        if (row instanceof float[]) {
            float[] a = (float[]) row;
            dst.asFloatBuffer().put(a);
            dst.position(start + 4 * a.length);
        } else if (row instanceof int[]) {
            int[] a = (int[]) row;
            dst.asIntBuffer().put(a);
            dst.position(start + 4 * a.length);
        } else if (row instanceof long[]) {
            long[] a = (long[]) row;
            dst.asLongBuffer().put(a);
            dst.position(start + 8 * a.length);
        } else if (row instanceof short[]) {
            short[] a = (short[]) row;
            dst.asShortBuffer().put(a);
            dst.position(start + 2 * a.length);
        } else if (row instanceof double[]) {
            double[] a = (double[]) row;
            dst.asDoubleBuffer().put(a);
            dst.position(start + 8 * a.length);
        } else if (row instanceof byte[]) {
            dst.put((byte[]) row);
        } else if (row instanceof boolean[]) {
            for (boolean b : (boolean[]) row) dst.put((byte) (b ? 1 : 0));
        } else {
            throw new IllegalArgumentException("unsupported array type " + row.getClass());
        }
    }

    private static void get(ByteBuffer src, Object row) {
        int start = src.position();
        if (row instanceof float[]) {
            float[] a = (float[]) row;
            src.asFloatBuffer().get(a);
            src.position(start + 4 * a.length);
        } else if (row instanceof int[]) {
            int[] a = (int[]) row;
            src.asIntBuffer().get(a);
            src.position(start + 4 * a.length);
        } else if (row instanceof long[]) {
            long[] a = (long[]) row;
            src.asLongBuffer().get(a);
            src.position(start + 8 * a.length);
        } else if (row instanceof short[]) {
            short[] a = (short[]) row;
            src.asShortBuffer().get(a);
            src.position(start + 2 * a.length);
        } else if (row instanceof double[]) {
            double[] a = (double[]) row;
            src.asDoubleBuffer().get(a);
            src.position(start + 8 * a.length);
        } else if (row instanceof byte[]) {
            src.get((byte[]) row);
        } else if (row instanceof boolean[]) {
            boolean[] a = (boolean[]) row;
            for (int i = 0; i < a.length; i++) a[i] = src.get() != 0;
        } else {
            throw new IllegalArgumentException("unsupported array type " + row.getClass());
        }
    }
}
