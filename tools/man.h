/* man.h - the kitsch(1) manual page, generated from the command table,
 * the error table and the feature registry (`kitsch --man`, run by the build). */
#ifndef KITSCH_MAN_H
#define KITSCH_MAN_H

#include <stdio.h>

/* Write the page as man(7) roff to f. datadir is where the data files are
 * installed (named in FILES); NULL = /usr/local/share/kitsch.
 * Returns 0 or KS_E_IO. */
int ks_man_page(FILE *f, const char *datadir);

#endif
