/* kitsch.c - the command-line entry point (placeholder while the CLI lands). */
#include <stdio.h>
#include "kitsch.h"
int main(void)
{
    printf("kitsch %s\n", KS_TOOL_VERSION);
    return 0;
}
