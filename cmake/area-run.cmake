# run: per-row bookkeeping, the progress line and the fetch phase shared by
# import, export and delete, and the GraphQL listing of the server's sources.
add_library(s3src_run STATIC src/run/run.c src/run/progress.c src/run/fetch.c src/run/id_cmd.c
  src/run/unrecorded.c src/run/listing.c src/run/lost.c src/run/import_match.c)
target_link_libraries(s3src_run PUBLIC s3src_writers s3src_engine s3src_source s3src_util)
s3src_unit_test(test_progress LIBS s3src_run)
s3src_unit_test(test_unrecorded LIBS s3src_run)
s3src_unit_test(test_listing LIBS s3src_run)
s3src_unit_test(test_listing_fetch LIBS s3src_run PkgConfig::MHD)
s3src_unit_test(test_import_match LIBS s3src_run)
