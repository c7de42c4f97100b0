/* fuzz_model.c - libFuzzer target: any bytes as a model. Creation must end in
 * a status, never a crash or an invalid access (ASan/UBSan watch); accepted
 * models are also invoked.
 *
 *   make fuzz CORPUS=dir FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mote.h"

static uint8_t arena[1 << 22];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* The runtime reads model bytes in place; give them the alignment a real
       caller would (constant data must be aligned to its element size). */
    uint8_t *model = aligned_alloc(16, (size + 16) & ~(size_t)15);
    if (!model) return 0;
    memcpy(model, data, size);
    mote_interpreter *it = NULL;
    memset(arena, 0, sizeof arena);
    if (mote_create(model, size, arena, sizeof arena, 0, &it) == MOTE_OK) mote_invoke(it);
    free(model);
    return 0;
}
