/* kafkac: command-line tool of the kafkac library.
 *
 *   kafkac perf produce --topic T --num-records N --record-size S --throughput R ...
 *   kafkac perf consume --bootstrap-server B --topic T --messages N ...
 *   kafkac topics --bootstrap-server B --create|--list|--describe|--alter|--delete ...
 *   kafkac configs --bootstrap-server B --entity-type T --entity-name N --describe|--alter ...
 *   kafkac console-producer --bootstrap-server B --topic T [--property parse.key=true] ... < lines
 *   kafkac console-consumer --bootstrap-server B --topic T [--from-beginning] [--group G] ...
 *   kafkac consumer-groups --bootstrap-server B --list | --describe | --reset-offsets | --delete ...
 *   kafkac --help | kafkac perf --help | kafkac --version
 *
 * Commands form a tree (the tables below); each leaf is a function in its
 * own file (commands.h). */
#include <stdio.h>
#include <string.h>

#include <kafkac.h>

#include "commands.h"

static const kc_tool_cmd perf_cmds[] = {
    {"produce", "producer throughput and latency (as kafka-producer-perf-test)",
     kc_tool_perf_produce, NULL},
    {"consume", "consumer throughput (as kafka-consumer-perf-test)", kc_tool_perf_consume, NULL},
    {NULL, NULL, NULL, NULL},
};

static const kc_tool_cmd top_cmds[] = {
    {"consumer-groups", "list, describe, delete groups, reset offsets (as kafka-consumer-groups)",
     kc_tool_consumer_groups, NULL},
    {"perf", "performance tests", NULL, perf_cmds},
    {"topics", "create, list, describe, alter, delete topics (as kafka-topics)", kc_tool_topics,
     NULL},
    {"configs", "describe and alter topic, broker, group configs (as kafka-configs)",
     kc_tool_configs, NULL},
    {"console-producer", "produce lines of standard input (as kafka-console-producer)",
     kc_tool_console_producer, NULL},
    {"console-consumer", "print records (as kafka-console-consumer)", kc_tool_console_consumer,
     NULL},
    {NULL, NULL, NULL, NULL},
};

static int is_help(const char *a) {
    return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "help") == 0;
}

static void group_usage(FILE *out, const char *path, const kc_tool_cmd *cmds) {
    fprintf(out, "usage: %s COMMAND [ARGS...]\n\n", path);
    if (strcmp(path, "kafkac") == 0)
        fprintf(out, "Command-line tool of kafkac %s, a C client for Apache Kafka.\n\n",
                kc_version_str());
    fprintf(out, "Commands:\n");
    for (const kc_tool_cmd *c = cmds; c->name; c++)
        fprintf(out, "  %-17s %s\n", c->name, c->summary);
    fprintf(out, "\n'%s COMMAND --help' describes a command.\n", path);
}

int main(int argc, char **argv) {
    const kc_tool_cmd *cmds = top_cmds;
    char path[256] = "kafkac";
    int i = 1;
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("kafkac %s\n", kc_version_str());
        return 0;
    }
    for (;;) {
        if (i >= argc) {
            group_usage(stderr, path, cmds);
            return 2;
        }
        if (is_help(argv[i])) {
            group_usage(stdout, path, cmds);
            return 0;
        }
        const kc_tool_cmd *c = cmds;
        while (c->name && strcmp(c->name, argv[i]) != 0) c++;
        if (!c->name) {
            fprintf(stderr, "%s: unknown command '%s' (see '%s --help')\n", path, argv[i], path);
            return 2;
        }
        size_t len = strlen(path);
        snprintf(path + len, sizeof path - len, " %s", c->name);
        if (c->run) {
            argv[i] = path;
            return c->run(argc - i, argv + i);
        }
        cmds = c->sub;
        i++;
    }
}
