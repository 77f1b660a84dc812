/* rusage_run OUTFILE CMD ARGS...: runs CMD and writes "user_s sys_s maxrss_kb"
 * of it (wait4 rusage, microseconds) to OUTFILE; exits with CMD's status.
 *
 * tests/perf/bench measures every client through this small process rather
 * than forking the Python driver directly: Linux keeps a process's peak RSS
 * across exec(), so a child forked from Python would report at least
 * Python's RSS as its ru_maxrss. */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: rusage_run OUTFILE CMD [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    signal(SIGINT, SIG_IGN);
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) return 127;
    FILE *f = fopen(argv[1], "w");
    if (f) {
        fprintf(f, "%ld.%06ld %ld.%06ld %ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
                (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, ru.ru_maxrss);
        fclose(f);
    }
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}
