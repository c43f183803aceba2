// Analysis templates (SPEC.md 13). Membership-addressed operations answer an unknown or foreign
// membership with 404 MEMBERSHIP; collaboration-addressed ones answer 403 unless the caller is
// an ACTIVE member of the live collaboration, then 404 COLLABORATION (resourceId = the ARN) for
// a template that is not listed there (SPEC.md 3.3, 2.4). Every read of a whole template, and
// the bodies of Create/Update, carry `validations` computed now (projections/template_view).
#include <set>

#include <boost/json/parse.hpp>

#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "api/operations/shapes.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/json_writer.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"
#include "projections/template_view.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;
using shapes::path;

constexpr string_rule text_rule{0, 255, pattern::text};
constexpr string_rule alias_rule{1, 128, pattern::alias};
constexpr string_rule role_rule{32, 512, pattern::role_arn};
constexpr string_rule bucket_rule{3, 63, pattern::s3_bucket};
constexpr string_rule template_arn_rule{0, 200, pattern::analysis_template_arn};
constexpr string_rule source_text_rule{0, 500000, pattern::none};
constexpr string_rule default_value_rule{0, 1000, pattern::none};
constexpr std::size_t max_parameters = 50;
constexpr std::size_t max_batch = 10;
constexpr const char* format_values = "SQL, PYSPARK_1_0";
constexpr const char* parameter_type_values =
    "SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE_PRECISION, BOOLEAN, CHAR, VARCHAR, DATE, "
    "TIMESTAMP, TIMESTAMPTZ, TIME, TIMETZ, VARBYTE, BINARY, BYTE, CHARACTER, DOUBLE, FLOAT, INT, "
    "LONG, NUMERIC, SHORT, STRING, TIMESTAMP_LTZ, TIMESTAMP_NTZ, TINYINT";
constexpr std::string_view wrapper = "{\"analysisTemplate\":";

std::optional<bool> parse_detailed(std::string_view s) {
  if (s == "DETAILED") return true;
  return std::nullopt;
}

std::string with_validations(const call& c, std::string_view template_json) {
  return projections::template_view(*c.svc.schemas).with_validations(template_json);
}

// S3LocationKeyString: [a-zA-Z0-9!_.*'()-/]+ — the class holds the range ')'..'/', so also '+'
// and ','.
bool is_s3_key(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '!' || ch == '_' || ch == '.' || ch == '*' ||
                    ch == '\'' || ch == '(' || (ch >= ')' && ch <= '/');
    if (!ok) return false;
  }
  return true;
}

std::string pattern_message(const std::string& value, const std::string& p,
                            std::string_view pattern_text) {
  return "Value '" + value + "' at '" + p +
         "' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
         std::string(pattern_text);
}

// AnalysisTemplateArtifact: {"location": S3Location}.
std::optional<s3_location> artifact(validator& v, const boost::json::object& o,
                                    const std::string& p) {
  const auto* loc = v.object(o, "location", path(p, "location"), true);
  if (!loc) return std::nullopt;
  const auto lp = path(p, "location");
  auto bucket = v.str(*loc, "bucket", path(lp, "bucket"), bucket_rule, true);
  auto key = v.str(*loc, "key", path(lp, "key"), string_rule{1, 1024, pattern::none}, true);
  if (key && !is_s3_key(*key)) {
    v.add(path(lp, "key"), pattern_message(*key, path(lp, "key"), "[a-zA-Z0-9!_.*'()-/]+"));
    return std::nullopt;
  }
  if (!bucket || !key) return std::nullopt;
  return s3_location{*bucket, *key};
}

