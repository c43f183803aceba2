# Sanitizer and fuzzing builds (README "Fuzzing and sanitizers"). Both go in one build directory,
# build-asan, configured with CC=clang CXX=clang++:
#   CRS_SANITIZE=ON  every target of this project is built with ASan + UBSan; any UBSan report
#                    aborts (no recovery), so a test run cannot pass with one in its log.
#   CRS_FUZZ=ON      also the libFuzzer targets of tests/fuzz (clang only; implies CRS_SANITIZE).
# The system libraries (CAF, RocksDB, Boost.JSON, ...) are not instrumented: ASan still sees
# their heap through its malloc, but not their own out-of-bounds accesses.
option(CRS_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CRS_FUZZ "Build the libFuzzer targets in tests/fuzz (clang; implies CRS_SANITIZE)" OFF)

if(CRS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CRS_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  set(CRS_SANITIZE ON)
endif()

# Compile time dominates this build on 2 cores: at -O0 with line tables only (enough for
# symbolized reports) the template-heavy test files build about 4x faster than at -O2 -g. They
# come after the build type's flags, so they win.
set(CRS_SANITIZE_OPT "-O0;-gline-tables-only" CACHE STRING "Optimization flags of a CRS_SANITIZE build")

if(CRS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer ${CRS_SANITIZE_OPT})
  add_link_options(-fsanitize=address,undefined)
endif()

# Coverage feedback for the fuzzers, only in the libraries they exercise (every unit test
# linking an instrumented library would pay for the comparison hooks for nothing); those few
# files are optimized, as fuzzing speed is executions per second.
function(crs_fuzz_instrument)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link -O1)
  endforeach()
endfunction()

# `crs_checks`: the ctest executables (every executable under tests/) and, with CRS_FUZZ, the
# fuzz targets, so the sanitizer build compiles what it runs and not the server or the benches.
# Deferred to the end of the top-level directory, when every target exists.
function(crs_collect_executables dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  set(found)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(type STREQUAL "EXECUTABLE")
      list(APPEND found ${t})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    crs_collect_executables(${sub} sub_found)
    list(APPEND found ${sub_found})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(crs_add_checks_target)
  if(NOT CRS_BUILD_TESTS)
    return()
  endif()
  crs_collect_executables(${PROJECT_SOURCE_DIR}/tests executables)
  add_custom_target(crs_checks)
  if(executables)
    add_dependencies(crs_checks ${executables})
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL crs_add_checks_target)
