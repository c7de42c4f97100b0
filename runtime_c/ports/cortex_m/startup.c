/* startup.c - reset, vector table and semihosting for Cortex-M (ARMv7-M),
 * the least a bare-metal program needs: copy .data from flash, zero .bss,
 * turn the FPU on, call main() and hand its status to the debugger or
 * emulator through semihosting (qemu-system-arm -semihosting). */
#include <stdint.h>

#include "port.h"

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
int main(void);

/* ARM semihosting: an operation number in r0, its argument in r1, then
 * BKPT 0xAB, which the debugger or emulator serves. */
static uintptr_t semihost(uintptr_t op, const void *arg) {
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

#define SEMIHOST_WRITE0 0x04          /* write a NUL-terminated string to the console */
#define SEMIHOST_REPORT_EXCEPTION 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUNTIME_ERROR 0x20023

void mote_port_write(const char *text) { semihost(SEMIHOST_WRITE0, text); }

void mote_port_exit(int status) {
    /* 32-bit semihosting carries no exit code: success or a run-time error. */
    semihost(SEMIHOST_REPORT_EXCEPTION,
             (const void *)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                    : ADP_STOPPED_RUNTIME_ERROR));
    for (;;) {}
}

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)   /* coprocessor access */

void mote_port_reset(void) {
    for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
#if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20;   /* full access to CP10 and CP11, the FPU */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    mote_port_exit(main());
}

static void fault(void) {
    mote_port_write("fault: the program stopped on a processor exception\n");
    mote_port_exit(1);
}

/* The ARMv7-M vector table: initial stack pointer, then handlers. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))__stack_top, mote_port_reset,
    fault, fault, fault, fault, fault,   /* NMI, HardFault, MemManage, BusFault, UsageFault */
    0, 0, 0, 0, fault, fault, 0, fault, fault,  /* SVCall, DebugMon, PendSV, SysTick */
};