// AnalysisTemplateArtifacts.
std::optional<template_artifacts> artifacts(validator& v, const boost::json::object& o,
                                            const std::string& p) {
  const auto errors = v.errors().size();
  template_artifacts out;
  if (const auto* entry = v.object(o, "entryPoint", path(p, "entryPoint"), true))
    if (auto l = artifact(v, *entry, path(p, "entryPoint"))) out.entry_point = std::move(*l);
  const auto ap = path(p, "additionalArtifacts");
  if (const auto* extra = v.array(o, "additionalArtifacts", ap, 1, 1, false)) {
    out.additional_artifacts.emplace();
    for (std::size_t i = 0; i < extra->size(); ++i)
      if (const auto* item = v.object_item((*extra)[i], path(ap, i)))
        if (auto l = artifact(v, *item, path(ap, i)))
          out.additional_artifacts->push_back(std::move(*l));
  }
  if (auto role = v.str(o, "roleArn", path(p, "roleArn"), role_rule, true))
    out.role_arn = std::move(*role);
  if (v.errors().size() != errors) return std::nullopt;
  return out;
}

// AnalysisSource: exactly one of text / artifacts.
std::optional<analysis_source> source(validator& v, const boost::json::object& b) {
  const auto* u = v.object(b, "source", "source", true);
  if (!u) return std::nullopt;
  const auto* text = u->if_contains("text");
  const auto* arts = u->if_contains("artifacts");
  const bool has_text = text && !text->is_null();
  const bool has_arts = arts && !arts->is_null();
  if (has_text == has_arts) {
    v.add("source", "Member must have exactly one of its union members set");
    return std::nullopt;
  }
  if (has_text) {
    auto t = v.str(*u, "text", "source.text", source_text_rule, true);
    if (!t) return std::nullopt;
    return analysis_source{std::move(*t)};
  }
  const auto* o = v.object(*u, "artifacts", "source.artifacts", true);
  if (!o) return std::nullopt;
  auto a = artifacts(v, *o, "source.artifacts");
  if (!a) return std::nullopt;
  return analysis_source{std::move(*a)};
}

// AnalysisParameterList: 0..50 items of {name [0-9a-zA-Z_]+ 1..100, type, defaultValue 0..1000}.
std::optional<std::vector<analysis_parameter>> parameters(validator& v,
                                                          const boost::json::object& b) {
  const auto* arr =
      v.array(b, "analysisParameters", "analysisParameters", 0, max_parameters, false);
  if (!arr) return std::nullopt;
  std::vector<analysis_parameter> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto p = path("analysisParameters", i);
    const auto* o = v.object_item((*arr)[i], p);
    if (!o) continue;
    analysis_parameter param;
    auto name = v.str(*o, "name", path(p, "name"), string_rule{1, 100, pattern::none}, true);
    // [0-9a-zA-Z_]+ is the athena_table matcher's language ([a-zA-Z0-9_]+).
    if (name && !matches(pattern::athena_table, *name)) {
      v.add(path(p, "name"), pattern_message(*name, path(p, "name"), "[0-9a-zA-Z_]+"));
      name.reset();
    }
    auto type = v.enumeration(*o, "type", path(p, "type"), &parse_parameter_type,
                              parameter_type_values, true);
    param.default_value =
        v.str(*o, "defaultValue", path(p, "defaultValue"), default_value_rule, false);
    if (!name || !type) continue;
    param.name = std::move(*name);
    param.type = *type;
    out.push_back(std::move(param));
  }
  return out;
}

// Reads the template ARN path label or batch item; records the field error.
bool template_arn_ok(validator& v, std::string_view arn, const std::string& p) {
  return v.check(arn, p, template_arn_rule);
}

std::optional<std::string> collaboration_template(const call& c, const std::string& cid,
                                                  const std::string& arn) {
  return collaboration_template_row(c.svc.store, cid, arn);
}

