# Activation (snapshot + tail): CAF-free, shared by the actor host, replay tooling and benchmarks.
add_library(crs_activation STATIC activation.cpp)
target_link_libraries(crs_activation PUBLIC crs_domain crs_store crs_snapshots spdlog::spdlog)

# The CAF hosts: the only part of actors/ that sees CAF headers.
add_library(crs_hosts STATIC registry.cpp)
target_link_libraries(crs_hosts PUBLIC crs_domain crs_projections crs_readers crs_store crs_snapshots
                                       crs_activation CAF::core spdlog::spdlog)
