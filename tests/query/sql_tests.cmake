# The analysis-rule check of protected-query SQL (query/sql). Included from
# tests/CMakeLists.txt, so paths are spelled from this file's folder.
# SQLite only to prove the rewritten SQL prepares (the engine's target is not visible here).
find_package(SQLite3 REQUIRED)
add_executable(query_sql_tests
  ${CMAKE_CURRENT_LIST_DIR}/sql_rules_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_rewrite_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_parameters_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_hostile_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_review_tests.cpp)
target_include_directories(query_sql_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(query_sql_tests PRIVATE crs_query_sql crs_catch_main SQLite::SQLite3)
add_test(NAME query_sql_tests COMMAND query_sql_tests)
