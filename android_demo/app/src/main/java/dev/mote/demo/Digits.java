package dev.mote.demo;

/**
 * The demo's pixels-to-model step, free of Android classes so that the host tests run it: an 8x8
 * digit drawn dark on white (assets/digit.png) becomes the zoo models' input, scikit-learn's
 * intensities 0..16 divided by 16. The PNG stores intensity v as gray 255 - round(v * 255 / 16)
 * (android_demo/make_assets.py); the steps are 16 grays apart, so rounding inverts it exactly.
 */
public final class Digits {
    public static final int SIZE = 8;

    private Digits() {}

    /** ARGB pixels of an 8x8 image, row by row, to the model input [1, 8, 8, 1]. */
    public static float[][][][] toModelInput(int[] argb) {
        if (argb.length != SIZE * SIZE) {
            throw new IllegalArgumentException(
                    "expected " + SIZE + "x" + SIZE + " pixels, got " + argb.length);
        }
        float[][][][] input = new float[1][SIZE][SIZE][1];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int gray = (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff)) / 3;
            int intensity = Math.round((255 - gray) * 16 / 255f);
            input[0][i / SIZE][i % SIZE][0] = intensity / 16f;
        }
        return input;
    }

    /** The class with the highest score. */
    public static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) best = i;
        }
        return best;
    }
}
