# util: allocation, strbuf, diagnostic lists, clocks, messages, names, option
# tables (parse_options), connection options.
add_library(s3src_util STATIC src/util.c src/diag.c src/names.c src/conn.c src/process.c
  src/encoding.c src/parse_options.c)
target_link_libraries(s3src_util PUBLIC PkgConfig::JANSSON PkgConfig::CURL m)
s3src_unit_test(test_conn LIBS s3src_util)
s3src_unit_test(test_util LIBS s3src_util)
s3src_unit_test(test_parse_options LIBS s3src_util)
s3src_unit_test(test_diag LIBS s3src_util)
