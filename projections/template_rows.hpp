// The analysis template rows of a collaboration (keys.hpp: at/, atl/, cat/, catl/) and the body
// of Create/UpdateAnalysisTemplate (SPEC.md 13, Appendix A). `validations` is no part of any
// row: it depends on the schemas' current rules, so projections/template_view adds it on read.
#pragma once

#include <string>
#include <string_view>

#include "actors/collaboration/commands.hpp"
#include "actors/collaboration/state.hpp"
#include "actors/context.hpp"
#include "projections/collaboration_rows.hpp"

namespace crs::projections {

// Adds the rows of every template of the collaboration to `out`: the owner's rows always (an
// inactive membership still reads and deletes its templates), the collaboration-wide rows only
// while the owning membership is ACTIVE in a live collaboration (SPEC.md 13 [decision], and
// DeleteMember: a removed member's templates stop being listed).
void template_rows(const collaboration::state& s, row_set& out);

// AnalysisTemplate and CollaborationAnalysisTemplate, without validations.
std::string template_json(const collaboration::state& s, const collaboration::template_record& t);
std::string collaboration_template_json(const collaboration::state& s,
                                        const collaboration::template_record& t);

// {"analysisTemplate": ...} after Create/UpdateAnalysisTemplate ("" = 204 for a delete).
std::string template_response(const collaboration::state& s, const collaboration::command& c,
                              const decide_context& ctx);

// Lower-case hex SHA-256 (OpenSSL). PySpark artifacts are never fetched, so their
// sourceMetadata hashes are of the S3 location string "s3://bucket/key" [decision, SPEC.md 13]:
// deterministic, and different for every location.
std::string sha256_hex(std::string_view data);

}  // namespace crs::projections
