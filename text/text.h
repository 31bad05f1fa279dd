/* text.h - the text analyzer's public entry points. */
#ifndef KITSCH_TEXT_H
#define KITSCH_TEXT_H

#include "kitsch.h"

/* Analyze one text input; fills r (features, descriptors, info) or marks it
 * failed. Returns 0 or a negative KS_E_* code. Never prints, never exits. */
int ks_text_analyze(const ks_input *in, ks_record *r);
/* Load what the analyzer reads besides its input (the --lexicon file) into
 * this process, before a sandbox forbids open(2): call it in each worker
 * before sandboxing (and in the parent to report a bad lexicon once).
 * Returns 0 or a KS_E_* with a message. Without it, --lexicon files are
 * opened lazily on the first input (fails under the seccomp sandbox). */
int ks_text_prepare(const ks_options *opt, char *msg, size_t msglen);
/* Unpack a record's text.excerpt descriptor (at most KS_TEXT_EXCERPT_MAX
 * bytes of the text) into buf (cap bytes, NUL-terminated); returns its length. */
size_t ks_text_excerpt_unpack(const ks_vec *v, char *buf, size_t cap);
/* Versions of the third-party libraries this analyzer uses, for --version. */
const char *ks_text_lib_versions(void);
/* Set-level measures of this modality (see ks_set_fn in kitsch.h). */
int ks_text_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out);

#endif
