/* The `kafkac` command-line tool: a tree of commands. Each leaf command
 * lives in its own file and is listed in a table in main.c:
 *
 *   kafkac perf produce ...     perf_produce.c
 *
 * A leaf is called with argv[0] set to its full name ("kafkac perf
 * produce") and returns the process's exit status (0 ok, 1 failure, 2 bad
 * usage). */
#ifndef KAFKAC_TOOL_COMMANDS_H
#define KAFKAC_TOOL_COMMANDS_H

typedef int kc_tool_fn(int argc, char **argv);

typedef struct kc_tool_cmd {
    const char *name;
    const char *summary;
    kc_tool_fn *run;                 /* a leaf, or */
    const struct kc_tool_cmd *sub;   /* a group: its subcommands, ending with {NULL} */
} kc_tool_cmd;

/* perf_produce.c */
int kc_tool_perf_produce(int argc, char **argv);

#endif
