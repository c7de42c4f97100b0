/* format.h - the runtime's own small snprintf, for its messages.
 *
 * The core calls no printf family function: on a microcontroller that costs
 * 3 KB (newlib-nano) to 25 KB (newlib) of flash, and newlib-nano garbles
 * %zu. Conversions: %d %i %u %x %p %c %s %g %%, the length modifiers l, ll
 * and z, and a field width with an optional 0 flag (%02x). %g prints six
 * significant digits as C's does, computed in single precision (the digits
 * may differ from C's in the last place). */
#ifndef MOTE_FORMAT_H
#define MOTE_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define MOTE_PRINTF_LIKE(fmt_index, first_arg) \
    __attribute__((format(printf, fmt_index, first_arg)))
#else
#define MOTE_PRINTF_LIKE(fmt_index, first_arg)
#endif

/* As vsnprintf / snprintf: writes at most size - 1 characters and a 0 (when
 * size > 0) and returns the length the whole text would have. */
size_t mote_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t mote_format(char *buf, size_t size, const char *fmt, ...) MOTE_PRINTF_LIKE(3, 4);

/* The build switch -DMOTE_NO_MESSAGES compiles every message out (for small
 * firmware: about 10 KB of text on a Cortex-M); status codes stay. The
 * error-reporting functions (mote_fail, the verifier's and the accessors')
 * then become macros over MOTE_MESSAGE_DROPPED, which type-checks a message's
 * format and arguments without evaluating or linking any of them. */
#ifdef MOTE_NO_MESSAGES
int mote_message_not_built(const char *fmt, ...) MOTE_PRINTF_LIKE(1, 2);  /* never defined */
#define MOTE_MESSAGE_DROPPED(...) ((void)sizeof mote_message_not_built(__VA_ARGS__))
/* What a failure leaves for a message then: "<status name> (messages compiled out)". */
void mote_status_message(char *buf, size_t size, int status);
#define MOTE_MESSAGE(buf, size, ...) ((void)(buf), (void)(size), MOTE_MESSAGE_DROPPED(__VA_ARGS__))
#else
/* A piece of a message (a name built from numbers) into buf. */
#define MOTE_MESSAGE(buf, size, ...) ((void)mote_format(buf, size, __VA_ARGS__))
#endif

#endif
