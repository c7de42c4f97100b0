package dev.mote;

/** Tensor element types; the codes are TFLite's TensorType (and mote.h's mote_type). */
public enum DataType {
    FLOAT32(0, 4, float.class),
    FLOAT16(1, 2, null),
    INT32(2, 4, int.class),
    UINT8(3, 1, byte.class),
    INT64(4, 8, long.class),
    BOOL(6, 1, boolean.class),
    INT16(7, 2, short.class),
    INT8(9, 1, byte.class),
    FLOAT64(10, 8, double.class);

    private final int code;
    private final int byteSize;
    private final Class<?> javaType;

    DataType(int code, int byteSize, Class<?> javaType) {
        this.code = code;
        this.byteSize = byteSize;
        this.javaType = javaType;
    }

    /** Bytes of one element. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The element type of Java arrays that hold this type's data (byte for INT8 and UINT8), or
     * null for FLOAT16, which Java has none for: pass its raw bytes in a ByteBuffer.
     */
    public Class<?> javaType() {
        return javaType;
    }

    static DataType fromCode(int code) {
        for (DataType t : values()) {
            if (t.code == code) return t;
        }
        throw new IllegalArgumentException("unknown tensor type code " + code);
    }
}
