/* normalize.h - Unicode services for the text analyzer. text/normalize.c is
 * the only file that touches utf8proc; everything else asks through here. */
#ifndef KS_TEXT_NORMALIZE_H
#define KS_TEXT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* Character classes the segmenter needs (coarser than Unicode categories). */
enum ks_cp_class {
    KS_CP_OTHER = 0,
    KS_CP_UPPER,   /* Lu, Lt */
    KS_CP_LOWER,   /* Ll */
    KS_CP_LETTER,  /* Lm, Lo: caseless letters (CJK, Arabic...) */
    KS_CP_MARK,    /* Mn, Mc, Me: combining marks stay inside words */
    KS_CP_DIGIT,   /* Nd, Nl, No */
    KS_CP_SPACE,   /* Zs and ASCII blanks except newline */
    KS_CP_NEWLINE, /* \n, Zl, Zp */
    KS_CP_PUNCT,   /* P* */
    KS_CP_SYMBOL   /* S* */
};

/* Check that buf[0..n) is valid UTF-8 without NUL bytes. Returns 0, or
 * KS_E_ENCODING with a message (byte offset and reason) in msg. */
int ks_text_validate(const char *buf, size_t n, char *msg, size_t msglen);

/* NFC-normalise valid UTF-8 (CRLF/CR become LF first). *out is
 * NUL-terminated, owned by the caller (x_free). Returns 0 or KS_E_ENCODING
 * with utf8proc's own message. */
int ks_text_nfc(const char *buf, size_t n, char **out, size_t *outn, char *msg, size_t msglen);
/* The same on a buffer the caller owns (x_malloc'd, n + 1 bytes): line ends
 * are fixed in place, and *buf is replaced (the old one freed) only if NFC
 * changes some line. Returns 0, or KS_E_ENCODING (*buf still owned). */
int ks_text_nfc_inplace(char **buf, size_t *n, char *msg, size_t msglen);

/* Unicode case folding of a short span (one word) into dst (cap bytes,
 * NUL-terminated). Returns bytes written, or 0 if it did not fit/failed. */
size_t ks_text_fold(const char *s, size_t n, char *dst, size_t cap);

/* Decode one code point at s (valid UTF-8 assumed); returns its length. */
int ks_text_decode(const unsigned char *s, size_t n, int32_t *cp);

int ks_text_cp_class(int32_t cp);

const char *ks_utf8proc_version(void);

#endif
