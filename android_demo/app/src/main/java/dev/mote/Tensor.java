package dev.mote;

import java.util.Arrays;

/**
 * A model input or output as the interpreter has planned it: name, type, shape, size and
 * quantization (the names of LiteRT's {@code org.tensorflow.lite.Tensor}). It is a snapshot:
 * after {@link Interpreter#resizeInput} ask the interpreter for the tensor again.
 */
public final class Tensor {
    /** real = scale * (q - zeroPoint); scale 0 for a tensor that is not quantized per tensor. */
    public static final class QuantizationParams {
        private final float scale;
        private final int zeroPoint;

        public QuantizationParams(float scale, int zeroPoint) {
            this.scale = scale;
            this.zeroPoint = zeroPoint;
        }

        public float getScale() {
            return scale;
        }

        public int getZeroPoint() {
            return zeroPoint;
        }
    }

    private final int index;
    private final String name;
    private final DataType dataType;
    private final int[] shape;
    private final int numBytes;
    private final QuantizationParams quantizationParams;

    Tensor(int index, String name, DataType dataType, int[] shape, int numBytes,
            QuantizationParams quantizationParams) {
        this.index = index;
        this.name = name;
        this.dataType = dataType;
        this.shape = shape;
        this.numBytes = numBytes;
        this.quantizationParams = quantizationParams;
    }

    /** The tensor's index in the model. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public DataType dataType() {
        return dataType;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int numDimensions() {
        return shape.length;
    }

    public int numElements() {
        return numBytes / dataType.byteSize();
    }

    public int numBytes() {
        return numBytes;
    }

    public QuantizationParams quantizationParams() {
        return quantizationParams;
    }

    @Override
    public String toString() {
        return "'" + name + "' " + Arrays.toString(shape) + " " + dataType;
    }
}
