# fuzz: the libFuzzer harnesses of tests/fuzz/ (docs/reliability.md).
#
# Always: each harness is built as a plain program, fuzz_replay_NAME (the
# harness + tests/fuzz/replay.c), and registered with ctest to replay its seed
# corpus (tests/fuzz/corpus/NAME) and its crash reproducers
# (tests/fuzz/regress/NAME), so every finding stays a regression test of the
# normal suite (and runs under ASan + UBSan with -DS3SRC_SANITIZE=ON).
#
# With -DS3SRC_FUZZ=ON and clang: fuzz_NAME, the libFuzzer binaries, in
# BUILD/fuzz/. The code under test is compiled again for them, with coverage
# instrumentation (-fsanitize=fuzzer-no-link) and ASan + UBSan, into the
# library s3src_fuzz_code. tests/fuzz/run.sh builds and runs them.
set(S3SRC_FUZZ_HARNESSES fuzz_csv fuzz_jsonl fuzz_resume fuzz_response fuzz_listing)
set(S3SRC_FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)

foreach(h ${S3SRC_FUZZ_HARNESSES})
  add_executable(fuzz_replay_${h} ${S3SRC_FUZZ_DIR}/${h}.c ${S3SRC_FUZZ_DIR}/replay.c
    ${S3SRC_FUZZ_DIR}/fuzz_util.c)
  target_compile_options(fuzz_replay_${h} PRIVATE ${S3SRC_TEST_INCLUDES})
  target_link_libraries(fuzz_replay_${h} PRIVATE s3src_run s3src_writers s3src_source
    s3src_reader s3src_util PkgConfig::ZLIB)
  set_target_properties(fuzz_replay_${h} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  set(args ${S3SRC_FUZZ_DIR}/corpus/${h})
  if(EXISTS ${S3SRC_FUZZ_DIR}/regress/${h})
    list(APPEND args ${S3SRC_FUZZ_DIR}/regress/${h})
  endif()
  add_test(NAME fuzz_replay_${h} COMMAND fuzz_replay_${h} ${args})
  set_tests_properties(fuzz_replay_${h} PROPERTIES LABELS "unit;fuzz")
endforeach()

if(S3SRC_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "S3SRC_FUZZ=ON needs clang (libFuzzer): -DCMAKE_C_COMPILER=clang")
  endif()
  set(S3SRC_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g)
  set(S3SRC_FUZZ_CODE)
  foreach(d ${S3SRC_AREA_DIRS})
    if(NOT d STREQUAL "cmd")
      file(GLOB code CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${d}/*.c)
      list(APPEND S3SRC_FUZZ_CODE ${code})
    endif()
  endforeach()
  add_library(s3src_fuzz_code STATIC ${S3SRC_FUZZ_CODE})
  target_compile_options(s3src_fuzz_code PRIVATE -fsanitize=fuzzer-no-link ${S3SRC_FUZZ_FLAGS})
  target_link_libraries(s3src_fuzz_code PUBLIC PkgConfig::CURL PkgConfig::JANSSON PkgConfig::CRYPTO
    PkgConfig::ZLIB csv::csv m)
  foreach(h ${S3SRC_FUZZ_HARNESSES})
    add_executable(${h} ${S3SRC_FUZZ_DIR}/${h}.c ${S3SRC_FUZZ_DIR}/fuzz_util.c)
    target_compile_options(${h} PRIVATE -fsanitize=fuzzer ${S3SRC_FUZZ_FLAGS} ${S3SRC_TEST_INCLUDES})
    target_link_options(${h} PRIVATE -fsanitize=fuzzer ${S3SRC_FUZZ_FLAGS})
    target_link_libraries(${h} PRIVATE s3src_fuzz_code)
    set_target_properties(${h} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  endforeach()
endif()
