# source: header mapping, row mapping, validation, request bodies, fingerprints,
# the merge of a modify with the server's source, the input options shared by
# validate and import.
add_library(s3src_source STATIC
  src/source.c src/header.c src/cell.c src/row_map.c src/validate.c src/dupcheck.c
  src/body.c src/merge.c src/input_opts.c src/messages.c)
target_link_libraries(s3src_source PUBLIC s3src_reader s3src_util PkgConfig::JANSSON PkgConfig::CRYPTO)
s3src_unit_test(test_header LIBS s3src_source)
s3src_unit_test(test_row_map LIBS s3src_source)
s3src_unit_test(test_validate LIBS s3src_source)
s3src_unit_test(test_body LIBS s3src_source)
s3src_unit_test(test_dupcheck LIBS s3src_source)
s3src_unit_test(test_messages LIBS s3src_source)
s3src_unit_test(test_merge LIBS s3src_source)
