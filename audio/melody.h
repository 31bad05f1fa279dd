/* melody.h - melodic entropy and information content of a note sequence,
 * shared by the audio analyzer (notes transcribed from a recording) and
 * `kitsch melody` (notes read from MIDI or ABC).
 *
 *     ks_note notes[] = {{0.0, 0.5, 60, 1.0}, {0.5, 0.5, 62, 1.0}, ...};
 *     ks_melody_measure(notes, n, r);   // fills the audio melody features
 */
#ifndef KITSCH_MELODY_H
#define KITSCH_MELODY_H

#include "kitsch.h"

typedef struct ks_note {
    double onset_s;  /* seconds from the start */
    double dur_s;    /* seconds */
    int pitch;       /* MIDI note number, 60 = middle C */
    double conf;     /* 0..1 transcription confidence (1 for symbolic input) */
} ks_note;

/* Fill the melodic features of r (pitch-class entropy, interval entropy,
 * conditional interval entropy, PPM information content, predictive entropy,
 * high-IC share) from n notes. Fewer than a handful of notes leaves them NaN.
 * Returns 0 or a negative KS_E_* code. */
int ks_melody_measure(const ks_note *notes, size_t n, ks_record *r);

#endif
