/* Result writers: table, JSON lines and CSV output compared byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "foxhound/writer.h"

/* A schema, a batch and a memory stream that a writer fills. */
typedef struct fixture {
    fh_schema *schema;
    fh_batch batch;
    char *output;
    size_t output_len;
} fixture;

static void fixture_init(fixture *f, const fh_column *cols, size_t ncols)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(fh_schema_create("Results", cols, ncols, &f->schema, NULL), FH_OK);
    assert_int_equal(fh_batch_init(&f->batch, f->schema, NULL), FH_OK);
}

static void fixture_free(fixture *f)
{
    fh_batch_destroy(&f->batch);
    fh_schema_destroy(f->schema);
    free(f->output);
}

/* Appends a row whose cells convert from texts, one per column. */
static void add_row(fixture *f, const char *const *texts)
{
    fh_value *row = NULL;
    assert_int_equal(fh_batch_append(&f->batch, &row, NULL), FH_OK);
    for (size_t c = 0; c < f->schema->ncols; c++) {
        fh_status st = fh_value_from_text(f->schema->cols[c].type, texts[c], strlen(texts[c]),
                                          &f->batch.arena, &row[c]);
        assert_int_equal(st, FH_OK);
    }
}

/* Writes the batch in a format and keeps the output in f->output. */
static void write_all(fixture *f, fh_output_format format, const fh_writer_options *options)
{
    FILE *out = open_memstream(&f->output, &f->output_len);
    assert_non_null(out);
    fh_writer *w = NULL;
    fh_error err;
    assert_int_equal(fh_writer_create(out, format, options, &w, &err), FH_OK);
    assert_int_equal(fh_writer_begin(w, f->schema, &err), FH_OK);
    assert_int_equal(fh_writer_write_batch(w, &f->batch, &err), FH_OK);
    assert_int_equal(fh_writer_end(w, &err), FH_OK);
    assert_int_equal(fh_writer_row_count(w), f->batch.nrows);
    fh_writer_destroy(w);
    fclose(out);
}

static const fh_column typed_columns[] = {
    {"TimeGenerated", FH_TYPE_DATETIME}, {"SourceIP", FH_TYPE_STRING},
    {"DestinationPort", FH_TYPE_INT},    {"Bytes", FH_TYPE_REAL},
    {"Duration", FH_TYPE_TIMESPAN},      {"Extra", FH_TYPE_DYNAMIC},
};

static void fill_typed_rows(fixture *f)
{
    fixture_init(f, typed_columns, 6);
    const char *rows[4][6] = {
        {"2026-06-11 08:20:03 UTC", "10.0.0.5", "443", "1.5", "1.02:03:04.5", "{\"port\": 443}"},
        {"", "=cmd|' /C calc'!A0", "", "", "", ""},
        {"1970-01-01T00:00:00.5Z", "\x1b[31mred\n, \"q\"", "-1", "-0.25", "-00:00:01", "x,y"},
        {"", "-2+3", "0", "1e20", "00:00:00", "\"+1\""},
    };
    for (int r = 0; r < 4; r++)
        add_row(f, rows[r]);
}

static void writer_json_lines(void **state)
{
    (void)state;
    fixture f;
    fill_typed_rows(&f);
    write_all(&f, FH_OUTPUT_JSON, NULL);
    const char *expected =
        "{\"TimeGenerated\":\"2026-06-11T08:20:03Z\",\"SourceIP\":\"10.0.0.5\","
        "\"DestinationPort\":443,\"Bytes\":1.5,\"Duration\":\"1.02:03:04.5000000\","
        "\"Extra\":{\"port\":443}}\n"
        "{\"TimeGenerated\":null,\"SourceIP\":\"=cmd|' /C calc'!A0\",\"DestinationPort\":null,"
        "\"Bytes\":null,\"Duration\":null,\"Extra\":null}\n"
        "{\"TimeGenerated\":\"1970-01-01T00:00:00.5Z\","
        "\"SourceIP\":\"\\u001b[31mred\\n, \\\"q\\\"\",\"DestinationPort\":-1,"
        "\"Bytes\":-0.25,\"Duration\":\"-00:00:01\",\"Extra\":\"x,y\"}\n"
        "{\"TimeGenerated\":null,\"SourceIP\":\"-2+3\",\"DestinationPort\":0,\"Bytes\":1E+20,"
        "\"Duration\":\"00:00:00\",\"Extra\":\"+1\"}\n";
    assert_string_equal(f.output, expected);
    fixture_free(&f);
}

