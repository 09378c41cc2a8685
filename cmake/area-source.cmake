add_library(s3src_source STATIC src/source.c)
target_link_libraries(s3src_source PUBLIC s3src_util)
