package dev.mote;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a .tflite model on Mote's C runtime, with the names of LiteRT's Java
 * {@code org.tensorflow.lite.Interpreter}:
 *
 * <pre>
 * try (Interpreter interpreter = new Interpreter(modelFile, new Interpreter.Options().setNumThreads(2))) {
 *     float[][][][] image = new float[1][8][8][1];
 *     float[][] scores = new float[1][10];
 *     interpreter.run(image, scores);
 * }
 * </pre>
 *
 * <p>The model bytes are used in place (a mapped file, or a direct ByteBuffer that this object
 * keeps alive; other buffers are copied once). The native bridge allocates the arena the runtime
 * asks for; {@link #close()} frees it.
 *
 * <p>Inputs and outputs are ByteBuffers holding the tensor's bytes in native order, or Java
 * arrays of any rank whose element type is {@link DataType#javaType()} (float[][] for a FLOAT32
 * [1, 10] tensor, byte[] for INT8 and UINT8). An input array whose shape differs from the
 * tensor's re-plans the interpreter for that shape ({@link #resizeInput}), as LiteRT does. An
 * output ByteBuffer gets the bytes at its position, which advances past them.
 *
 * <p>Errors: IllegalArgumentException for a bad model, index, type or size (a bad model's
 * exception carries the runtime's message, such as "op 3 (CONV_2D v1): input 0 'image': expected
 * FLOAT32, got INT16"), IllegalStateException for a failure while running and for any use after
 * close(). One interpreter runs one call at a time (its methods are synchronized); use one
 * interpreter per thread for parallel work.
 */
public final class Interpreter implements AutoCloseable {
    /** Options of an interpreter, as LiteRT's {@code Interpreter.Options}. */
    public static final class Options {
        private int numThreads = 1;

        /**
         * Splits each op's work over this many threads (the runtime's optional pthread pool);
         * the outputs are the same bytes for every count. -1 (LiteRT's "runtime's choice")
         * means 1.
         */
        public Options setNumThreads(int numThreads) {
            if (numThreads < 1 && numThreads != -1) {
                throw new IllegalArgumentException(
                        "numThreads must be >= 1 (or -1 for the default), got " + numThreads);
            }
            this.numThreads = Math.max(numThreads, 1);
            return this;
        }

        public int getNumThreads() {
            return numThreads;
        }
    }

    static {
        System.loadLibrary("mote_jni");
    }

    private static final Charset UTF_8 = Charset.forName("UTF-8");
    // Status codes of mote.h (mote_status), and the bridge's own for memory and threads.
    private static final int OK = 0;
    private static final int ERROR_RUNTIME = 5;
    private static final int ERROR_OUT_OF_MEMORY = 100;
    // nativeTensorInfo's fields: type, bytes, quantization count, quantized dimension, rank, dims.
    private static final int INFO_FIELDS = 5;
    private static final int MAX_DIMS = 6;

    private long handle;
    private ByteBuffer model; // read in place by the runtime: kept alive while the handle lives
    private final Map<Integer, int[]> inputShapes = new TreeMap<Integer, int[]>();
    private Tensor[] inputTensors;
    private Tensor[] outputTensors;
    private ByteBuffer scratch = ByteBuffer.allocateDirect(0);
    private Long lastInferenceNanos;

    public Interpreter(File modelFile) {
        this(modelFile, null);
    }

    public Interpreter(File modelFile, Options options) {
        this(mapFile(modelFile), options);
    }

    /** The model's bytes from the buffer's position to its limit. */
    public Interpreter(ByteBuffer model) {
        this(model, null);
    }

    public Interpreter(ByteBuffer model, Options options) {
        if (model == null) throw new IllegalArgumentException("the model ByteBuffer is null");
        int threads = options == null ? 1 : options.getNumThreads();
        this.model = model.isDirect() && model.hasRemaining() ? model : directCopy(model);
        handle = nativeNew();
        if (handle == 0) throw new OutOfMemoryError("could not allocate the interpreter's handle");
        try {
            check(nativeCreate(handle, this.model, this.model.position(), this.model.remaining(),
                    threads));
            refreshTensors();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Runs a one-input model: input 0 from `input`, output 0 into `output` (see the class
     * comment for the types they may have). */
    public void run(Object input, Object output) {
        runForMultipleInputsOutputs(
                new Object[] {input}, Collections.singletonMap(0, output));
    }

    /** Sets every input, invokes, and copies the outputs named in the map (index to buffer). */
    public synchronized void runForMultipleInputsOutputs(Object[] inputs,
            Map<Integer, Object> outputs) {
        checkOpen();
        if (inputs == null || inputs.length != inputTensors.length) {
            throw new IllegalArgumentException("the model has " + inputTensors.length
                    + " input(s), got " + (inputs == null ? "null" : inputs.length + ""));
        }
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("outputs must name at least one output");
        }
        for (Integer i : outputs.keySet()) outputTensor(i);
        resizeToArrayShapes(inputs);
        for (int i = 0; i < inputs.length; i++) setInput(i, inputs[i]);
        long start = System.nanoTime();
        check(nativeInvoke(handle));
        lastInferenceNanos = System.nanoTime() - start;
        for (Map.Entry<Integer, Object> e : outputs.entrySet()) getOutput(e.getKey(), e.getValue());
    }

    /**
     * Gives input i a new shape (a batch size, say): the runtime re-plans the arena at once and
     * every op derives its output shapes. The rank stays and every dim must be >= 1; a refused
     * shape leaves the interpreter as it was.
     */
    public synchronized void resizeInput(int inputIndex, int[] dims) {
        checkOpen();
        inputTensor(inputIndex);
        if (dims == null) throw new IllegalArgumentException("dims is null");
        Map<Integer, int[]> shapes = new TreeMap<Integer, int[]>(inputShapes);
        shapes.put(inputIndex, dims.clone());
        applyShapes(shapes);
    }

    public synchronized int getInputTensorCount() {
        checkOpen();
        return inputTensors.length;
    }

    public synchronized int getOutputTensorCount() {
        checkOpen();
        return outputTensors.length;
    }

    public synchronized Tensor getInputTensor(int inputIndex) {
        checkOpen();
        return inputTensor(inputIndex);
    }

    public synchronized Tensor getOutputTensor(int outputIndex) {
        checkOpen();
        return outputTensor(outputIndex);
    }

    /** Position of the input with this tensor name. */
    public synchronized int getInputIndex(String name) {
        checkOpen();
        return indexByName(inputTensors, name, "input");
    }

    /** Position of the output with this tensor name. */
    public synchronized int getOutputIndex(String name) {
        checkOpen();
        return indexByName(outputTensors, name, "output");
    }

    /** Nanoseconds of the last run's invoke (copies excluded); null before the first run. */
    public synchronized Long getLastNativeInferenceDurationNanoseconds() {
        checkOpen();
        return lastInferenceNanos;
    }

    /** Bytes of arena the model needs for the current shapes (what the bridge allocated). */
    public synchronized long getArenaBytes() {
        checkOpen();
        return nativeArenaBytes(handle);
    }

    /** Frees the arena, threads and native state; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (handle != 0) nativeDestroy(handle);
        handle = 0;
        model = null;
    }

    // -- inputs and outputs ---------------------------------------------------

    private void resizeToArrayShapes(Object[] inputs) {
        Map<Integer, int[]> shapes = new TreeMap<Integer, int[]>(inputShapes);
        boolean changed = false;
        for (int i = 0; i < inputs.length; i++) {
            if (!JavaArrays.isArray(inputs[i])) continue;
            int[] shape = JavaArrays.shapeOf(inputs[i]);
            if (!Arrays.equals(shape, inputTensors[i].shape())) {
                shapes.put(i, shape);
                changed = true;
            }
        }
        if (changed) applyShapes(shapes);
    }

    private void applyShapes(Map<Integer, int[]> shapes) {
        int[] inputs = new int[shapes.size()];
        int[] ranks = new int[shapes.size()];
        int total = 0;
        for (int[] dims : shapes.values()) total += dims.length;
        int[] dims = new int[total];
        int k = 0;
        int next = 0;
        for (Map.Entry<Integer, int[]> e : shapes.entrySet()) {
            inputs[k] = e.getKey();
            ranks[k++] = e.getValue().length;
            System.arraycopy(e.getValue(), 0, dims, next, e.getValue().length);
            next += e.getValue().length;
        }
        check(nativeResize(handle, inputs, ranks, dims));
        inputShapes.clear();
        inputShapes.putAll(shapes);
        refreshTensors();
    }

    private void setInput(int i, Object value) {
        Tensor t = inputTensors[i];
        if (value instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) value;
            ByteBuffer direct = b.isDirect() ? b : scratchWith(b.duplicate());
            check(nativeSetInput(handle, i, direct, direct.position(), direct.remaining()));
            return;
        }
        checkArrayType("input", i, t, value);
        ByteBuffer bytes = scratch(t.numBytes());
        JavaArrays.write(value, t.shape(), bytes);
        check(nativeSetInput(handle, i, bytes, 0, t.numBytes()));
    }

    private void getOutput(int i, Object dst) {
        Tensor t = outputTensors[i];
        if (dst instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) dst;
            if (b.remaining() < t.numBytes()) {
                throw new IllegalArgumentException("output " + i + " " + t + " holds "
                        + t.numBytes() + " bytes, the ByteBuffer has " + b.remaining()
                        + " remaining");
            }
            if (b.isDirect()) {
                check(nativeGetOutput(handle, i, b, b.position(), t.numBytes()));
                b.position(b.position() + t.numBytes());
            } else {
                ByteBuffer bytes = scratch(t.numBytes());
                check(nativeGetOutput(handle, i, bytes, 0, t.numBytes()));
                b.put(bytes);
            }
            return;
        }
        checkArrayType("output", i, t, dst);
        int[] shape = JavaArrays.shapeOf(dst);
        if (!Arrays.equals(shape, t.shape())) {
            throw new IllegalArgumentException("output " + i + " " + t
                    + " cannot be copied into a Java array of shape " + Arrays.toString(shape));
        }
        ByteBuffer bytes = scratch(t.numBytes());
        check(nativeGetOutput(handle, i, bytes, 0, t.numBytes()));
        JavaArrays.read(bytes, dst, shape);
    }

    private static void checkArrayType(String what, int i, Tensor t, Object value) {
        if (!JavaArrays.isArray(value)) {
            throw new IllegalArgumentException(what + " " + i + " " + t
                    + ": expected a ByteBuffer or an array, got "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        Class<?> element = JavaArrays.elementType(value);
        if (element != t.dataType().javaType()) {
            Class<?> expected = t.dataType().javaType();
            throw new IllegalArgumentException(what + " " + i + " " + t + ": expected "
                    + (expected == null ? "a ByteBuffer" : expected + " arrays") + ", got "
                    + element + " arrays");
        }
    }

    /** The scratch buffer, cleared, with room for `bytes`. */
    private ByteBuffer scratch(int bytes) {
        if (scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        scratch.clear();
        scratch.limit(bytes);
        return scratch;
    }

    private ByteBuffer scratchWith(ByteBuffer src) {
        ByteBuffer bytes = scratch(src.remaining());
        bytes.put(src);
        bytes.flip();
        return bytes;
    }

    // -- tensors --------------------------------------------------------------

    private Tensor inputTensor(int i) {
        if (i < 0 || i >= inputTensors.length) {
            throw new IllegalArgumentException(
                    "input " + i + " out of range [0, " + inputTensors.length + ")");
        }
        return inputTensors[i];
    }

    private Tensor outputTensor(Integer i) {
        if (i == null || i < 0 || i >= outputTensors.length) {
            throw new IllegalArgumentException(
                    "output " + i + " out of range [0, " + outputTensors.length + ")");
        }
        return outputTensors[i];
    }

    private static int indexByName(Tensor[] tensors, String name, String what) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].name().equals(name)) return i;
            names.append(i == 0 ? "'" : ", '").append(tensors[i].name()).append("'");
        }
        throw new IllegalArgumentException(
                "no " + what + " named '" + name + "'; the " + what + "s are " + names);
    }

    private void refreshTensors() {
        inputTensors = tensors(false, nativeInputCount(handle));
        outputTensors = tensors(true, nativeOutputCount(handle));
    }

    private Tensor[] tensors(boolean outputs, int count) {
        Tensor[] out = new Tensor[count];
        for (int i = 0; i < count; i++) out[i] = tensor(nativeTensorIndex(handle, outputs, i));
        return out;
    }

    private Tensor tensor(int index) {
        long[] info = new long[INFO_FIELDS + MAX_DIMS];
        check(nativeTensorInfo(handle, index, info));
        if (info[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + index + " holds " + info[1]
                    + " bytes, more than a Java buffer can");
        }
        int[] shape = new int[(int) info[4]];
        for (int d = 0; d < shape.length; d++) shape[d] = (int) info[INFO_FIELDS + d];
        float[] scale = new float[1];
        long[] zeroPoint = new long[1];
        if (info[2] == 1) check(nativeTensorQuantization(handle, index, scale, zeroPoint));
        return new Tensor(index, new String(nativeTensorName(handle, index), UTF_8),
                DataType.fromCode((int) info[0]), shape, (int) info[1],
                new Tensor.QuantizationParams(scale[0], (int) zeroPoint[0]));
    }

    // -- errors and set-up ----------------------------------------------------

    private void checkOpen() {
        if (handle == 0) throw new IllegalStateException("the Interpreter was closed");
    }

    /** Throws the exception for a failed native call, carrying the message it left. */
    private void check(int status) {
        if (status == OK) return;
        String message = new String(nativeMessage(handle), UTF_8);
        if (status == ERROR_OUT_OF_MEMORY) throw new OutOfMemoryError(message);
        if (status == ERROR_RUNTIME) throw new IllegalStateException(message);
        throw new IllegalArgumentException(message);
    }

    private static ByteBuffer mapFile(File file) {
        if (file == null) throw new IllegalArgumentException("the model File is null");
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            return f.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, f.length());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "could not read the model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A direct copy of the buffer's remaining bytes (at least one byte of capacity, so that
     * the native side gets an address even for an empty model). */
    private static ByteBuffer directCopy(ByteBuffer src) {
        ByteBuffer copy = ByteBuffer.allocateDirect(Math.max(src.remaining(), 1));
        copy.put(src.duplicate());
        copy.flip();
        return copy;
    }

    private static native long nativeNew();

    private static native void nativeDestroy(long handle);

    private static native byte[] nativeMessage(long handle);

    private static native int nativeCreate(long handle, ByteBuffer model, int offset, int bytes,
            int threads);

    private static native int nativeResize(long handle, int[] inputs, int[] ranks, int[] dims);

    private static native int nativeInputCount(long handle);

    private static native int nativeOutputCount(long handle);

    private static native int nativeTensorIndex(long handle, boolean output, int i);

    private static native int nativeTensorInfo(long handle, int tensor, long[] info);

    private static native byte[] nativeTensorName(long handle, int tensor);

    private static native int nativeTensorQuantization(long handle, int tensor, float[] scale,
            long[] zeroPoint);

    private static native long nativeArenaBytes(long handle);

    private static native int nativeSetInput(long handle, int i, ByteBuffer data, int offset,
            int bytes);

    private static native int nativeGetOutput(long handle, int i, ByteBuffer data, int offset,
            int bytes);

    private static native int nativeInvoke(long handle);
}
