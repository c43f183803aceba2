# The allocator of the server and the benchmark programs: tcmalloc (gperftools' minimal build,
# Debian's libgoogle-perftools-dev). Every path of this server allocates small strings and nodes
# in bulk (JSON rows, decoded events, CAF messages), and glibc's malloc was a fifth of the CPU in
# rebuild-projections and the simulator (its cross-thread frees and consolidation the most); see
# README "Performance". The benches link it too, so their raw RocksDB ceilings use the same one.
# Off in sanitizer builds: ASan must own malloc.
option(CRS_TCMALLOC "Link tcmalloc_minimal into cleanroomsd and the benchmark programs" ON)
if(CRS_SANITIZE)
  set(CRS_TCMALLOC OFF)
endif()
if(CRS_TCMALLOC)
  find_library(CRS_TCMALLOC_LIBRARY tcmalloc_minimal REQUIRED)
  message(STATUS "allocator: ${CRS_TCMALLOC_LIBRARY}")
endif()

# Links the allocator into executables. --no-as-needed: no symbol of ours names tcmalloc, yet it
# must stay a dependency so its malloc interposes glibc's for every library (RocksDB included).
function(crs_use_allocator)
  if(CRS_TCMALLOC)
    foreach(target IN LISTS ARGN)
      target_link_libraries(${target} PRIVATE
        "-Wl,--push-state,--no-as-needed" ${CRS_TCMALLOC_LIBRARY} "-Wl,--pop-state")
    endforeach()
  endif()
endfunction()