// Sends a Create/Update and answers with the template plus its validations, computed once the
// events are durable (the reply runs on an actor or journal thread; schema_view is thread-safe).
void send_template(call& c, const std::string& cid, collaboration::command cmd) {
  const auto* schemas = &*c.svc.schemas;
  c.svc.bus.send(
      cid, std::move(cmd), c.context(),
      [respond = c.respond, rid = c.request_id, schemas](command_result r) {
        if (!r.ok()) return respond(render(to_aws(r.error()), rid));
        std::string body = std::move(r.value());
        if (body.size() > wrapper.size() + 1 && body.compare(0, wrapper.size(), wrapper) == 0) {
          const auto inner =
              std::string_view(body).substr(wrapper.size(), body.size() - wrapper.size() - 1);
          body = std::string(wrapper) +
                 projections::template_view(*schemas).with_validations(inner) + "}";
        }
        respond(render_json(200, std::move(body), rid));
      });
}

}  // namespace

void create_analysis_template(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  const auto& b = c.body;
  collaboration::create_analysis_template cmd;
  auto name = v.str(b, "name", "name", alias_rule, true);
  cmd.description = v.str(b, "description", "description", text_rule, false);
  auto format = v.enumeration(b, "format", "format", &parse_analysis_format, format_values, true);
  auto src = source(v, b);
  auto tags = v.tags(b, "tags", "tags", false);
  cmd.parameters = parameters(v, b);
  if (const auto* schema = v.object(b, "schema", "schema", false))
    if (const auto* arr =
            v.array(*schema, "referencedTables", "schema.referencedTables", 0, SIZE_MAX, false)) {
      cmd.referenced_tables.emplace();
      for (std::size_t i = 0; i < arr->size(); ++i)
        if (auto t = v.str_item((*arr)[i], path("schema.referencedTables", i), alias_rule))
          cmd.referenced_tables->push_back(std::move(*t));
    }
  if (const auto* emc =
          v.object(b, "errorMessageConfiguration", "errorMessageConfiguration", false))
    cmd.detailed_errors = v.enumeration(*emc, "type", "errorMessageConfiguration.type",
                                        &parse_detailed, "DETAILED", true)
                              .value_or(false);
  const auto* synthetic = b.if_contains("syntheticDataParameters");
  const bool wants_synthetic = synthetic && !synthetic->is_null();
  if (wants_synthetic && !synthetic->is_object())
    v.add("syntheticDataParameters", "Member must be a structure");
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  cmd.membership_id = c.labels[0];
  cmd.name = std::move(*name);
  cmd.format = *format;
  cmd.source = std::move(*src);
  if (tags) cmd.tags = std::move(*tags);

  auto ms = membership_of_caller(c, cmd.membership_id);
  if (!ms) return membership_not_found(c, cmd.membership_id);
  if (!ms->active())
    return c.fail(access_denied("Membership " + cmd.membership_id +
                                " is not ACTIVE; only an ACTIVE membership can create templates"));
  // Clean Rooms ML synthetic data generation is outside this emulator: refused rather than
  // accepted and ignored, so no client believes its template will generate synthetic data.
  if (wants_synthetic)
    return c.fail(validation_error(
        "syntheticDataParameters is not supported by this emulator (Clean Rooms ML synthetic "
        "data generation is not emulated)",
        "INVALID_CONFIGURATION"));
  send_template(c, ms->collaboration_id, std::move(cmd));
}

void get_analysis_template(call& c) {
  validator v;
  v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.check(c.labels.at(1), "analysisTemplateIdentifier", uuid_rule);
  if (!v.ok()) return c.fail(v.to_error());
  if (!membership_of_caller(c, c.labels[0])) return membership_not_found(c, c.labels[0]);
  auto row = c.svc.store.get_view(keys::analysis_template(c.labels[0], c.labels[1]));
  if (!row)
    return c.fail(not_found("Analysis template " + c.labels[1] + " does not exist", c.labels[1],
                            "MEMBERSHIP"));
  c.ok(std::string(wrapper) + with_validations(c, *row) + "}");
}

