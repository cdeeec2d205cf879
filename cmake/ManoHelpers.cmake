# Shared CMake helpers. Warnings are PRIVATE to our own targets.

function(mano_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()

# mano_library(<name> [STATIC] [ALIAS <alias>] [HEADERS <dir>] [SOURCES <file>...])
# One of our libraries: its sources (more may come later with target_sources), its public
# headers' folder (relative to the calling list's folder), the alias others link it by
# (mano::storage...), and our warnings.
function(mano_library name)
  cmake_parse_arguments(L "STATIC" "ALIAS;HEADERS" "SOURCES" ${ARGN})
  set(type)
  if(L_STATIC)
    set(type STATIC)
  endif()
  add_library(${name} ${type} ${L_SOURCES})
  if(L_ALIAS)
    add_library(${L_ALIAS} ALIAS ${name})
  endif()
  if(L_HEADERS)
    target_include_directories(${name} PUBLIC ${L_HEADERS})
  endif()
  mano_warnings(${name})
endfunction()

# mano_uses_test_support(target): the target includes tests/support (ManodProcess,
# ChildProcess...). Those helpers are configured with C++20 designated initializers
# (ChildProcess::Options{.stdout_path = ...}): the fields left out keep their defaults by
# design, which GCC 12 reports field by field under -Wextra, so that warning is off here.
function(mano_uses_test_support target)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  target_compile_options(${target} PRIVATE -Wno-missing-field-initializers)
endfunction()

# mano_add_test(NAME n SOURCES a.cpp... [LIBS l...] [LABELS unit|integration|fault|fuzz...]
#               [TIMEOUT seconds])
# Builds one Catch2 executable (linked with the shared Catch2 main) and registers it
# with ctest under the given labels.
function(mano_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE mano_catch_main ${T_LIBS})
  mano_warnings(${T_NAME})
  mano_uses_test_support(${T_NAME})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  # Every unit test also hangs off one target, so the sanitizer build can build just those.
  if("unit" IN_LIST T_LABELS)
    if(NOT TARGET unit_tests)
      add_custom_target(unit_tests)
    endif()
    add_dependencies(unit_tests ${T_NAME})
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "MANO_BUILD_DIR=${PROJECT_BINARY_DIR};MANO_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# mano_test_needs(<test> <target>...): what a test runs or reads (mano, manod, flakynet, a
# helper child, the built catalogs) is built before it.
function(mano_test_needs test)
  add_dependencies(${test} ${ARGN})
endfunction()
