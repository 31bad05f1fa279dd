#include "json.h"
const char *ks_jansson_version(void) { return ""; }