void update_analysis_template(call& c) {
  validator v;
  v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.check(c.labels.at(1), "analysisTemplateIdentifier", uuid_rule);
  collaboration::update_analysis_template cmd;
  cmd.description = v.str(c.body, "description", "description", text_rule, false);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = membership_of_caller(c, c.labels[0]);
  if (!ms) return membership_not_found(c, c.labels[0]);
  cmd.membership_id = c.labels[0];
  cmd.template_id = c.labels[1];
  // The decider answers the template's 404 and the inactive membership's 403, in that order.
  send_template(c, ms->collaboration_id, std::move(cmd));
}

void delete_analysis_template(call& c) {
  validator v;
  v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.check(c.labels.at(1), "analysisTemplateIdentifier", uuid_rule);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = membership_of_caller(c, c.labels[0]);
  if (!ms) return membership_not_found(c, c.labels[0]);
  c.send(ms->collaboration_id, collaboration::delete_analysis_template{c.labels[0], c.labels[1]},
         c.context());
}

void list_analysis_templates(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  auto args = read_page_args(c, v, c.labels[0]);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  if (!membership_of_caller(c, c.labels[0])) return membership_not_found(c, c.labels[0]);
  auto page = projections::read_page(c.svc.store, keys::membership_templates_prefix(c.labels[0]),
                                     args->cursor, args->limit);
  std::vector<std::string> items;
  for (const auto& [key, value] : page.rows) items.push_back(value);
  c.ok(list_body(c, "analysisTemplateSummaries", items,
                 page.rows.empty() ? "" : page.rows.back().first, page.more, c.labels[0]));
}

void get_collaboration_analysis_template(call& c) {
  validator v;
  v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  template_arn_ok(v, c.labels.at(1), "analysisTemplateArn");
  if (!v.ok()) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  const auto& arn = c.labels[1];
  if (!active_in(c, cid)) return c.fail(access_denied(not_active));
  auto row = collaboration_template(c, cid, arn);
  if (!row)
    return c.fail(not_found("Analysis template " + arn + " does not exist in collaboration " + cid,
                            arn, "COLLABORATION"));
  c.ok("{\"collaborationAnalysisTemplate\":" + with_validations(c, *row) + "}");
}

void list_collaboration_analysis_templates(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  auto args = read_page_args(c, v, c.labels[0]);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  if (!active_in(c, cid)) return c.fail(access_denied(not_active));
  auto page = projections::read_page(c.svc.store, keys::collaboration_templates_prefix(cid),
                                     args->cursor, args->limit);
  std::vector<std::string> items;
  for (const auto& [key, value] : page.rows) items.push_back(value);
  c.ok(list_body(c, "collaborationAnalysisTemplateSummaries", items,
                 page.rows.empty() ? "" : page.rows.back().first, page.more, cid));
}

void batch_get_collaboration_analysis_template(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  const auto* arns =
      v.array(c.body, "analysisTemplateArns", "analysisTemplateArns", 1, max_batch, true);
  std::vector<std::string> wanted;
  if (arns)
    for (std::size_t i = 0; i < arns->size(); ++i)
      if (auto arn = v.str_item((*arns)[i], path("analysisTemplateArns", i), template_arn_rule))
        wanted.push_back(std::move(*arn));
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  if (!active_in(c, cid)) return c.fail(access_denied(not_active));
  projections::json_writer found, errors;
  found.begin_array();
  errors.begin_array();
  std::set<std::string> seen;  // a repeated ARN is answered once
  for (const auto& arn : wanted) {
    if (!seen.insert(arn).second) continue;
    if (auto row = collaboration_template(c, cid, arn)) {
      found.raw(with_validations(c, *row));
    } else {
      errors.begin_object().key("arn").string(arn);
      errors.key("code").string("ResourceNotFoundException");
      errors.key("message").string("Analysis template not found in this collaboration");
      errors.end_object();
    }
  }
  found.end_array();
  errors.end_array();
  c.ok("{\"collaborationAnalysisTemplates\":" + found.take() + ",\"errors\":" + errors.take() +
       "}");
}

}  // namespace crs::api
