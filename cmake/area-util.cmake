# util: allocation, strbuf, diagnostic lists, clocks, messages, names, connection options.
add_library(s3src_util STATIC src/util.c src/diag.c src/names.c src/conn.c src/process.c src/encoding.c)
target_link_libraries(s3src_util PUBLIC PkgConfig::JANSSON PkgConfig::CURL m)
s3src_unit_test(test_conn LIBS s3src_util)
s3src_unit_test(test_util LIBS s3src_util)
s3src_unit_test(test_diag LIBS s3src_util)
