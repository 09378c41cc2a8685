# writers: results file, failed-rows file, --resume, atomic output files, ID
# lists and the export/backup writer. Reads struct source fields only (no
# calls into source.c, to keep the link graph acyclic).
add_library(s3src_writers STATIC src/writers/results.c src/writers/failed.c src/writers/resume.c
  src/writers/atomic.c src/writers/ids.c src/writers/outputs.c src/writers/own_output.c
  src/writers/export_writer.c src/writers/backup_stream.c src/writers/writers_util.c
  src/writers/causes.c src/writers/results_reader.c)
target_link_libraries(s3src_writers PUBLIC s3src_reader s3src_util csv::csv PkgConfig::JANSSON PkgConfig::ZLIB)
s3src_unit_test(test_results LIBS s3src_writers)
s3src_unit_test(test_atomic LIBS s3src_writers)
s3src_unit_test(test_outputs LIBS s3src_writers)
s3src_unit_test(test_failed LIBS s3src_writers)
s3src_unit_test(test_resume LIBS s3src_writers)
s3src_unit_test(test_ids LIBS s3src_writers)
s3src_unit_test(test_export_writer LIBS s3src_writers)
s3src_unit_test(test_causes LIBS s3src_writers)
s3src_unit_test(test_backup_stream LIBS s3src_writers)
