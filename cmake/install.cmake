# install.cmake - what 'cmake --install' puts where, and the Debian package
# 'cpack -G DEB' builds from the same rules (docs/packaging.md).
#
#   bin/                               s3src, fake-panther
#   share/man/man1/                    s3src.1.gz, fake-panther.1.gz
#   share/bash-completion/completions/ s3src, fake-panther (the same file)
#   share/zsh/site-functions/          _s3src (zsh's default folder)
#   share/zsh/vendor-completions/      _s3src (the folder Debian's zsh reads)
#   share/doc/s3src/                   README.md, docs/*.md, api/, examples/
#
# Folders come from GNUInstallDirs, so -DCMAKE_INSTALL_PREFIX and DESTDIR work
# as with any CMake project. Only the two programs are installed: the unit
# tests, fuzzers and benchmarks stay in the build folder.
include(GNUInstallDirs)

install(TARGETS s3src fake-panther RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Man pages gzip-compressed (-n: no name or time stamp, so the package is
# reproducible), as Debian installs them.
find_program(S3SRC_GZIP gzip REQUIRED)
set(S3SRC_MAN_PAGES s3src.1 fake-panther.1)
set(S3SRC_MAN_GZ "")
foreach(page ${S3SRC_MAN_PAGES})
  set(src ${CMAKE_SOURCE_DIR}/docs/man/${page})
  set(gz ${CMAKE_BINARY_DIR}/man/${page}.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${S3SRC_GZIP} -9n -c ${src} > ${gz}
    DEPENDS ${src} VERBATIM)
  list(APPEND S3SRC_MAN_GZ ${gz})
endforeach()
add_custom_target(s3src_man ALL DEPENDS ${S3SRC_MAN_GZ})
install(FILES ${S3SRC_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES completion/s3src.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME s3src)
install(FILES completion/s3src.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME fake-panther)
install(FILES completion/_s3src DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES completion/_s3src DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

file(GLOB S3SRC_DOCS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${S3SRC_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES docs/api/panther-s3-sources.openapi.json DESTINATION ${CMAKE_INSTALL_DOCDIR}/api)
install(FILES samples/buckets.csv samples/buckets.jsonl DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# --- the Debian package ---
# Its version is the project's; s3src --version and the man pages must agree
# (e2e_man_options checks the pages against the program).
file(STRINGS ${CMAKE_SOURCE_DIR}/include/s3src.h S3SRC_H_VERSION REGEX "define S3SRC_VERSION ")
if(NOT S3SRC_H_VERSION MATCHES "\"${PROJECT_VERSION}\"")
  message(FATAL_ERROR "include/s3src.h says ${S3SRC_H_VERSION}, CMakeLists.txt says ${PROJECT_VERSION}")
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME s3src)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "bulk create, modify, export and delete Panther S3 log sources")
set(CPACK_PACKAGE_DESCRIPTION
  "s3src creates, modifies, backs up and deletes Panther S3 log sources in bulk\n"
  "through Panther's REST API, from a CSV or JSON Lines file: every row checked\n"
  "offline first, concurrent requests with retries and pacing, one result per\n"
  "row, failed rows in a file of their own, resumable runs. fake-panther, a\n"
  "local stand-in for the API with fault injection, is included for rehearsals.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # s3src_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(S3SRC_PACKAGE_MAINTAINER "s3src maintainers <s3src@invalid>" CACHE STRING
  "the Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${S3SRC_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, jq")
# Depends: dpkg-shlibdeps (dpkg-dev) reads the libraries the programs are
# linked with and names the packages and minimum versions that provide them.
# Without it, the names of Debian 12's packages, unversioned.
find_program(S3SRC_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(S3SRC_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6, libcurl4, libcsv3, libjansson4, zlib1g, libssl3, libmicrohttpd12")
endif()
include(CPack)
