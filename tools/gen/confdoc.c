/* Writes docs/CONFIGURATION.md from the configuration table (make docs). */
#include <stdio.h>

#include "core/conf.h"

int main(void) {
    kc__buf b;
    kc__buf_init(&b, 8192);
    kc__conf_doc_markdown(&b);
    if (!kc__buf_ok(&b) || fwrite(b.p, 1, b.len, stdout) != b.len) return 1;
    kc__buf_free(&b);
    return 0;
}
