# Packaging.cmake: install rules and the Debian package (CPack).
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build
#   (cd build && cpack -G DEB)          -> build/todo-fcgi_<version>_amd64.deb
#
# The layout is Debian's: the binary in /usr/bin, units in /lib/systemd/system,
# configuration in /etc (conffiles), read-only data in /usr/share/todo-fcgi.
# Paths under /etc and /lib are absolute on purpose: this is the package's
# layout, whatever CMAKE_INSTALL_PREFIX says. Install with the package, not
# with `cmake --install`.
#
# Included by the top-level CMakeLists.txt, which defines the target todo-fcgi.

set(TODO_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH
    "Where the package installs systemd units (bookworm: /lib/systemd/system)")
set(TODO_PACKAGE_MAINTAINER "todo-fcgi maintainers <maintainers@todo-fcgi.example.org>" CACHE STRING
    "Maintainer field of the Debian package")

set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(_pkg_src ${CMAKE_CURRENT_LIST_DIR}/..)

# ---------------------------------------------------------------- build flags

# The service is compiled and linked with the flags a Debian package build
# uses, from dpkg-buildflags with every hardening feature on
# (DEB_BUILD_MAINT_OPTIONS=hardening=+all): -D_FORTIFY_SOURCE=2,
# -fstack-protector-strong, -Wformat -Werror=format-security, full RELRO
# (-z relro -z now), and PIE (gcc's default on Debian). They apply to every
# build but the sanitizer and fuzzing ones, so the tests run the code as it
# is packaged. -O2 among them wins over the build type's -O3.
if(TODO_SANITIZE OR TODO_FUZZ)
  set(_pkg_flags_default OFF)
else()
  set(_pkg_flags_default ON)
endif()
option(TODO_DEB_BUILDFLAGS "Compile and link the service with dpkg-buildflags (hardening=+all)"
       ${_pkg_flags_default})
find_program(DPKG_BUILDFLAGS dpkg-buildflags)
if(TODO_DEB_BUILDFLAGS AND NOT DPKG_BUILDFLAGS)
  message(WARNING "dpkg-buildflags not found (package dpkg-dev): building without Debian's "
                  "hardening flags; do not package this build")
