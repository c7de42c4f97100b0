/* model_view.h - verification of a whole TFLite model, before any use. */
#ifndef MOTE_MODEL_VIEW_H
#define MOTE_MODEL_VIEW_H

#include "fb_reader.h"
#include "mote.h"

/* The verified top-level tables and vectors the interpreter reads. */
typedef struct {
    fb_table model, subgraph;              /* subgraph 0 (the entry) once verified */
    fb_vector opcodes, subgraphs, buffers; /* of tables */
    fb_vector tensors, operators;          /* of `subgraph`, of tables */
    fb_vector inputs, outputs;             /* int32 tensor indices */
    fb_vector signatures;                  /* SignatureDef tables; their tensor
                                              indices are in range */
} model_view;

/* Walks every table, vector and string the schema subset describes and checks
 * each offset, length and index. On failure writes a message naming what was
 * wrong and where. */
mote_status mote_model_verify(const fb_buffer *b, model_view *v, char *msg, size_t msg_size);

/* Builtin code of operator code i (TFLite's rule: the larger of the deprecated
 * byte field and the int32 field), its version, and its custom name if any. */
bool mote_model_opcode(const fb_buffer *b, const model_view *v, uint32_t i, int32_t *builtin,
                  int32_t *version, const char **custom_name);

/* Points v->subgraph, tensors, operators, inputs and outputs at subgraph
 * `index` of a verified model. */
void mote_model_subgraph(const fb_buffer *b, model_view *v, uint32_t index);

/* The subgraphs a control-flow operator calls (WHILE: cond, body; IF: then,
 * else; CALL_ONCE: init) into callees[0..1]; returns their count, 0 for any
 * other op, -1 when the op's code or options are malformed. */
int mote_model_callees(const fb_buffer *b, const model_view *v, const fb_table *op,
                       int32_t callees[2]);

/* Constant data of buffer `index`: *data == NULL and *bytes == 0 when empty. */
bool mote_model_buffer_data(const fb_buffer *b, const model_view *v, uint32_t index,
                       const uint8_t **data, size_t *bytes);

#endif
