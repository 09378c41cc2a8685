# fake-panther: the local Panther API stand-in (libmicrohttpd).
add_executable(fake-panther src/fake-panther/main.c)
target_link_libraries(fake-panther PRIVATE PkgConfig::MHD PkgConfig::JANSSON)
