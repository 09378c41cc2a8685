# engine: the API's requests and replies (api.c), the request scheduler
# (libcurl multi loop) and its pure policies: retry classification and
# backoff, the --rate token bucket, CUBIC pacing.
add_library(s3src_engine STATIC src/engine/api.c src/engine/sched.c src/engine/retry.c
  src/engine/rate.c src/engine/pace.c src/engine/curl_text.c)
target_link_libraries(s3src_engine PUBLIC s3src_util PkgConfig::CURL m)
s3src_unit_test(test_api LIBS s3src_engine)
s3src_unit_test(test_retry LIBS s3src_engine)
s3src_unit_test(test_curl_text LIBS s3src_engine)
s3src_unit_test(test_rate LIBS s3src_engine)
s3src_unit_test(test_pace LIBS s3src_engine)
s3src_unit_test(test_sched LIBS s3src_engine PkgConfig::MHD)
# test_sched scripts a local server's answer delays against client timeouts;
# run it alone so that a loaded 2-core machine cannot reorder them.
set_tests_properties(test_sched PROPERTIES RUN_SERIAL TRUE)