static void writer_csv_quoting(void **state)
{
    (void)state;
    fixture f;
    fill_typed_rows(&f);
    write_all(&f, FH_OUTPUT_CSV, NULL);
    const char *expected = "TimeGenerated,SourceIP,DestinationPort,Bytes,Duration,Extra\r\n"
                           "2026-06-11T08:20:03Z,10.0.0.5,443,1.5,1.02:03:04.5000000,"
                           "\"{\"\"port\"\":443}\"\r\n"
                           ",'=cmd|' /C calc'!A0,,,,\r\n"
                           "1970-01-01T00:00:00.5Z,\"\x1b[31mred\n, \"\"q\"\"\",-1,-0.25,"
                           "-00:00:01,\"x,y\"\r\n"
                           ",'-2+3,0,1E+20,00:00:00,'+1\r\n";
    assert_string_equal(f.output, expected);
    fixture_free(&f);
}

static void writer_csv_formula_prefixes(void **state)
{
    (void)state;
    static const fh_column cols[] = {{"Value", FH_TYPE_STRING}};
    fixture f;
    fixture_init(&f, cols, 1);
    const char *cells[] = {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "'quoted"};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
        add_row(&f, &cells[i]);
    write_all(&f, FH_OUTPUT_CSV, NULL);
    const char *expected = "Value\r\n'=1+1\r\n'+1\r\n'-1\r\n'@SUM(A1)\r\n'\tx\r\n\"'\rx\"\r\n"
                           "a=b\r\n'quoted\r\n";
    assert_string_equal(f.output, expected);
    fixture_free(&f);
}

static const fh_column table_columns[] = {
    {"SourceIP", FH_TYPE_STRING},
    {"DestinationPort", FH_TYPE_INT},
    {"Note", FH_TYPE_STRING},
};

static void fill_table_rows(fixture *f)
{
    fixture_init(f, table_columns, 3);
    const char *rows[3][3] = {
        {"10.0.0.5", "443", "ok"},
        {"\x1b[31mred\n", "",
         "a\x7f"
         "b"},
        {"h\xc3\xa9llo w\xc3\xb6rld, long value", "-1", "\xff"},
    };
    for (int r = 0; r < 3; r++)
        add_row(f, rows[r]);
}

static void writer_table_truncates(void **state)
{
    (void)state;
    fixture f;
    fill_table_rows(&f);
    fh_writer_options options = {.max_cell_width = 12};
    write_all(&f, FH_OUTPUT_TABLE, &options);
    const char *expected = "SourceIP      Destination\xe2\x80\xa6  Note\n"
                           "------------  ------------  ------\n"
                           "10.0.0.5               443  ok\n"
                           "\\x1b[31mred\xe2\x80\xa6                a\\x7fb\n"
                           "h\xc3\xa9llo w\xc3\xb6rld\xe2\x80\xa6            -1  \\xff\n";
    assert_string_equal(f.output, expected);
    fixture_free(&f);
}

static void writer_table_streams_after_measuring(void **state)
{
    (void)state;
    fixture f;
    fill_table_rows(&f);
    fh_writer_options options = {.measure_rows = 1};
    write_all(&f, FH_OUTPUT_TABLE, &options);
    /* Widths come from the header and the first row; later rows overflow them. */
    const char *expected = "SourceIP  DestinationPort  Note\n"
                           "--------  ---------------  ----\n"
                           "10.0.0.5              443  ok\n"
                           "\\x1b[31mred\\n                   a\\x7fb\n"
                           "h\xc3\xa9llo w\xc3\xb6rld, long value               -1  \\xff\n";
    assert_string_equal(f.output, expected);
    fixture_free(&f);
}

