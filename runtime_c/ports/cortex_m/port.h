/* port.h - what the Cortex-M port gives a program (startup.c). */
#ifndef MOTE_PORT_H
#define MOTE_PORT_H

/* Writes text to the debugger's or emulator's console (semihosting). */
void mote_port_write(const char *text);

/* Ends the program: status 0 as a normal exit, anything else as an error. */
void mote_port_exit(int status);

/* Makes every unaligned word or halfword access fault (CCR.UNALIGN_TRP), as
 * it always does on Cortex-M0: shows that nothing relies on it. */
#define MOTE_PORT_TRAP_UNALIGNED() (*(volatile unsigned *)0xE000ED14u |= 1u << 3)

#endif
