/* format.c - mote_format: snprintf's subset the messages use (format.h). */
#include "format.h"

#include <float.h>
#include <stdint.h>

typedef struct {
    char *buf;
    size_t size, used;   /* `used` counts every character, written or not */
} sink;

static void put_char(sink *s, char c) {
    if (s->used + 1 < s->size) s->buf[s->used] = c;
    s->used++;
}

static void put_text(sink *s, const char *text) {
    while (*text) put_char(s, *text++);
}

/* `value` in `base`, at least `width` characters, padded with `pad` on the left. */
static void put_unsigned(sink *s, unsigned long long value, unsigned base, int width, char pad) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    for (; width > n; width--) put_char(s, pad);
    while (n) put_char(s, digits[--n]);
}

/* Powers of ten for scaling a float into [1, 10) in at most six steps. */
static const float ten_to[] = {1e32f, 1e16f, 1e8f, 1e4f, 1e2f, 1e1f};
static const int ten_exponent[] = {32, 16, 8, 4, 2, 1};

/* C's %g: six significant digits, trailing zeros dropped, exponent form
 * when the decimal exponent is below -4 or at least 6. */
static void put_general(sink *s, float x) {
    if (x != x) { put_text(s, "nan"); return; }
    if (x < 0) { put_char(s, '-'); x = -x; }
    if (x > FLT_MAX) { put_text(s, "inf"); return; }
    if (x == 0) { put_char(s, '0'); return; }
    int exponent = 0;
    for (int i = 0; i < 6; i++)
        if (x >= ten_to[i]) { x /= ten_to[i]; exponent += ten_exponent[i]; }
    for (int i = 0; i < 6; i++)
        if (x * ten_to[i] < 10.0f) { x *= ten_to[i]; exponent -= ten_exponent[i]; }
    uint32_t digits = (uint32_t)(x * 1e5f + 0.5f);   /* six digits, [100000, 1000000] */
    if (digits >= 1000000u) { digits /= 10; exponent++; }
    char text[6];
    int n = 6;
    for (int i = 5; i >= 0; i--, digits /= 10) text[i] = (char)('0' + digits % 10);
    while (n > 1 && text[n - 1] == '0') n--;
    const int scientific = exponent < -4 || exponent >= 6;
    const int point = scientific ? 1 : exponent + 1;   /* digits before the point */
    if (point <= 0) {
        put_text(s, "0.");
        for (int i = point; i < 0; i++) put_char(s, '0');
    }
    for (int i = 0; i < n || i < point; i++) {
        if (i == point && point > 0) put_char(s, '.');
        put_char(s, i < n ? text[i] : '0');
    }
    if (scientific) {
        put_char(s, 'e');
        put_char(s, exponent < 0 ? '-' : '+');
        put_unsigned(s, (unsigned)(exponent < 0 ? -exponent : exponent), 10, 2, '0');
    }
}

size_t mote_vformat(char *buf, size_t size, const char *fmt, va_list ap) {
    sink s = {buf, size, 0};
    for (; *fmt; fmt++) {
        if (*fmt != '%') { put_char(&s, *fmt); continue; }
        char pad = ' ';
        int width = 0, longs = 0, size_t_arg = 0;
        if (*++fmt == '0') { pad = '0'; fmt++; }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++) width = width * 10 + (*fmt - '0');
        for (; *fmt == 'l'; fmt++) longs++;
        if (*fmt == 'z') { size_t_arg = 1; fmt++; }
        switch (*fmt) {
        case 'd': case 'i': {
            long long v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            unsigned long long magnitude = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            if (v < 0) put_char(&s, '-');
            put_unsigned(&s, magnitude, 10, width, pad);
            break;
        }
        case 'u': case 'x': {
            unsigned long long v = size_t_arg ? va_arg(ap, size_t)
                                 : longs >= 2 ? va_arg(ap, unsigned long long)
                                 : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            put_unsigned(&s, v, *fmt == 'x' ? 16 : 10, width, pad);
            break;
        }
        case 'p':
            put_text(&s, "0x");
            put_unsigned(&s, (uintptr_t)va_arg(ap, void *), 16, 0, '0');
            break;
        case 'c': put_char(&s, (char)va_arg(ap, int)); break;
        case 's': put_text(&s, va_arg(ap, const char *)); break;
        case 'g': put_general(&s, (float)va_arg(ap, double)); break;
        case '%': put_char(&s, '%'); break;
        default: goto end;   /* not one of ours (or a lone % at the end): stop there */
        }
    }
end:
    if (size) buf[s.used < size ? s.used : size - 1] = 0;
    return s.used;
}

size_t mote_format(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const size_t n = mote_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
