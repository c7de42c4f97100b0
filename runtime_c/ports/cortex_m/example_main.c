/* example_main.c - firmware that runs a model linked into flash.
 *
 * The model comes from `mote codegen MODEL.tflite --name model`: model.c
 * holds it as an aligned array (model_tflite, MODEL_TFLITE_BYTES; model.h
 * also gives the create flags, MODEL_CREATE_FLAGS, and the arena they need,
 * MODEL_ARENA_BYTES), model_ops.h the ops it uses, so that
 * the runtime built with -DMOTE_OP_LIST_FILE="model_ops.h" links only those.
 *
 * It fills each input with a fixed pattern (float: pixel ramps k/255 for
 * k = i mod 256; other types: bytes of a linear congruential generator,
 * state = state * 1103515245 + 12345, byte = state >> 24), invokes, and
 * writes every output as hex on the semihosting console, for a host to
 * compare with its own run:
 *     arena 3728
 *     output 0 1f80ff...
 * Then the same model copied to an address 1 byte past alignment (built with
 * TRAP_UNALIGNED=1, unaligned accesses fault): verify and create must agree,
 * and a model they accept must give the same outputs:
 *     unaligned same outputs | unaligned refused MOTE_ERROR_INVALID_ARGUMENT
 */
#include <string.h>

#include "model.h"
#include "mote.h"
#include "port.h"

static uint8_t arena[MODEL_ARENA_BYTES] __attribute__((aligned(16)));
static uint8_t second_arena[MODEL_ARENA_BYTES] __attribute__((aligned(16)));
static uint8_t moved_model[MODEL_TFLITE_BYTES + 16] __attribute__((aligned(16)));

static void write_unsigned(size_t value) {
    char text[24], *p = text + sizeof text;
    *--p = 0;
    do {
        *--p = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    mote_port_write(p);
}

static void write_hex(const uint8_t *bytes, size_t n) {
    char pair[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        pair[0] = "0123456789abcdef"[bytes[i] >> 4];
        pair[1] = "0123456789abcdef"[bytes[i] & 15];
        mote_port_write(pair);
    }
}

static int fail(const char *what, mote_status s, const mote_interpreter *it) {
    mote_port_write(what);
    mote_port_write(": ");
    mote_port_write(mote_status_name(s));
    mote_port_write(": ");
    mote_port_write(it ? mote_error_message(it) : "");
    mote_port_write("\n");
    return 1;
}

static void fill_inputs(mote_interpreter *it) {
    uint32_t state = 1;
    for (int i = 0; i < mote_input_count(it); i++) {
        mote_tensor_info info;
        mote_tensor_info_get(it, mote_input_tensor(it, i), &info);
        if (info.type == MOTE_FLOAT32) {
            float *x = info.data;
            for (size_t k = 0; k < info.bytes / sizeof(float); k++) x[k] = (float)(k % 256) / 255.0f;
        } else {
            uint8_t *x = info.data;
            for (size_t k = 0; k < info.bytes; k++) {
                state = state * 1103515245u + 12345u;
                x[k] = (uint8_t)(state >> 24);
            }
        }
    }
}

static int same_outputs(const mote_interpreter *a, const mote_interpreter *b) {
    for (int i = 0; i < mote_output_count(a); i++) {
        mote_tensor_info x, y;
        mote_tensor_info_get(a, mote_output_tensor(a, i), &x);
        mote_tensor_info_get(b, mote_output_tensor(b, i), &y);
        if (x.bytes != y.bytes || memcmp(x.data, y.data, x.bytes) != 0) return 0;
    }
    return 1;
}

int main(void) {
#if TRAP_UNALIGNED
    MOTE_PORT_TRAP_UNALIGNED();
#endif
    mote_interpreter *it = NULL;
    mote_status s = mote_create(model_tflite, MODEL_TFLITE_BYTES, arena, sizeof arena,
                                MODEL_CREATE_FLAGS, &it);
    if (s != MOTE_OK) return fail("create", s, it);
    mote_port_write("arena ");
    write_unsigned(mote_arena_required(it));
    mote_port_write("\n");
    fill_inputs(it);
    if ((s = mote_invoke(it)) != MOTE_OK) return fail("invoke", s, it);
    for (int i = 0; i < mote_output_count(it); i++) {
        mote_tensor_info info;
        mote_tensor_info_get(it, mote_output_tensor(it, i), &info);
        mote_port_write("output ");
        write_unsigned((size_t)i);
        mote_port_write(" ");
        write_hex(info.data, info.bytes);
        mote_port_write("\n");
    }

    uint8_t *moved = moved_model + 1;
    memcpy(moved, model_tflite, MODEL_TFLITE_BYTES);
    char message[MOTE_MESSAGE_BYTES];
    const mote_status verified = mote_verify(moved, MODEL_TFLITE_BYTES, message, sizeof message);
    mote_interpreter *second = NULL;
    s = mote_create(moved, MODEL_TFLITE_BYTES, second_arena, sizeof second_arena,
                    MODEL_CREATE_FLAGS, &second);
    if (s != verified) {
        mote_port_write("unaligned: verify and create disagree\n");
        return 1;
    }
    if (s != MOTE_OK) {
        mote_port_write("unaligned refused ");
        mote_port_write(mote_status_name(s));
        mote_port_write("\n");
        return strcmp(message, mote_error_message(second)) == 0 ? 0 : 1;
    }
    fill_inputs(second);
    if ((s = mote_invoke(second)) != MOTE_OK) return fail("unaligned invoke", s, second);
    mote_port_write(same_outputs(it, second) ? "unaligned same outputs\n"
                                             : "unaligned different outputs\n");
    return 0;
}
