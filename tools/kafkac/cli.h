/* Helpers shared by the kafkac subcommands that mirror Kafka's shell tools:
 * one-line errors, client configuration from --bootstrap-server,
 * --command-config / --*.config files and --*-property flags, a
 * reachability check, and JSON string output. */
#ifndef KAFKAC_TOOL_CLI_H
#define KAFKAC_TOOL_CLI_H

#include <stdio.h>

#include <kafkac.h>

/* Prints "prog: message" (one line) to stderr. */
void cli_err(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A configuration with bootstrap.servers = bootstrap (may be NULL when the
 * file or props set it), then the Java .properties file `file` (may be
 * NULL), then each "key=value" of props. NULL after a one-line error. */
kc_conf_t *cli_conf(const char *prog, const char *bootstrap, const char *file,
                    char *const *props, int nprops);

/* Checks that a broker answers within timeout_ms (metadata request); prints
 * a one-line error naming bootstrap.servers and returns -1 if not. */
int cli_reachable(const char *prog, const kc_conf_t *conf, int timeout_ms);

/* Writes s as a JSON string (quoted, escaped); NULL writes null. */
void cli_json_str(FILE *out, const char *s);

/* Parses a whole decimal number into *v. Returns 0, or -1 when s is not one. */
int cli_parse_ll(const char *s, long long *v);

#endif
