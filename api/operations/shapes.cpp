#include "api/operations/shapes.hpp"

namespace crs::api::shapes {

constexpr std::string_view ability_values = "CAN_QUERY, CAN_RECEIVE_RESULTS, CAN_RUN_JOB";
constexpr std::string_view ml_values = "CAN_RECEIVE_MODEL_OUTPUT, CAN_RECEIVE_INFERENCE_OUTPUT";

std::string path(const std::string& parent, std::string_view member) {
  return parent.empty() ? std::string(member) : parent + "." + std::string(member);
}
std::string path(const std::string& parent, std::size_t index) {
  return parent + "." + std::to_string(index);
}

std::optional<std::vector<member_ability>> abilities(validator& v, const boost::json::object& o,
                                                     std::string_view member, const std::string& p,
                                                     bool required) {
  return enum_list(v, o, member, p, &parse_member_ability, ability_values, required);
}

std::optional<std::vector<ml_ability>> ml_abilities(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p) {
  const auto* ml = v.object(o, member, p, false);
  if (!ml) return std::nullopt;
  return enum_list(v, *ml, "customMLMemberAbilities", path(p, "customMLMemberAbilities"),
                   &parse_ml_ability, ml_values, true, 1);
}

namespace {
std::optional<bool> responsibility(validator& v, const boost::json::object& o,
                                   std::string_view member, const std::string& p, bool required) {
  const auto* obj = v.object(o, member, p, required);
  if (!obj) return std::nullopt;
  return v.boolean(*obj, "isResponsible", path(p, "isResponsible"), true);
}
}  // namespace

std::optional<payment_config> payment(validator& v, const boost::json::object& o,
                                      std::string_view member, const std::string& p) {
  const auto* obj = v.object(o, member, p, false);
  if (!obj) return std::nullopt;
  using d = payment_dimension;
  payment_config out;
  out.at(d::query_compute) = responsibility(v, *obj, "queryCompute", path(p, "queryCompute"), true);
  out.at(d::job_compute) = responsibility(v, *obj, "jobCompute", path(p, "jobCompute"), false);
  const std::string mlp = path(p, "machineLearning");
  if (const auto* ml = v.object(*obj, "machineLearning", mlp, false)) {
    out.machine_learning_sent = true;
    out.at(d::model_training) =
        responsibility(v, *ml, "modelTraining", path(mlp, "modelTraining"), false);
    out.at(d::model_inference) =
        responsibility(v, *ml, "modelInference", path(mlp, "modelInference"), false);
    out.at(d::synthetic_data_generation) = responsibility(
        v, *ml, "syntheticDataGeneration", path(mlp, "syntheticDataGeneration"), false);
  }
  return out;
}

std::optional<member_spec> member(validator& v, const boost::json::value& item,
                                  const std::string& p) {
  if (!item.is_object()) {
    v.add(p, "Member must be a structure");
    return std::nullopt;
  }
  const auto& o = item.as_object();
  member_spec m;
  auto account = v.str(o, "accountId", path(p, "accountId"), account_rule, true);
  auto abl = abilities(v, o, "memberAbilities", path(p, "memberAbilities"), true);
  m.ml_abilities = ml_abilities(v, o, "mlMemberAbilities", path(p, "mlMemberAbilities"));
  auto name = v.str(o, "displayName", path(p, "displayName"), name_rule, true);
  m.payment = payment(v, o, "paymentConfiguration", path(p, "paymentConfiguration"));
  if (!account || !abl || !name) return std::nullopt;
  m.account = *account;
  m.abilities = *abl;
  m.display_name = *name;
  return m;
}

namespace {
// A union: exactly one known member. Returns the name of the one set, or empty.
std::string one_of(validator& v, const boost::json::object& u, const std::string& p,
                   std::initializer_list<std::string_view> known) {
  std::string found;
  int n = 0;
  for (auto k : known) {
    auto it = u.find(k);
    if (it != u.end() && !it->value().is_null()) {
      ++n;
      found = std::string(k);
    }
  }
  if (n != 1) {
    v.add(p, "Member must have exactly one of its union members set");
    return {};
  }
  return found;
}
constexpr string_rule bucket_rule{3, 63, pattern::s3_bucket};
constexpr string_rule key_prefix_rule{0, 512, pattern::key_prefix};
constexpr string_rule role_arn_rule{32, 512, pattern::role_arn};
}  // namespace

std::optional<query_result_config> query_result(validator& v, const boost::json::object& o,
                                                std::string_view member, const std::string& p) {
  const auto* obj = v.object(o, member, p, false);
  if (!obj) return std::nullopt;
  const std::string op = path(p, "outputConfiguration");
  const auto* out_cfg = v.object(*obj, "outputConfiguration", op, true);
  auto role = v.str(*obj, "roleArn", path(p, "roleArn"), role_arn_rule, false);
  if (!out_cfg || one_of(v, *out_cfg, op, {"s3"}).empty()) return std::nullopt;
  const std::string sp = path(op, "s3");
  const auto* s3 = v.object(*out_cfg, "s3", sp, true);
  if (!s3) return std::nullopt;
  auto format = v.enumeration(*s3, "resultFormat", path(sp, "resultFormat"), &parse_result_format,
                              "CSV, PARQUET", true);
  auto bucket = v.str(*s3, "bucket", path(sp, "bucket"), bucket_rule, true);
  auto prefix = v.str(*s3, "keyPrefix", path(sp, "keyPrefix"), key_prefix_rule, false);
  auto single = v.boolean(*s3, "singleFileOutput", path(sp, "singleFileOutput"), false);
  if (!format || !bucket) return std::nullopt;
  return query_result_config{*format, *bucket, prefix, single, role};
}

namespace {
// ProtectedQueryS3OutputConfiguration.
std::optional<query_s3_output> query_s3(validator& v, const boost::json::object& s3,
                                        const std::string& sp) {
  auto format = v.enumeration(s3, "resultFormat", path(sp, "resultFormat"), &parse_result_format,
                              "CSV, PARQUET", true);
  auto bucket = v.str(s3, "bucket", path(sp, "bucket"), bucket_rule, true);
  auto prefix = v.str(s3, "keyPrefix", path(sp, "keyPrefix"), key_prefix_rule, false);
  auto single = v.boolean(s3, "singleFileOutput", path(sp, "singleFileOutput"), false);
  if (!format || !bucket) return std::nullopt;
  return query_s3_output{*format, *bucket, prefix, single};
}

// One of s3 | member, as a union object at `p` (`kinds` says which members are known).
std::optional<query_location> query_location_at(validator& v, const boost::json::object& u,
                                                const std::string& p,
                                                std::initializer_list<std::string_view> kinds) {
  const auto kind = one_of(v, u, p, kinds);
  if (kind.empty()) return std::nullopt;
  const auto* body = v.object(u, kind, path(p, kind), true);
  if (!body) return std::nullopt;
  if (kind == "s3") {
    auto s3 = query_s3(v, *body, path(p, "s3"));
    if (!s3) return std::nullopt;
    return query_location{std::move(*s3)};
  }
  auto account = v.str(*body, "accountId", path(path(p, kind), "accountId"), account_rule, true);
  if (!account) return std::nullopt;
  return query_location{query_member_output{std::move(*account)}};
}
}  // namespace

std::optional<query_output> query_output_config(validator& v, const boost::json::object& o,
                                                std::string_view member, const std::string& p) {
  const auto* obj = v.object(o, member, p, false);
  if (!obj) return std::nullopt;
  const std::string op = path(p, "outputConfiguration");
  const auto* out_cfg = v.object(*obj, "outputConfiguration", op, true);
  if (!out_cfg) return std::nullopt;
  if (out_cfg->contains("distribute") && !out_cfg->at("distribute").is_null() &&
      !out_cfg->contains("s3") && !out_cfg->contains("member")) {
    const auto dp = path(op, "distribute");
    const auto* d = v.object(*out_cfg, "distribute", dp, true);
    if (!d) return std::nullopt;
    const auto lp = path(dp, "locations");
    const auto* arr = v.array(*d, "locations", lp, 1, 5, true);
    if (!arr) return std::nullopt;
    query_output out;
    out.distribute = true;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* item = v.object_item((*arr)[i], path(lp, i));
      if (!item) continue;
      if (auto l = query_location_at(v, *item, path(lp, i), {"s3", "member"}))
        out.locations.push_back(std::move(*l));
    }
    if (out.locations.size() != arr->size()) return std::nullopt;
    return out;
  }
  auto l = query_location_at(v, *out_cfg, op, {"s3", "member", "distribute"});
  if (!l) return std::nullopt;
  query_output out;
  out.locations.push_back(std::move(*l));
  return out;
}

