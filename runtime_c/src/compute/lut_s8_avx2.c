/* 256-entry byte table lookups for AVX2 (lut_s8.h) and the LOGISTIC / TANH /
 * ... and HARD_SWISH int8 variants that use them.
 *
 * vpshufb looks up 16 entries by the low 4 bits of each index byte, and gives
 * 0 where the byte's top bit is set. Inputs 0..127 (as bytes) run a chain over
 * the table rows 0..7: the index x, then x - 16, x - 32, ... (saturating), is
 * non-negative for the rows k <= x / 16 only, so XOR-ing row k's entries with
 * row k-1's (row 0 as it is) leaves row x / 16's entry once the chain is
 * XOR-ed together; negative inputs (entries 128..255) give 0 in that chain
 * and run the same one over rows 8..15 with the index x ^ 0x80. */
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "activations.h"
#include "hard_swish.h"
#include "lut_s8.h"

#define AVX2 __attribute__((target("avx2")))

AVX2 void mote_lut_s8_avx2(const int8_t *table, const int8_t *input, int8_t *output, size_t n) {
    __m256i rows[16];
    for (int k = 0; k < 16; k++) {
        __m128i r = _mm_loadu_si128((const __m128i *)(const void *)(table + 16 * k));
        if (k % 8)
            r = _mm_xor_si128(r, _mm_loadu_si128((const __m128i *)(const void *)(table +
                                                                                   16 * (k - 1))));
        rows[k] = _mm256_broadcastsi128_si256(r);
    }
    const __m256i step = _mm256_set1_epi8(16), top = _mm256_set1_epi8((char)0x80);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(input + i));
        __m256i b = _mm256_xor_si256(a, top);
        __m256i y = _mm256_xor_si256(_mm256_shuffle_epi8(rows[0], a),
                                     _mm256_shuffle_epi8(rows[8], b));
        for (int k = 1; k < 8; k++) {
            a = _mm256_subs_epi8(a, step);
            b = _mm256_subs_epi8(b, step);
            y = _mm256_xor_si256(y, _mm256_xor_si256(_mm256_shuffle_epi8(rows[k], a),
                                                     _mm256_shuffle_epi8(rows[k + 8], b)));
        }
        _mm256_storeu_si256((__m256i *)(void *)(output + i), y);
    }
    for (; i < n; i++) output[i] = table[(uint8_t)input[i]];
}

void mote_lookup_s8_avx2(const mote_activation_params *p, const int8_t *input, int8_t *output,
                         size_t begin, size_t end) {
    mote_lut_s8_avx2(p->table, input + begin, output + begin, end - begin);
}

void mote_hard_swish_s8_lut_avx2(const mote_hard_swish_params *p, const int8_t *input,
                                 int8_t *output, size_t begin, size_t end) {
    mote_lut_s8_avx2(p->table, input + begin, output + begin, end - begin);
}
#endif
