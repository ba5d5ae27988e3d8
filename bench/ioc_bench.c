/*
 * Times fh_ioc_import_file over one indicator file, the first step of every hunt. Prints
 * the indicators loaded, values rejected and skipped, and seconds as one line of key=value
 * pairs. Run it under /usr/bin/time -v for peak memory.
 *
 * Usage: ioc_bench FILE
 */
#include <stdio.h>
#include <time.h>

#include "foxhound/indicator.h"
#include "foxhound/ioc_import.h"

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ioc_bench FILE\n");
        return 2;
    }
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    double start = seconds_now();
    fh_status status = fh_ioc_import_file(argv[1], FH_IOC_FORMAT_AUTO, &set, NULL, &err);
    double elapsed = seconds_now() - start;
    if (status != FH_OK) {
        char message[512];
        fh_error_format(&err, message, sizeof message);
        fprintf(stderr, "ioc_bench: %s\n", message);
        fh_ioc_set_clear(&set);
        return 1;
    }
    printf("indicators=%zu rejected=%llu skipped=%llu seconds=%.3f\n", set.count,
           (unsigned long long)set.rejected_total, (unsigned long long)set.skipped_total, elapsed);
    fh_ioc_set_clear(&set);
    return 0;
}
