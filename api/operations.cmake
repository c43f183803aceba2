# The operations: route table, dispatcher and one handler file per resource family.
add_library(crs_api_ops STATIC
  dispatcher.cpp
  routes.cpp
  operations/shapes.cpp
  operations/table_shapes.cpp
  operations/collaborations.cpp
  operations/memberships.cpp
  operations/tags.cpp
  operations/configured_tables.cpp
  operations/associations.cpp
  operations/schemas.cpp
  operations/templates.cpp
  operations/change_requests.cpp
  operations/quota_gate.cpp
  operations/access.cpp
  operations/queries.cpp
  operations/query_plan.cpp)
target_link_libraries(crs_api_ops PUBLIC crs_api_base crs_projections crs_readers crs_schema_view
                                   crs_query_sql crs_query_runner spdlog::spdlog)
