add_library(s3src_reader STATIC src/input.c)
target_link_libraries(s3src_reader PUBLIC s3src_util)
