# util: allocation, strbuf, diagnostic lists, clocks, messages (and the table
# of the input checks' messages), names, option tables (parse_options),
# connection options.
add_library(s3src_util STATIC src/util/util.c src/util/diag.c src/util/names.c src/util/conn.c
  src/util/process.c src/util/encoding.c src/util/parse_options.c src/util/messages.c)
target_link_libraries(s3src_util PUBLIC PkgConfig::JANSSON PkgConfig::CURL m)
s3src_unit_test(test_conn LIBS s3src_util)
s3src_unit_test(test_util LIBS s3src_util)
s3src_unit_test(test_parse_options LIBS s3src_util)
s3src_unit_test(test_diag LIBS s3src_util)
