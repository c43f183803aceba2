// Parsers of the structures several operations share (SPEC.md Appendix A). Each records every
// field error in the validator and returns nullopt where the member is absent or invalid.
#pragma once

#include "api/validate.hpp"
#include "events/query_values.hpp"
#include "events/values.hpp"

namespace crs::api::shapes {

std::string path(const std::string& parent, std::string_view member);
std::string path(const std::string& parent, std::size_t index);

std::optional<std::vector<member_ability>> abilities(validator& v, const boost::json::object& o,
                                                     std::string_view member, const std::string& p,
                                                     bool required);
std::optional<std::vector<ml_ability>> ml_abilities(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p);
std::optional<payment_config> payment(validator& v, const boost::json::object& o,
                                      std::string_view member, const std::string& p);
std::optional<member_spec> member(validator& v, const boost::json::value& item,
                                  const std::string& p);
std::optional<query_result_config> query_result(validator& v, const boost::json::object& o,
                                                std::string_view member, const std::string& p);
// ProtectedQueryResultConfiguration: {outputConfiguration: s3 | member | distribute}.
std::optional<query_output> query_output_config(validator& v, const boost::json::object& o,
                                                std::string_view member, const std::string& p);
std::optional<job_result_config> job_result(validator& v, const boost::json::object& o,
                                            std::string_view member, const std::string& p);
std::optional<data_encryption_metadata> encryption(validator& v, const boost::json::object& o,
                                                   std::string_view member, const std::string& p);
// A list of enum strings (items checked one by one).
template <class E>
std::optional<std::vector<E>> enum_list(validator& v, const boost::json::object& o,
                                        std::string_view member, const std::string& p,
                                        std::optional<E> (*parse)(std::string_view),
                                        std::string_view allowed, bool required,
                                        std::size_t min_items = 0) {
  // No maximum: the model sets none and the body cap (1 MiB) bounds the work.
  const auto* arr = v.array(o, member, p, min_items, SIZE_MAX, required);
  if (!arr) return std::nullopt;
  std::vector<E> out;
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto e = v.enum_item((*arr)[i], path(p, i), parse, allowed);
    if (e)
      out.push_back(*e);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace crs::api::shapes
