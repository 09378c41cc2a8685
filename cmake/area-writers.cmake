# writers: results file, failed-rows file, --resume, atomic output files, ID
# lists and the export/backup writer. Reads struct source fields only (no
# calls into source.c, to keep the link graph acyclic).
add_library(s3src_writers STATIC
  src/results.c src/failed.c src/resume.c src/atomic.c src/ids.c src/outputs.c src/own_output.c
  src/export_writer.c src/backup_stream.c src/writers_util.c src/causes.c src/results_reader.c)
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
