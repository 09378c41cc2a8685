add_library(s3src_writers STATIC src/results.c)
target_link_libraries(s3src_writers PUBLIC s3src_util)
