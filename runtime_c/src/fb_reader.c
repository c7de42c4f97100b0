#include "fb_reader.h"

#include <string.h>

float mote_fb_load_f32(const uint8_t *p) {
    uint32_t u = fb_load_u32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

bool mote_fb_table_at(const fb_buffer *b, size_t pos, fb_table *out) {
    memset(out, 0, sizeof *out);
    if (pos == 0 || pos > b->size || b->size - pos < 4) return false;
    /* The table starts with a signed offset back to its vtable. */
    int64_t vt = (int64_t)pos - (int64_t)fb_load_i32(b->data + pos);
    if (vt < 0 || (uint64_t)vt > b->size || b->size - (size_t)vt < 4) return false;
    uint16_t vt_size = fb_load_u16(b->data + vt);
    uint16_t t_size = fb_load_u16(b->data + vt + 2);
    if (vt_size < 4 || (vt_size & 1) || b->size - (size_t)vt < vt_size) return false;
    if (t_size < 4 || b->size - pos < t_size) return false;
    out->pos = pos;
    out->vtable = (size_t)vt;
    out->vtable_size = vt_size;
    out->table_size = t_size;
    return true;
}

bool mote_fb_root(const fb_buffer *b, const char *identifier, fb_table *out) {
    memset(out, 0, sizeof *out);
    if (b->data == NULL || b->size < 8) return false;
    if (identifier && memcmp(b->data + 4, identifier, 4) != 0) return false;
    return mote_fb_table_at(b, fb_load_u32(b->data), out);
}

bool mote_fb_field(const fb_buffer *b, const fb_table *t, int slot, size_t size, size_t *pos) {
    *pos = 0;
    if (t->pos == 0) return true;
    size_t entry = 4 + 2 * (size_t)slot;
    if (entry + 2 > t->vtable_size) return true;           /* older writer: absent */
    uint16_t off = fb_load_u16(b->data + t->vtable + entry);
    if (off == 0) return true;
    if (off < 4 || (size_t)off + size > t->table_size) return false;
    *pos = t->pos + off;
    return true;
}

#define FB_GET_SCALAR(fn, type, size, load)                                            \
    bool fn(const fb_buffer *b, const fb_table *t, int slot, type dflt, type *out) {     \
        size_t p;                                                                      \
        *out = dflt;                                                                   \
        if (!mote_fb_field(b, t, slot, size, &p)) return false;                             \
        if (p) *out = (type)(load);                                                    \
        return true;                                                                   \
    }
FB_GET_SCALAR(mote_fb_get_u8, uint8_t, 1, b->data[p])
FB_GET_SCALAR(mote_fb_get_i8, int8_t, 1,
              (b->data[p] < 128 ? (int)b->data[p] : (int)b->data[p] - 256))
FB_GET_SCALAR(mote_fb_get_i32, int32_t, 4, fb_load_i32(b->data + p))
FB_GET_SCALAR(mote_fb_get_u32, uint32_t, 4, fb_load_u32(b->data + p))
FB_GET_SCALAR(mote_fb_get_u64, uint64_t, 8, fb_load_u64(b->data + p))
FB_GET_SCALAR(mote_fb_get_f32, float, 4, mote_fb_load_f32(b->data + p))

/* Follows the unsigned offset stored in a field to its target. */
static bool follow(const fb_buffer *b, const fb_table *t, int slot, size_t *target) {
    size_t p;
    *target = 0;
    if (!mote_fb_field(b, t, slot, 4, &p)) return false;
    if (p == 0) return true;
    uint64_t dest = (uint64_t)p + fb_load_u32(b->data + p);
    if (dest > b->size || b->size - dest < 4) return false;
    *target = (size_t)dest;
    return true;
}

bool mote_fb_get_table(const fb_buffer *b, const fb_table *t, int slot, fb_table *out) {
    size_t target;
    memset(out, 0, sizeof *out);
    if (!follow(b, t, slot, &target)) return false;
    return target == 0 || mote_fb_table_at(b, target, out);
}

static bool vector_at(const fb_buffer *b, size_t target, size_t elem_size, fb_vector *out) {
    uint32_t len = fb_load_u32(b->data + target);
    size_t avail = b->size - target - 4;
    if (elem_size && len > avail / elem_size) return false;
    out->pos = target + 4;
    out->len = len;
    return true;
}

bool mote_fb_get_vector(const fb_buffer *b, const fb_table *t, int slot, size_t elem_size,
                   fb_vector *out) {
    size_t target;
    out->pos = 0;
    out->len = 0;
    if (!follow(b, t, slot, &target)) return false;
    return target == 0 || vector_at(b, target, elem_size, out);
}

bool mote_fb_get_string(const fb_buffer *b, const fb_table *t, int slot, const char **out) {
    fb_vector v = {0, 0};
    size_t target;
    *out = NULL;
    if (!follow(b, t, slot, &target)) return false;
    if (target == 0) return true;
    if (!vector_at(b, target, 1, &v)) return false;
    /* The terminating NUL must be inside the buffer too. */
    if (b->size - v.pos <= v.len || b->data[v.pos + v.len] != 0) return false;
    *out = (const char *)(b->data + v.pos);
    return true;
}

bool mote_fb_vector_table(const fb_buffer *b, const fb_vector *v, uint32_t i, fb_table *out) {
    memset(out, 0, sizeof *out);
    if (i >= v->len) return false;
    size_t p = v->pos + 4 * (size_t)i;
    uint64_t dest = (uint64_t)p + fb_load_u32(b->data + p);
    if (dest > b->size) return false;
    return mote_fb_table_at(b, (size_t)dest, out);
}
