/* sniff.h - which modality a file is, from its first bytes (magic numbers)
 * with the file name's extension as fallback.
 *
 *     const char *how;
 *     const char *mod = ks_sniff(head, nhead, "song.flac", &how); // "audio", how = "magic"
 */
#ifndef KITSCH_SNIFF_H
#define KITSCH_SNIFF_H
#include <stddef.h>

/* Returns "text", "audio", "image", "video" or "unknown"; *how (may be NULL)
 * is set to "magic", "extension" or "content" (valid UTF-8 without NULs). */
const char *ks_sniff(const unsigned char *head, size_t n, const char *path, const char **how);
/* The modality an extension alone suggests ("unknown" if none). */
const char *ks_sniff_extension(const char *path);
#endif
