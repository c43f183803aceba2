# The query runner (query/runner) against the real collaboration decider and a scripted engine.
add_executable(query_runner_tests ${CMAKE_CURRENT_LIST_DIR}/runner_tests.cpp)
target_include_directories(query_runner_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/events
                                                   ${PROJECT_SOURCE_DIR}/tests/actors)
target_link_libraries(query_runner_tests PRIVATE crs_query_runner crs_domain crs_catch_main
                                                 Threads::Threads)
add_test(NAME query_runner_tests COMMAND query_runner_tests)
