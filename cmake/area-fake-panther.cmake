# fake-panther: the local Panther API stand-in (libmicrohttpd).
# s3src_fake holds the parts without libmicrohttpd (state, schema checks, fault
# decisions) so the unit tests can link them alone.
find_package(Threads REQUIRED)
add_library(s3src_fake STATIC src/fake-panther/store.c src/fake-panther/validate_req.c
  src/fake-panther/faults.c src/fake-panther/ratelimit.c)
target_link_libraries(s3src_fake PUBLIC s3src_util PkgConfig::JANSSON Threads::Threads m)
add_executable(fake-panther src/fake-panther/main.c src/fake-panther/http.c)
target_link_libraries(fake-panther PRIVATE s3src_fake PkgConfig::MHD PkgConfig::JANSSON)
target_include_directories(s3src_fake PUBLIC ${CMAKE_SOURCE_DIR}/src/fake-panther)
s3src_unit_test(test_fake_validate LIBS s3src_fake)
s3src_unit_test(test_fake_faults LIBS s3src_fake)
s3src_unit_test(test_fake_store LIBS s3src_fake)
s3src_unit_test(test_fake_ratelimit LIBS s3src_fake)
