#include "kafkac.h"

int kc_version(void) { return KC_VERSION; }
const char *kc_version_str(void) { return KC_VERSION_STR; }
