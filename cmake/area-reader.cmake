# reader: streaming CSV (libcsv) and JSONL (jansson) input, plain or gzip (zlib).
add_library(s3src_reader STATIC src/reader/input.c src/reader/reader.c src/reader/reader_csv.c
  src/reader/reader_jsonl.c)
target_link_libraries(s3src_reader PUBLIC s3src_util csv::csv PkgConfig::ZLIB PkgConfig::JANSSON)
s3src_unit_test(test_reader LIBS s3src_reader)
