/* The variant table of UNIDIRECTIONAL_SEQUENCE_LSTM (see variants.h). */
#include "lstm.h"

const mote_variant mote_lstm_f32_variants[] = {
    MOTE_VARIANT(lstm_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};

const mote_variant mote_lstm_s8_variants[] = {
    MOTE_VARIANT(lstm_s8_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
