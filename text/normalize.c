/* normalize.c - the only file that touches utf8proc (see docs/DEVELOPING.md).
 * Validation, NFC, case folding and character classes: Unicode Standard
 * Annex #15 (normalisation forms) and the Unicode case-folding tables. */
#include "normalize.h"

#include "kitsch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int ks_text_validate(const char *buf, size_t n, char *msg, size_t msglen)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path: most text is mostly ASCII. */
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
    /* Line ends first: CRLF and lone CR become LF, so paragraphs split alike. */
    char *lf = x_malloc(n + 1);
    size_t m = 0;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c >= 0x80)
            ascii = 0;
        if (c == '\r') {
            lf[m++] = '\n';
            if (i + 1 < n && buf[i + 1] == '\n')
                i++;
        } else {
            lf[m++] = (char)c;
        }
    }
    lf[m] = '\0';
    if (ascii) { /* ASCII is invariant under NFC: skip the library call. */
        *out = lf;
        *outn = m;
        return 0;
    }
    /* Normalise line by line, and only lines with non-ASCII bytes: a line
     * feed is a starter that never composes, so this equals NFC of the
     * whole text, at a fraction of the cost on mostly-ASCII text. */
    size_t cap = m + m / 4 + 16, o = 0;
    char *res = x_malloc(cap);
    size_t i = 0;
    while (i < m) {
        size_t e = i;
        int hi = 0;
        while (e < m && lf[e] != '\n') {
            hi |= (unsigned char)lf[e] >= 0x80;
            e++;
        }
        if (e < m)
            e++; /* keep the newline with its line */
        if (!hi) {
            if (o + (e - i) + 1 > cap) {
                cap = 2 * cap + (e - i);
                res = x_realloc(res, cap);
            }
            memcpy(res + o, lf + i, e - i);
            o += e - i;
        } else {
            utf8proc_uint8_t *nl = NULL;
            utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)lf + i, (utf8proc_ssize_t)(e - i), &nl,
                                              UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (k < 0) {
                snprintf(msg, msglen, "utf8proc: %s", utf8proc_errmsg(k));
                x_free(res);
                x_free(lf);
                return KS_E_ENCODING;
            }
            if (o + (size_t)k + 1 > cap) {
                cap = 2 * cap + (size_t)k;
                res = x_realloc(res, cap);
            }
            memcpy(res + o, nl, (size_t)k);
            o += (size_t)k;
            free(nl); /* utf8proc allocates with malloc */
        }
        i = e;
    }
    res[o] = '\0';
    x_free(lf);
    *out = res;
    *outn = o;
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
