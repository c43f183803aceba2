# The embedded SQLite engine (query/engine). Included from tests/CMakeLists.txt, so paths
# are spelled from this file's folder.
add_executable(query_engine_tests
  ${CMAKE_CURRENT_LIST_DIR}/engine_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine_security_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine_limits_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine_format_tests.cpp)
target_include_directories(query_engine_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR} ${PROJECT_SOURCE_DIR}/tests/events)
target_link_libraries(query_engine_tests PRIVATE crs_query_engine crs_catch_main Threads::Threads)
add_test(NAME query_engine_tests COMMAND query_engine_tests)