std::optional<job_result_config> job_result(validator& v, const boost::json::object& o,
                                            std::string_view member, const std::string& p) {
  const auto* obj = v.object(o, member, p, false);
  if (!obj) return std::nullopt;
  const std::string op = path(p, "outputConfiguration");
  const auto* out_cfg = v.object(*obj, "outputConfiguration", op, true);
  auto role = v.str(*obj, "roleArn", path(p, "roleArn"), role_arn_rule, true);
  if (!out_cfg || one_of(v, *out_cfg, op, {"s3"}).empty()) return std::nullopt;
  const std::string sp = path(op, "s3");
  const auto* s3 = v.object(*out_cfg, "s3", sp, true);
  if (!s3) return std::nullopt;
  auto bucket = v.str(*s3, "bucket", path(sp, "bucket"), bucket_rule, true);
  auto prefix = v.str(*s3, "keyPrefix", path(sp, "keyPrefix"), key_prefix_rule, false);
  if (!bucket || !role) return std::nullopt;
  return job_result_config{*bucket, prefix, *role};
}

std::optional<data_encryption_metadata> encryption(validator& v, const boost::json::object& o,
                                                   std::string_view member, const std::string& p) {
  const auto* obj = v.object(o, member, p, false);
  if (!obj) return std::nullopt;
  auto a = v.boolean(*obj, "allowCleartext", path(p, "allowCleartext"), true);
  auto b = v.boolean(*obj, "allowDuplicates", path(p, "allowDuplicates"), true);
  auto c = v.boolean(*obj, "allowJoinsOnColumnsWithDifferentNames",
                     path(p, "allowJoinsOnColumnsWithDifferentNames"), true);
  auto d = v.boolean(*obj, "preserveNulls", path(p, "preserveNulls"), true);
  if (!a || !b || !c || !d) return std::nullopt;
  return data_encryption_metadata{*a, *b, *c, *d};
}

}  // namespace crs::api::shapes
