/* midi.h - read the notes of a Standard MIDI File (format 0 or 1) in C:
 * running status, note on/off (note on with velocity 0 is an off), sysex and
 * meta events skipped, the tempo map (FF 51) applied to every track, and
 * SMPTE divisions.
 *
 *     ks_note *notes = NULL; size_t n = 0; char err[160];
 *     int rc = ks_midi_read(buf, len, -1, &notes, &n, err, sizeof err);
 *     ... rc < 0: KS_E_FORMAT / KS_E_TRUNCATED / KS_E_DECODE / KS_E_LIMIT ...
 *     size_t m = ks_midi_skyline(notes, n);   // a melody: highest note per onset
 *     x_free(notes);
 */
#ifndef KITSCH_MIDI_H
#define KITSCH_MIDI_H

#include "melody.h"

#define KS_MIDI_MAX_NOTES 1000000

/* Notes of every channel (channel < 0; the General MIDI drum channel 10 is
 * left out) or of one channel 0..15, sorted by onset then by pitch (high
 * first). *notes is malloc'ed (x_free it). conf is 1. Returns 0 or a
 * negative KS_E_* with a message in err. */
int ks_midi_read(const unsigned char *buf, size_t len, int channel,
                 ks_note **notes, size_t *n, char *err, size_t errlen);

/* Reduce sorted notes in place to a melody: of the notes starting together
 * (within 10 ms) keep the highest (Uitdenbogerd & Zobel 1998, "skyline").
 * Returns the new count. */
size_t ks_midi_skyline(ks_note *notes, size_t n);

/* Analyzer entry point for a Standard MIDI File given to `kitsch analyze`
 * (the audio analyzer can hand over inputs that start with "MThd"): reads
 * in->fd, keeps the top line (skyline) of all non-drum channels and fills
 * the audio.melody_* features. Returns 0 or a negative KS_E_* (r failed). */
int ks_midi_analyze(const ks_input *in, ks_record *r);

#endif
