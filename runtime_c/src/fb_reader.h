/* fb_reader.h - a bounds-checked flatbuffer reader.
 *
 * Every accessor checks the offsets it follows against the buffer before
 * reading, and reads through byte loads (no unaligned or type-punned access),
 * so any byte string, however corrupt, yields either values or `false`.
 * Positions are byte offsets from the start of the buffer; position 0 is
 * never a table, vector or string (the root offset lives there), so 0 also
 * means "absent".
 */
#ifndef MOTE_FB_READER_H
#define MOTE_FB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data;
    size_t size;
} fb_buffer;

typedef struct {
    size_t pos;        /* table start; 0 = absent */
    size_t vtable;
    uint16_t vtable_size;
    uint16_t table_size;
} fb_table;

typedef struct {
    size_t pos;        /* first element; 0 = absent (an empty vector) */
    uint32_t len;
} fb_vector;

static inline uint16_t fb_load_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t fb_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t fb_load_u64(const uint8_t *p) {
    return (uint64_t)fb_load_u32(p) | ((uint64_t)fb_load_u32(p + 4) << 32);
}
static inline int32_t fb_load_i32(const uint8_t *p) {
    uint32_t u = fb_load_u32(p);
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) + INT32_MIN;
}
static inline int64_t fb_load_i64(const uint8_t *p) {
    uint64_t u = fb_load_u64(p);
    return u <= INT64_MAX ? (int64_t)u : (int64_t)(u - 0x8000000000000000u) + INT64_MIN;
}
float mote_fb_load_f32(const uint8_t *p);

/* The root table; also checks the 4-byte file identifier when not NULL. */
bool mote_fb_root(const fb_buffer *b, const char *identifier, fb_table *out);
bool mote_fb_table_at(const fb_buffer *b, size_t pos, fb_table *out);

/* Position of a scalar field of `size` bytes, 0 when absent (use the default);
   false when the field runs past its table. */
bool mote_fb_field(const fb_buffer *b, const fb_table *t, int slot, size_t size, size_t *pos);

bool mote_fb_get_u8(const fb_buffer *b, const fb_table *t, int slot, uint8_t dflt, uint8_t *out);
bool mote_fb_get_i8(const fb_buffer *b, const fb_table *t, int slot, int8_t dflt, int8_t *out);
bool mote_fb_get_i32(const fb_buffer *b, const fb_table *t, int slot, int32_t dflt, int32_t *out);
bool mote_fb_get_u32(const fb_buffer *b, const fb_table *t, int slot, uint32_t dflt, uint32_t *out);
bool mote_fb_get_u64(const fb_buffer *b, const fb_table *t, int slot, uint64_t dflt, uint64_t *out);
bool mote_fb_get_f32(const fb_buffer *b, const fb_table *t, int slot, float dflt, float *out);

/* Sub-table: out->pos == 0 when absent. */
bool mote_fb_get_table(const fb_buffer *b, const fb_table *t, int slot, fb_table *out);
/* Vector of `elem_size`-byte elements: out->pos == 0, len == 0 when absent. */
bool mote_fb_get_vector(const fb_buffer *b, const fb_table *t, int slot, size_t elem_size,
                   fb_vector *out);
/* NUL-terminated string: *out == NULL when absent. */
bool mote_fb_get_string(const fb_buffer *b, const fb_table *t, int slot, const char **out);
/* Element i of a vector of tables. */
bool mote_fb_vector_table(const fb_buffer *b, const fb_vector *v, uint32_t i, fb_table *out);

static inline int32_t fb_vec_i32(const fb_buffer *b, const fb_vector *v, uint32_t i) {
    return fb_load_i32(b->data + v->pos + 4 * (size_t)i);
}
static inline int64_t fb_vec_i64(const fb_buffer *b, const fb_vector *v, uint32_t i) {
    return fb_load_i64(b->data + v->pos + 8 * (size_t)i);
}
static inline float fb_vec_f32(const fb_buffer *b, const fb_vector *v, uint32_t i) {
    return mote_fb_load_f32(b->data + v->pos + 4 * (size_t)i);
}

#endif
