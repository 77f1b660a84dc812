/* The `kafkac` command-line tool: a tree of commands. Each leaf command
 * lives in its own file and is listed in a table in main.c:
 *
 *   kafkac perf produce ...     perf_produce.c
 *   kafkac perf consume ...     perf_consume.c
 *   kafkac consumer-groups ...  consumer_groups.c
 *   kafkac topics ...           topics.c
 *   kafkac configs ...          configs.c
 *   kafkac console-producer ... console_producer.c
 *   kafkac console-consumer ... console_consumer.c
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
/* perf_consume.c */
int kc_tool_perf_consume(int argc, char **argv);
/* consumer_groups.c */
int kc_tool_consumer_groups(int argc, char **argv);
/* console_producer.c */
int kc_tool_console_producer(int argc, char **argv);
/* console_consumer.c */
int kc_tool_console_consumer(int argc, char **argv);
/* topics.c */
int kc_tool_topics(int argc, char **argv);
/* configs.c */
int kc_tool_configs(int argc, char **argv);

#endif
