package dev.mote.hosttest;

import dev.mote.DataType;
import dev.mote.Interpreter;
import dev.mote.Tensor;
import dev.mote.demo.Digits;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Drives dev.mote.Interpreter on the host for tests/test_jni.py. Reads commands from stdin, one
 * per line, fields separated by tabs; the first field is the case id, the second the command.
 * Every line printed starts with the case id. A command that throws prints
 * "ID error CLASS MESSAGE" and the next command runs: only a crash stops the JVM.
 *
 *   ID run MODEL LOAD THREADS IO RESIZE OUTDIR IN...   run a model on raw input files
 *       LOAD file (Interpreter(File)), heap (a heap ByteBuffer), unaligned (a direct
 *       ByteBuffer whose bytes start at an odd address); IO buffer (direct ByteBuffers),
 *       heapbuffer (heap ByteBuffers), array (Java arrays of the tensor's shape and type) or
 *       autoresize (arrays, input INPUT shaped by RESIZE, which the run must re-plan for);
 *       RESIZE "-" or "INPUT:D0,D1,..." (resizeInput first). Prints each tensor, writes
 *       OUTDIR/out_I.bin, prints "ok ARENA_BYTES".
 *   ID digit MODEL PNG OUTDIR     the activity's path: PNG pixels, Digits, run; writes the
 *       model input and the scores, prints "label N"
 *   ID create MODEL               prints "ok" or the error
 *   ID input-bytes MODEL N        runs with an N-byte direct ByteBuffer as input 0
 *   ID call MODEL WHAT            one call that should fail: see call()
 *   ID lifecycle MODEL            close() twice, then uses after close
 */
public final class JniHarness {
    private JniHarness() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t");
            try {
                command(f);
            } catch (Exception e) {
                print(f[0], "error " + e.getClass().getName() + " " + e.getMessage());
            }
        }
    }

    private static void print(String id, String text) {
        System.out.println(id + " " + text.replace("\n", "\\n"));
    }

    private static void command(String[] f) throws IOException {
        String id = f[0];
        switch (f[1]) {
            case "run":
                run(id, f);
                break;
            case "digit":
                digit(id, f[2], f[3], f[4]);
                break;
            case "create":
                new Interpreter(new File(f[2])).close();
                print(id, "ok");
                break;
            case "input-bytes":
                try (Interpreter it = new Interpreter(new File(f[2]))) {
                    ByteBuffer input = ByteBuffer.allocateDirect(Integer.parseInt(f[3]));
                    ByteBuffer output = ByteBuffer.allocateDirect(it.getOutputTensor(0).numBytes());
                    it.run(input, output);
                    print(id, "ok");
                }
                break;
            case "call":
                try (Interpreter it = new Interpreter(new File(f[2]))) {
                    call(it, f[3]);
                    print(id, "ok");
                }
                break;
            case "lifecycle":
                lifecycle(id, f[2]);
                break;
            default:
                throw new IllegalArgumentException("unknown command " + f[1]);
        }
    }

    private static Interpreter open(String path, String load, int threads) throws IOException {
        Interpreter.Options options = new Interpreter.Options().setNumThreads(threads);
        byte[] bytes = Files.readAllBytes(Paths.get(path));
        switch (load) {
            case "file":
                return new Interpreter(new File(path), options);
            case "heap":
                return new Interpreter(ByteBuffer.wrap(bytes), options);
            case "unaligned": {
                ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 32);
                // allocateDirect's address is at least 8-byte aligned: start one byte past
                // a 16-byte boundary whatever it is.
                int skip = 1;
                while (!isAtOddAddress(direct, skip)) skip++;
                direct.position(skip);
                direct.put(bytes);
                direct.position(skip);
                direct.limit(skip + bytes.length);
                return new Interpreter(direct, options);
            }
            default:
                throw new IllegalArgumentException("unknown load " + load);
        }
    }

    /** Whether byte `skip` of a direct buffer sits at an odd address (position-relative
     * alignment of its long view tells, without the address). */
    private static boolean isAtOddAddress(ByteBuffer direct, int skip) {
        ByteBuffer b = direct.duplicate();
        b.position(skip);
        return b.slice().alignmentOffset(0, 2) != 0;
    }

    private static void run(String id, String[] f) throws IOException {
        String io = f[5];
        Path outDir = Paths.get(f[7]);
        try (Interpreter it = open(f[2], f[3], Integer.parseInt(f[4]))) {
            int reshaped = -1;
            int[] dims = null;
            if (!f[6].equals("-")) {
                String[] parts = f[6].split(":");
                String[] d = parts[1].split(",");
                reshaped = Integer.parseInt(parts[0]);
                dims = new int[d.length];
                for (int i = 0; i < d.length; i++) dims[i] = Integer.parseInt(d[i]);
                if (!io.equals("autoresize")) it.resizeInput(reshaped, dims);
            }
            Object[] inputs = new Object[it.getInputTensorCount()];
            for (int i = 0; i < inputs.length; i++) {
                Tensor t = it.getInputTensor(i);
                byte[] bytes = Files.readAllBytes(Paths.get(f[8 + i]));
                inputs[i] = wrap(bytes, t.dataType(), i == reshaped ? dims : t.shape(), io);
            }
            Map<Integer, Object> outputs = new HashMap<Integer, Object>();
            for (int i = 0; i < it.getOutputTensorCount(); i++) {
                Tensor t = it.getOutputTensor(i);
                // autoresize: the output shapes are known only after the run re-plans.
                outputs.put(i, io.equals("autoresize")
                        ? ByteBuffer.allocateDirect(1 << 16)
                        : wrap(new byte[t.numBytes()], t.dataType(), t.shape(), io));
            }
            if (inputs.length == 1 && outputs.size() == 1) {
                it.run(inputs[0], outputs.get(0));
            } else {
                it.runForMultipleInputsOutputs(inputs, outputs);
            }
            for (int i = 0; i < inputs.length; i++) describe(id, "input", i, it.getInputTensor(i));
            for (int i = 0; i < outputs.size(); i++) {
                Tensor t = it.getOutputTensor(i);
                describe(id, "output", i, t);
                Files.write(outDir.resolve("out_" + i + ".bin"), unwrap(outputs.get(i), t, io));
            }
            print(id, "ok " + it.getArenaBytes());
        }
    }

    private static void describe(String id, String what, int i, Tensor t) {
        print(id, "tensor " + what + " " + i + " " + t.dataType() + " "
                + Arrays.toString(t.shape()).replace(" ", "") + " " + t.numBytes() + " "
                + t.numElements() + " " + t.quantizationParams().getScale() + " "
                + t.quantizationParams().getZeroPoint() + " " + t.name());
    }

    /** Tensor bytes as the run's IO kind. */
    private static Object wrap(byte[] bytes, DataType type, int[] shape, String io) {
        switch (io) {
            case "buffer": {
                ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
                b.put(bytes);
                b.rewind();
                return b;
            }
            case "heapbuffer":
                return ByteBuffer.wrap(bytes.clone()).order(ByteOrder.nativeOrder());
            case "array":
            case "autoresize": {
                Object array = Array.newInstance(type.javaType(), shape);
                fill(array, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), type);
                return array;
            }
            default:
                throw new IllegalArgumentException("unknown io " + io);
        }
    }

    private static byte[] unwrap(Object value, Tensor t, String io) {
        ByteBuffer b = ByteBuffer.allocate(t.numBytes()).order(ByteOrder.nativeOrder());
        if (value instanceof ByteBuffer) {
            ByteBuffer out = (ByteBuffer) value;
            if (out.position() != t.numBytes()) {
                throw new IllegalStateException("the output buffer's position is "
                        + out.position() + ", not past the " + t.numBytes() + " bytes");
            }
            out.flip();
            b.put(out);
        } else {
            drain(value, b, t.dataType());
        }
        return b.array();
    }

    /** Element by element, independent of the library's own bulk copies. */
    private static void fill(Object array, ByteBuffer src, DataType type) {
        for (int i = 0; i < Array.getLength(array); i++) {
            Object e = Array.get(array, i);
            if (e != null && e.getClass().isArray()) {
                fill(e, src, type);
                continue;
            }
            switch (type) {
                case FLOAT32: Array.setFloat(array, i, src.getFloat()); break;
                case INT32: Array.setInt(array, i, src.getInt()); break;
                case INT64: Array.setLong(array, i, src.getLong()); break;
                case INT16: Array.setShort(array, i, src.getShort()); break;
                case FLOAT64: Array.setDouble(array, i, src.getDouble()); break;
                case BOOL: Array.setBoolean(array, i, src.get() != 0); break;
                default: Array.setByte(array, i, src.get()); break;
            }
        }
    }

    private static void drain(Object array, ByteBuffer dst, DataType type) {
        for (int i = 0; i < Array.getLength(array); i++) {
            Object e = Array.get(array, i);
            if (e.getClass().isArray()) {
                drain(e, dst, type);
                continue;
            }
            switch (type) {
                case FLOAT32: dst.putFloat(Array.getFloat(array, i)); break;
                case INT32: dst.putInt(Array.getInt(array, i)); break;
                case INT64: dst.putLong(Array.getLong(array, i)); break;
                case INT16: dst.putShort(Array.getShort(array, i)); break;
                case FLOAT64: dst.putDouble(Array.getDouble(array, i)); break;
                case BOOL: dst.put((byte) (Array.getBoolean(array, i) ? 1 : 0)); break;
                default: dst.put(Array.getByte(array, i)); break;
            }
        }
    }

    private static void digit(String id, String model, String png, String outDir)
            throws IOException {
        BufferedImage image = ImageIO.read(new File(png));
        int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0,
                image.getWidth());
        float[][][][] input = Digits.toModelInput(argb);
        float[][] scores = new float[1][10];
        try (Interpreter it = new Interpreter(new File(model))) {
            it.run(input, scores);
            ByteBuffer in = ByteBuffer.allocate(4 * 64).order(ByteOrder.nativeOrder());
            drain(input, in, DataType.FLOAT32);
            ByteBuffer out = ByteBuffer.allocate(4 * 10).order(ByteOrder.nativeOrder());
            drain(scores, out, DataType.FLOAT32);
            Files.write(Paths.get(outDir, "digit_input.bin"), in.array());
            Files.write(Paths.get(outDir, "digit_scores.bin"), out.array());
            print(id, "label " + Digits.argmax(scores[0]) + " nanos "
                    + it.getLastNativeInferenceDurationNanoseconds());
        }
    }

    /** Calls that must fail with IllegalArgumentException, on a [1, 8, 8, 1] -> [1, 10] model. */
    private static void call(Interpreter it, String what) {
        float[][][][] image = new float[1][8][8][1];
        switch (what) {
            case "flat-input": // rank 1 for a rank-4 input: the runtime refuses the resize
                it.run(new float[64], new float[1][10]);
                break;
            case "int-input":
                it.run(new int[1][8][8][1], new float[1][10]);
                break;
            case "output-shape":
                it.run(image, new float[10]);
                break;
            case "short-output-buffer":
                it.run(image, ByteBuffer.allocateDirect(39));
                break;
            case "jagged-input":
                it.run(new float[][][][] {{new float[8][1], new float[7][1], new float[8][1],
                        new float[8][1], new float[8][1], new float[8][1], new float[8][1],
                        new float[8][1]}}, new float[1][10]);
                break;
            case "input-index":
                it.getInputTensor(1);
                break;
            case "output-index": {
                Map<Integer, Object> outputs = new HashMap<Integer, Object>();
                outputs.put(3, new float[1][10]);
                it.runForMultipleInputsOutputs(new Object[] {image}, outputs);
                break;
            }
            case "two-inputs":
                it.runForMultipleInputsOutputs(new Object[] {image, image},
                        java.util.Collections.<Integer, Object>singletonMap(0, new float[1][10]));
                break;
            case "resize-zero":
                it.resizeInput(0, new int[] {0, 8, 8, 1});
                break;
            case "input-name":
                it.getInputIndex("no such input");
                break;
            default:
                throw new IllegalStateException("unknown call " + what);
        }
    }

    private static void lifecycle(String id, String model) {
        Interpreter it = new Interpreter(new File(model));
        it.close();
        it.close();
        print(id, "closed twice");
        Runnable[] uses = {
            () -> it.run(new float[1][8][8][1], new float[1][10]),
            () -> it.getInputTensor(0),
            () -> it.getInputTensorCount(),
            () -> it.resizeInput(0, new int[] {2, 8, 8, 1}),
            () -> it.getArenaBytes(),
        };
        for (Runnable use : uses) {
            try {
                use.run();
                print(id, "use after close: no exception");
            } catch (RuntimeException e) {
                print(id, "use after close: " + e.getClass().getName() + " " + e.getMessage());
            }
        }
    }
}
