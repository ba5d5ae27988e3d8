/*
 * Progress on standard error for long scans: bytes, lines and rate, redrawn in place at most
 * four times a second, and only when standard error is a terminal and the scan has run for
 * more than a second, so short runs and redirected output stay clean.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_progress.h"

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = isatty(fileno(stderr)) == 1;
    p->started = seconds_now();
}

/* Writes bytes as "812 KB", "1.2 GB" and so on (powers of 1000). */
static void format_bytes(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    size_t u = 0;
    while (bytes >= 1000 && u + 1 < sizeof units / sizeof units[0]) {
        bytes /= 1000;
        u++;
    }
    snprintf(buf, size, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
}

/* A hunt scans several tables at once, so updates may come from several threads. */
static pthread_mutex_t draw_lock = PTHREAD_MUTEX_INITIALIZER;

void cli_progress_update(void *ctx, const char *table, uint64_t bytes, uint64_t lines)
{
    cli_progress *p = ctx;
    if (!p->enabled)
        return;
    pthread_mutex_lock(&draw_lock);
    double now = seconds_now();
    if (now - p->started < 1.0 || now - p->last_draw < 0.25) {
        pthread_mutex_unlock(&draw_lock);
        return;
    }
    p->last_draw = now;

    char amount[32], rate[32];
    format_bytes((double)bytes, amount, sizeof amount);
    format_bytes((double)bytes / (now - p->started), rate, sizeof rate);
    fprintf(stderr, "\r\033[Kfoxhound: %s: %s read, %llu lines, %s/s", table, amount,
            (unsigned long long)lines, rate);
    fflush(stderr);
    p->drawn = true;
    pthread_mutex_unlock(&draw_lock);
}

void cli_progress_finish(cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = false;
}
