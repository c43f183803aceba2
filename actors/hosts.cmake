# The CAF hosts: the only part of actors/ that sees CAF headers.
add_library(crs_hosts STATIC registry.cpp)
target_link_libraries(crs_hosts PUBLIC crs_domain crs_projections crs_store CAF::core spdlog::spdlog)
