/* normalize.c - the only file that touches utf8proc (see docs/DEVELOPING.md).
 * Validation, NFC, case folding and character classes: Unicode Standard
 * Annex #15 (normalisation forms) and the Unicode case-folding tables. */
#include "normalize.h"

#include "kitsch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Eight bytes at a time: any byte >= 0x80, or any zero byte? (The classic
 * exact zero-byte test: (x - 0x01..01) & ~x & 0x80..80 is non-zero iff some
 * byte of x is zero.) */
static inline int word_needs_look(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
    return ((x | ((x - lo) & ~x)) & hi) != 0;
}

static inline int word_has_high(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return (x & 0x8080808080808080ull) != 0;
}

int ks_text_validate(const char *buf, size_t n, char *msg, size_t msglen)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path: most text is mostly ASCII. */
        if (i + 8 <= n && !word_needs_look(s + i)) {
            i += 8;
            continue;
        }
        if (s[i] < 0x80) {
            if (s[i] == 0) {
                snprintf(msg, msglen, "NUL byte at offset %zu", i);
                return KS_E_ENCODING;
            }
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 0) {
            snprintf(msg, msglen, "invalid UTF-8 at byte offset %zu: %s", i, utf8proc_errmsg(k));
            return KS_E_ENCODING;
        }
        i += (size_t)k;
    }
    return 0;
}

int ks_text_nfc(const char *buf, size_t n, char **out, size_t *outn, char *msg, size_t msglen)
{
    char *b = x_malloc(n + 1);
    memcpy(b, buf, n);
    b[n] = '\0';
    size_t m = n;
    int rc = ks_text_nfc_inplace(&b, &m, msg, msglen);
    if (rc < 0) {
        x_free(b);
        return rc;
    }
    *out = b;
    *outn = m;
    return 0;
}

int ks_text_nfc_inplace(char **bufp, size_t *np, char *msg, size_t msglen)
{
    char *lf = *bufp;
    size_t n = *np, m = n;
    /* Line ends first: CRLF and lone CR become LF, so paragraphs split alike.
     * The result is never longer, so it is done in place. */
    char *cr = memchr(lf, '\r', n);
    if (cr) {
        m = (size_t)(cr - lf);
        for (size_t i = m; i < n; i++) {
            char c = lf[i];
            if (c == '\r') {
                lf[m++] = '\n';
                if (i + 1 < n && lf[i + 1] == '\n')
                    i++;
            } else {
                lf[m++] = c;
            }
        }
    }
    lf[m] = '\0';
    *np = m;
    const unsigned char *u = (const unsigned char *)lf;
    size_t first = 0;
    while (first + 8 <= m && !word_has_high(u + first))
        first += 8;
    while (first < m && u[first] < 0x80)
        first++;
    if (first == m) /* ASCII is invariant under NFC: skip the library call. */
        return 0;
    /* Normalise line by line, and only lines with non-ASCII bytes: a line
     * feed is a starter that never composes, so this equals NFC of the
     * whole text, at a fraction of the cost on mostly-ASCII text. Most text
     * is already NFC: a second buffer is made only once a line changes. */
    char *res = NULL;
    size_t cap = 0, o = 0;
    size_t i = first;
    while (i > 0 && lf[i - 1] != '\n')
        i--;
    while (i < m) {
        size_t e = i;
        int hi = 0;
        const char *nl0 = memchr(lf + i, '\n', m - i);
        e = nl0 ? (size_t)(nl0 - lf) : m;
        size_t k8 = i;
        while (k8 + 8 <= e && !word_has_high(u + k8))
            k8 += 8;
        for (; k8 < e && !hi; k8++)
            hi |= u[k8] >= 0x80;
        if (e < m)
            e++; /* keep the newline with its line */
        if (!hi) {
            if (res) {
                if (o + (e - i) + 1 > cap) {
                    cap = 2 * cap + (e - i);
                    res = x_realloc(res, cap);
                }
                memcpy(res + o, lf + i, e - i);
                o += e - i;
            }
        } else {
            utf8proc_uint8_t *nl = NULL;
            utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)lf + i, (utf8proc_ssize_t)(e - i), &nl,
                                              UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (k < 0) {
                snprintf(msg, msglen, "utf8proc: %s", utf8proc_errmsg(k));
                x_free(res);
                return KS_E_ENCODING;
            }
            if (!res && ((size_t)k != e - i || memcmp(nl, lf + i, e - i) != 0)) {
                /* the first line NFC changes: copy what came before */
                cap = m + m / 4 + 16;
                res = x_malloc(cap);
                memcpy(res, lf, i);
                o = i;
            }
            if (res) {
                if (o + (size_t)k + 1 > cap) {
                    cap = 2 * cap + (size_t)k;
                    res = x_realloc(res, cap);
                }
                memcpy(res + o, nl, (size_t)k);
                o += (size_t)k;
            }
            free(nl); /* utf8proc allocates with malloc */
        }
        i = e;
    }
    if (res) {
        res[o] = '\0';
        x_free(lf);
        *bufp = res;
        *np = o;
    }
    return 0;
}

size_t ks_text_fold(const char *s, size_t n, char *dst, size_t cap)
{
    utf8proc_uint8_t *res = NULL;
    utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &res,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (k < 0)
        return 0;
    size_t len = (size_t)k;
    if (len + 1 > cap) {
        free(res);
        return 0;
    }
    memcpy(dst, res, len + 1);
    free(res);
    return len;
}

int ks_text_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &c);
    if (k <= 0) { /* cannot happen on validated input; step one byte */
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return (int)k;
}

int ks_text_cp_class(int32_t cp)
{
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') return KS_CP_LOWER;
        if (cp >= 'A' && cp <= 'Z') return KS_CP_UPPER;
        if (cp >= '0' && cp <= '9') return KS_CP_DIGIT;
        if (cp == '\n') return KS_CP_NEWLINE;
        if (cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v') return KS_CP_SPACE;
        if (cp < 0x20 || cp == 0x7f) return KS_CP_OTHER;
        if (cp == '$' || cp == '+' || cp == '<' || cp == '=' || cp == '>' || cp == '^' ||
            cp == '`' || cp == '|' || cp == '~')
            return KS_CP_SYMBOL;
        return KS_CP_PUNCT;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return KS_CP_UPPER;
    case UTF8PROC_CATEGORY_LL: return KS_CP_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return KS_CP_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: return KS_CP_MARK;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return KS_CP_DIGIT;
    case UTF8PROC_CATEGORY_ZS: return KS_CP_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return KS_CP_NEWLINE;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: return KS_CP_PUNCT;
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: return KS_CP_SYMBOL;
    default: return KS_CP_OTHER;
    }
}

const char *ks_utf8proc_version(void) { return utf8proc_version(); }
