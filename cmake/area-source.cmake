# source: header mapping, row mapping, validation, request bodies, fingerprints,
# the merge of a modify with the server's source, the input options shared by
# validate and import.
add_library(s3src_source STATIC src/source/source.c src/source/header.c src/source/cell.c
  src/source/row_map.c src/source/validate.c src/source/dupcheck.c src/source/body.c
  src/source/merge.c src/source/input_opts.c)
target_link_libraries(s3src_source PUBLIC s3src_reader s3src_util PkgConfig::JANSSON PkgConfig::CRYPTO)
s3src_unit_test(test_header LIBS s3src_source)
s3src_unit_test(test_row_map LIBS s3src_source)
s3src_unit_test(test_validate LIBS s3src_source)
s3src_unit_test(test_body LIBS s3src_source)
s3src_unit_test(test_dupcheck LIBS s3src_source)
s3src_unit_test(test_merge LIBS s3src_source)
# the message table is util's; the test reads the field names of this area
s3src_unit_test(test_messages LIBS s3src_source)