static void writer_table_c1_control(void **state)
{
    (void)state;
    static const fh_column cols[] = {{"Message", FH_TYPE_STRING}};
    fixture f;
    fixture_init(&f, cols, 1);
    const char *cell[] = {"x\xc2\x9b"
                          "2Jy"};
    add_row(&f, cell);
    write_all(&f, FH_OUTPUT_TABLE, NULL);
    assert_string_equal(f.output, "Message\n----------\nx\\u009b2Jy\n");
    fixture_free(&f);
}

static void writer_empty_results(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, table_columns, 3);
    write_all(&f, FH_OUTPUT_TABLE, NULL);
    assert_string_equal(f.output, "SourceIP  DestinationPort  Note\n"
                                  "--------  ---------------  ----\n");
    free(f.output);
    f.output = NULL;
    write_all(&f, FH_OUTPUT_JSON, NULL);
    assert_string_equal(f.output, "");
    free(f.output);
    f.output = NULL;
    write_all(&f, FH_OUTPUT_CSV, NULL);
    assert_string_equal(f.output, "SourceIP,DestinationPort,Note\r\n");
    fixture_free(&f);
}

static void writer_rejects_misuse(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, table_columns, 3);
    static const fh_column other_columns[] = {{"Only", FH_TYPE_STRING}};
    fh_schema *other = NULL;
    assert_int_equal(fh_schema_create("Other", other_columns, 1, &other, NULL), FH_OK);
    fh_batch other_batch;
    assert_int_equal(fh_batch_init(&other_batch, other, NULL), FH_OK);

    char *buffer = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buffer, &len);
    fh_writer *w = NULL;
    fh_error err;
    assert_int_equal(fh_writer_create(out, FH_OUTPUT_JSON, NULL, &w, &err), FH_OK);
    assert_int_equal(fh_writer_write_batch(w, &f.batch, &err), FH_ERR_USAGE);
    assert_int_equal(fh_writer_end(w, &err), FH_ERR_USAGE);
    assert_int_equal(fh_writer_begin(w, f.schema, &err), FH_OK);
    assert_int_equal(fh_writer_write_batch(w, &other_batch, &err), FH_ERR_USAGE);
    assert_non_null(strstr(err.message, "1 columns"));
    assert_int_equal(fh_writer_end(w, &err), FH_OK);
    assert_int_equal(fh_writer_end(w, &err), FH_ERR_USAGE);
    fh_writer_destroy(w);
    fh_writer_destroy(NULL);
    fclose(out);
    free(buffer);

    fh_output_format format;
    assert_int_equal(fh_output_format_from_name("csv", &format), FH_OK);
    assert_int_equal(format, FH_OUTPUT_CSV);
    assert_int_equal(fh_output_format_from_name("xml", &format), FH_ERR_USAGE);

    fh_batch_destroy(&other_batch);
    fh_schema_destroy(other);
    fixture_free(&f);
}

static void writer_reports_write_failure(void **state)
{
    (void)state;
    fixture f;
    fill_typed_rows(&f);
    FILE *out = fopen("/dev/full", "w");
    if (out == NULL)
        skip();
    setvbuf(out, NULL, _IONBF, 0);
    fh_writer *w = NULL;
    fh_error err;
    assert_int_equal(fh_writer_create(out, FH_OUTPUT_CSV, NULL, &w, &err), FH_OK);
    assert_int_equal(fh_writer_begin(w, f.schema, &err), FH_ERR_IO);
    assert_non_null(strstr(err.message, "writing the output failed"));
    fh_writer_destroy(w);
    fclose(out);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writer_json_lines),
        cmocka_unit_test(writer_csv_quoting),
        cmocka_unit_test(writer_csv_formula_prefixes),
        cmocka_unit_test(writer_table_truncates),
        cmocka_unit_test(writer_table_streams_after_measuring),
        cmocka_unit_test(writer_table_c1_control),
        cmocka_unit_test(writer_empty_results),
        cmocka_unit_test(writer_rejects_misuse),
        cmocka_unit_test(writer_reports_write_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
