package dev.mote.demo;

import android.app.Activity;
import android.content.res.AssetFileDescriptor;
import android.graphics.Bitmap;
import android.graphics.BitmapFactory;
import android.os.Bundle;
import android.widget.ImageView;
import android.widget.TextView;
import dev.mote.Interpreter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Classifies the bundled digit with the bundled int8 model and shows the label, the invoke time
 * (best of RUNS) and the arena the model needs. The model is tiny, so it runs on the UI thread.
 */
public final class MainActivity extends Activity {
    private static final String MODEL = "small_cnn_int8.tflite";
    private static final String IMAGE = "digit.png";
    private static final int RUNS = 20;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        setContentView(R.layout.activity_main);
        ImageView imageView = (ImageView) findViewById(R.id.digit);
        TextView resultView = (TextView) findViewById(R.id.result);
        try {
            Bitmap digit = loadBitmap(IMAGE);
            imageView.setImageBitmap(Bitmap.createScaledBitmap(digit, 256, 256, false));
            int[] argb = new int[digit.getWidth() * digit.getHeight()];
            digit.getPixels(argb, 0, digit.getWidth(), 0, 0, digit.getWidth(), digit.getHeight());
            float[][][][] input = Digits.toModelInput(argb);
            float[][] scores = new float[1][10];
            try (Interpreter interpreter = new Interpreter(mapAsset(MODEL))) {
                long best = Long.MAX_VALUE;
                for (int i = 0; i < RUNS; i++) {
                    interpreter.run(input, scores);
                    best = Math.min(best, interpreter.getLastNativeInferenceDurationNanoseconds());
                }
                resultView.setText(getString(R.string.result, Digits.argmax(scores[0]),
                        best / 1000.0, RUNS, interpreter.getArenaBytes()));
            }
        } catch (IOException | RuntimeException e) {
            resultView.setText(getString(R.string.failed, e.getMessage()));
        }
    }

    private Bitmap loadBitmap(String asset) throws IOException {
        try (InputStream in = getAssets().open(asset)) {
            Bitmap bitmap = BitmapFactory.decodeStream(in);
            if (bitmap == null) throw new IOException(asset + " is not an image");
            return bitmap;
        }
    }

    /** The model mapped in place from the APK (stored uncompressed: see build.gradle.kts). */
    private ByteBuffer mapAsset(String asset) throws IOException {
        try (AssetFileDescriptor fd = getAssets().openFd(asset);
                FileInputStream in = fd.createInputStream()) {
            return in.getChannel().map(
                    FileChannel.MapMode.READ_ONLY, fd.getStartOffset(), fd.getDeclaredLength());
        }
    }
}
