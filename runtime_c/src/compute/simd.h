/* simd.h - helpers every *_simd.h kernel body shares, written once in the
 * vocabulary of simd_neon.h. Include it after one vocabulary header
 * (simd_avx2.h, simd_avx512.h or simd_neon.h). */
#ifndef MOTE_COMPUTE_SIMD_H
#define MOTE_COMPUTE_SIMD_H

/* Always inlined, so that constant arguments (a filter size, a stride, an op)
 * specialize the body at each call. */
#define MOTE_SIMD_INLINE static inline __attribute__((always_inline)) MOTE_SIMD_TARGET

/* mote_clamp_f32 lane-wise: v < lo ? lo : (v > hi ? hi : v), NaN kept. */
MOTE_SIMD_INLINE vf vf_clamp(vf v, vf lo, vf hi) { return vf_max(lo, vf_min(hi, v)); }

/* n <= VW floats; n is a constant VW at the calls of whole vectors. */
MOTE_SIMD_INLINE vf vf_load_part(const float *p, size_t n) {
    return n == VW ? vf_load(p) : vf_load_n(p, n);
}
MOTE_SIMD_INLINE void vf_store_part(float *p, vf v, size_t n) {
    if (n == VW)
        vf_store(p, v);
    else
        vf_store_n(p, v, n);
}

/* e^x within 2 ulp for x in [-87.3, 88.3] (Cephes expf: x = n ln 2 + r,
 * |r| <= ln 2 / 2, a degree-6 polynomial in r); x is clamped to that range
 * (so e^x is at least 2^-126 and finite), NaN stays NaN. */
MOTE_SIMD_INLINE vf vf_exp(vf x) {
    x = vf_clamp(x, vf_set1(-87.33654f), vf_set1(88.37626f));
    /* n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer */
    const vf n = vf_sub(vf_add(vf_mul(x, vf_set1(1.44269504088896341f)), vf_set1(12582912.0f)),
                        vf_set1(12582912.0f));
    /* ln 2 in two parts: n * 0.693359375 is exact, the rest is small */
    const vf r = vf_sub(vf_sub(x, vf_mul(n, vf_set1(0.693359375f))),
                        vf_mul(n, vf_set1(-2.12194440e-4f)));
    vf y = vf_set1(1.9875691500e-4f);
    y = vf_fma(y, r, vf_set1(1.3981999507e-3f));
    y = vf_fma(y, r, vf_set1(8.3334519073e-3f));
    y = vf_fma(y, r, vf_set1(4.1665795894e-2f));
    y = vf_fma(y, r, vf_set1(1.6666665459e-1f));
    y = vf_fma(y, r, vf_set1(5.0000001201e-1f));
    y = vf_add(vf_fma(y, vf_mul(r, r), r), vf_set1(1.0f));
    return vf_mul(y, vf_pow2(n));
}

#endif