elseif(TODO_DEB_BUILDFLAGS)
  foreach(var CPPFLAGS CXXFLAGS LDFLAGS)
    # From the source directory: -ffile-prefix-map= maps it to "." (reproducible builds).
    execute_process(COMMAND ${CMAKE_COMMAND} -E env DEB_BUILD_MAINT_OPTIONS=hardening=+all
                            ${DPKG_BUILDFLAGS} --get ${var}
                    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE _flags
                    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
    separate_arguments(_pkg_${var} UNIX_COMMAND "${_flags}")
  endforeach()
  # The binary and the libraries of its layers (CMake has no CPPFLAGS: Debian's
  # cmake builds pass them with the compiler flags too).
  get_property(_pkg_targets DIRECTORY ${CMAKE_SOURCE_DIR} PROPERTY BUILDSYSTEM_TARGETS)
  list(FILTER _pkg_targets INCLUDE REGEX "^todo[-_]")
  foreach(target ${_pkg_targets})
    target_compile_options(${target} PRIVATE ${_pkg_CPPFLAGS} ${_pkg_CXXFLAGS})
  endforeach()
  target_link_options(todo-fcgi PRIVATE ${_pkg_LDFLAGS})
  string(JOIN " " _flags ${_pkg_CPPFLAGS} ${_pkg_CXXFLAGS} ${_pkg_LDFLAGS})
  message(STATUS "todo-fcgi: Debian's build flags (hardening=+all): ${_flags}")
endif()
set(_pkg_doc share/doc/todo-fcgi)
set(_pkg_gen ${CMAKE_BINARY_DIR}/packaging)

# ---------------------------------------------------------------- install rules

install(TARGETS todo-fcgi RUNTIME DESTINATION bin)
# Stripped as dh_strip strips an executable: its symbols, and the .comment and
# .note sections (compiler versions, nothing the program needs).
install(CODE "execute_process(COMMAND ${CMAKE_STRIP} --remove-section=.comment --remove-section=.note
                                      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/todo-fcgi\"
                              COMMAND_ERROR_IS_FATAL ANY)")

# systemd: the socket owns the socket, the service takes it, the one-shot migrates.
install(FILES ${_pkg_src}/systemd/todo-fcgi.socket
              ${_pkg_src}/systemd/todo-fcgi.service
              ${_pkg_src}/systemd/todo-fcgi-migrate.service
        DESTINATION ${TODO_SYSTEMD_UNIT_DIR})

# Configuration (conffiles). /etc/todo-fcgi's owner and mode (root:todo-fcgi
# 0750) and its jwt_secret are set up by the postinst, once the user exists.
install(FILES ${_pkg_src}/systemd/todo-fcgi.env DESTINATION /etc/todo-fcgi)

# nginx: the production site (not enabled) and the snippets it shares with the
# development stack, one source of truth.
install(FILES ${_pkg_src}/nginx/todo-fcgi.conf
        DESTINATION /etc/nginx/sites-available RENAME todo-fcgi)
file(GLOB _pkg_snippets CONFIGURE_DEPENDS ${_pkg_src}/nginx/snippets/*.conf)
install(FILES ${_pkg_snippets} DESTINATION /etc/nginx/snippets/todo-fcgi)

# Read-only data: the browser app nginx serves, and the migrations (compiled
# into the binary; shipped as SQL for reading and auditing).
install(DIRECTORY ${_pkg_src}/frontend/ DESTINATION share/todo-fcgi/frontend
        FILES_MATCHING PATTERN "*.html" PATTERN "*.js" PATTERN "*.css" PATTERN "*.svg"
                       PATTERN "*.png" PATTERN "*.ico" PATTERN "*.webmanifest" PATTERN "*.woff2")
file(GLOB _pkg_migrations CONFIGURE_DEPENDS ${_pkg_src}/db/migrations/*.sql)
install(FILES ${_pkg_migrations} DESTINATION share/todo-fcgi/migrations)

# Documentation: the deployment and operations manual, docs/deployment.md,
# gzipped as Debian wants documentation that is not small (-9n: no timestamp),
# like the changelog and the man page below. Editing either of those two
# sources re-runs CMake, so the package never ships a stale copy.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${_pkg_src}/docs/deployment.md ${_pkg_src}/cmake/debian/todo-fcgi.8)
file(MAKE_DIRECTORY ${_pkg_gen})
execute_process(COMMAND gzip -9nc ${_pkg_src}/docs/deployment.md
                OUTPUT_FILE ${_pkg_gen}/deployment.md.gz COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${_pkg_gen}/deployment.md.gz ${_pkg_src}/cmake/debian/copyright DESTINATION ${_pkg_doc})
install(FILES ${_pkg_src}/nginx/upstream-multi-host.conf.example ${_pkg_src}/docs/prometheus/prometheus.yml
              ${_pkg_src}/docs/prometheus/todo-fcgi.rules.yml DESTINATION ${_pkg_doc}/examples)
install(FILES ${_pkg_src}/cmake/debian/lintian-overrides
        DESTINATION share/lintian/overrides RENAME todo-fcgi)

# ---------------------------------------------------------------- package metadata

set(TODO_DEB_VERSION ${PROJECT_VERSION})
set(TODO_DEB_MAINTAINER ${TODO_PACKAGE_MAINTAINER})
# SOURCE_DATE_EPOCH, when set, makes the date (and so the package) reproducible.
string(TIMESTAMP TODO_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${_pkg_src}/cmake/debian/changelog.in ${_pkg_gen}/changelog @ONLY)
# Debian wants it compressed with gzip -9 and without a timestamp (-n).
execute_process(COMMAND gzip -9nc ${_pkg_gen}/changelog
                OUTPUT_FILE ${_pkg_gen}/changelog.gz COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${_pkg_gen}/changelog.gz DESTINATION ${_pkg_doc})
execute_process(COMMAND gzip -9nc ${_pkg_src}/cmake/debian/todo-fcgi.8
                OUTPUT_FILE ${_pkg_gen}/todo-fcgi.8.gz COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${_pkg_gen}/todo-fcgi.8.gz DESTINATION share/man/man8)

# Every file under /etc is a conffile: dpkg keeps the admin's changes on upgrade.
set(_pkg_conffiles "/etc/todo-fcgi/todo-fcgi.env\n/etc/nginx/sites-available/todo-fcgi\n")
foreach(snippet ${_pkg_snippets})
  get_filename_component(name ${snippet} NAME)
  string(APPEND _pkg_conffiles "/etc/nginx/snippets/todo-fcgi/${name}\n")
endforeach()
file(WRITE ${_pkg_gen}/conffiles ${_pkg_conffiles})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME todo-fcgi)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${TODO_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "multi-user to-do list service (FastCGI, nginx, PostgreSQL)")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${TODO_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The summary above is the synopsis line; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "todo-fcgi is a small web service for personal task lists: people register
and sign in from a browser, and each sees and changes only their own tasks.
.
nginx serves the browser app and passes /api/ over FastCGI to todo-fcgi, a
pre-forking pool of worker processes and threads, started by a systemd socket
and sandboxed. Requests carry JWTs verified without session state; passwords
are hashed with bcrypt; PostgreSQL row-level security keeps users apart.
.
The package ships the binary, systemd units, an nginx site (not enabled), the
browser app, the database migrations and a deployment manual.")
# Libraries from dpkg-shlibdeps; adduser for the postinst; procps for /bin/kill,
# which `systemctl reload` runs (ExecReload=), and which a minimal system such
# as a container lacks. nginx is only recommended: a worker host behind another
# host's nginx does not need it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, procps")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_pkg_src}/cmake/debian/postinst
    ${_pkg_src}/cmake/debian/prerm
    ${_pkg_src}/cmake/debian/postrm
    ${_pkg_gen}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
