/* byte_copy.c - memcpy, memmove and memset a byte at a time, linked ahead of
 * newlib's in the TRAP_UNALIGNED=1 build only.
 *
 * That build sets CCR.UNALIGN_TRP, so that any unaligned halfword or word
 * access faults as it always does on Cortex-M0. newlib's ARMv7-M string
 * routines make such accesses on purpose (the M3/M4/M7 allow them, and the
 * M0's own newlib never does); these stand-ins keep the check about the
 * runtime's own code. Built with -fno-tree-loop-distribute-patterns so the
 * loops are not turned back into calls to themselves. */
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int value, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)value;
    return dst;
}
