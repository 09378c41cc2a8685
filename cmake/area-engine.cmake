add_library(s3src_engine STATIC src/sched.c)
target_link_libraries(s3src_engine PUBLIC s3src_util)
