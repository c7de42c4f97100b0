/* The variant table of LOCAL_RESPONSE_NORMALIZATION, best first (see variants.h). */
#include "local_response_normalization.h"

const mote_variant mote_lrn_f32_variants[] = {
    MOTE_VARIANT(lrn_f32_ref, 0, NULL),
    MOTE_VARIANTS_END,
};
