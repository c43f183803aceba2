#include "projections/template_rows.hpp"

#include <openssl/sha.h>

#include "projections/json_writer.hpp"
#include "projections/keys.hpp"

namespace crs::projections {
namespace {

using collaboration::template_record;

// ---- rendering -------------------------------------------------------------------------------

std::string location(const s3_location& l) {
  return "s3://" + l.bucket + "/" + l.key;
}

void write_location(json_writer& w, const s3_location& l) {
  w.begin_object().key("location").begin_object();
  w.key("bucket").string(l.bucket).key("key").string(l.key);
  w.end_object().end_object();
}

void write_hash(json_writer& w, const s3_location& l) {
  w.begin_object().key("sha256").string(sha256_hex(location(l))).end_object();
}

// schema, format, source, sourceMetadata, analysisParameters, errorMessageConfiguration: the
// members both template shapes share after their heads.
void write_body(json_writer& w, const template_record& t) {
  w.key("schema").begin_object().key("referencedTables").begin_array();
  for (const auto& name : t.referenced_tables) w.string(name);
  w.end_array().end_object();
  w.key("format").string(to_string(t.format));
  w.key("source").begin_object();
  const auto* artifacts = std::get_if<template_artifacts>(&t.source);
  if (!artifacts) {
    w.key("text").string(std::get<std::string>(t.source));
  } else {
    w.key("artifacts").begin_object();
    write_location(w.key("entryPoint"), artifacts->entry_point);
    if (artifacts->additional_artifacts) {
      w.key("additionalArtifacts").begin_array();
      for (const auto& l : *artifacts->additional_artifacts) write_location(w, l);
      w.end_array();
    }
    w.key("roleArn").string(artifacts->role_arn);
    w.end_object();
  }
  w.end_object();
  if (artifacts) {
    w.key("sourceMetadata").begin_object().key("artifacts").begin_object();
    write_hash(w.key("entryPointHash"), artifacts->entry_point);
    if (artifacts->additional_artifacts) {
      w.key("additionalArtifactHashes").begin_array();
      for (const auto& l : *artifacts->additional_artifacts) write_hash(w, l);
      w.end_array();
    }
    w.end_object().end_object();
  }
  if (t.parameters) {
    w.key("analysisParameters").begin_array();
    for (const auto& p : *t.parameters) {
      w.begin_object().key("name").string(p.name).key("type").string(to_string(p.type));
      if (p.default_value) w.key("defaultValue").string(*p.default_value);
      w.end_object();
    }
    w.end_array();
  }
  if (t.detailed_errors)
    w.key("errorMessageConfiguration").begin_object().key("type").string("DETAILED").end_object();
}

void write_head(json_writer& w, const collaboration::state& s, const template_record& t) {
  w.key("id").string(t.id);
  w.key("arn").string(collaboration::template_arn(t));
  w.key("collaborationId").string(s.info.collaboration_id);
  w.key("collaborationArn").string(collaboration::collaboration_arn(s));
}

void write_owner(json_writer& w, const template_record& t) {
  w.key("membershipId").string(t.membership_id);
  w.key("membershipArn")
      .string(collaboration::make_membership_arn(t.region, t.account, t.membership_id));
}

void write_name_times(json_writer& w, const template_record& t) {
  w.key("name").string(t.name);
  w.key("createTime").timestamp(t.create_time);
  w.key("updateTime").timestamp(t.update_time);
}

std::string summary_json(const collaboration::state& s, const template_record& t) {
  json_writer w;
  w.begin_object();
  write_head(w, s, t);
  write_owner(w, t);
  if (t.description) w.key("description").string(*t.description);
  write_name_times(w, t);
  w.end_object();
  return w.take();
}

std::string collaboration_summary_json(const collaboration::state& s, const template_record& t) {
  json_writer w;
  w.begin_object();
  write_head(w, s, t);
  w.key("creatorAccountId").string(t.account);
  if (t.description) w.key("description").string(*t.description);
  write_name_times(w, t);
  w.end_object();
  return w.take();
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 0xf];
  }
  return out;
}

std::string template_json(const collaboration::state& s, const template_record& t) {
  json_writer w;
  w.begin_object();
  write_head(w, s, t);
  write_owner(w, t);
  if (t.description) w.key("description").string(*t.description);
  write_name_times(w, t);
  write_body(w, t);
  w.end_object();
  return w.take();
}

std::string collaboration_template_json(const collaboration::state& s, const template_record& t) {
  json_writer w;
  w.begin_object();
  write_head(w, s, t);
  if (t.description) w.key("description").string(*t.description);
  w.key("creatorAccountId").string(t.account);
  write_name_times(w, t);
  write_body(w, t);
  w.end_object();
  return w.take();
}

void template_rows(const collaboration::state& s, row_set& out) {
  const auto& cid = s.info.collaboration_id;
  for (const auto& [id, t] : s.templates) {
    out[keys::analysis_template(t.membership_id, id)] = template_json(s, t);
    out[keys::membership_template(t.membership_id, t.create_time, id)] = summary_json(s, t);
    const auto* ms = s.membership(t.membership_id);
    if (s.deleted || !ms || ms->status != membership_status::active) continue;
    out[keys::collaboration_template(cid, id)] = collaboration_template_json(s, t);
    out[keys::collaboration_template_listing(cid, t.create_time, id)] =
        collaboration_summary_json(s, t);
  }
}

std::string template_response(const collaboration::state& s, const collaboration::command& c,
                              const decide_context& ctx) {
  const std::string* id = nullptr;
  if (std::holds_alternative<collaboration::create_analysis_template>(c))
    id = &ctx.fresh_id;
  else if (const auto* u = std::get_if<collaboration::update_analysis_template>(&c))
    id = &u->template_id;
  else
    return "";  // DeleteAnalysisTemplate: 204
  auto it = s.templates.find(*id);
  if (it == s.templates.end()) return "{}";
  return "{\"analysisTemplate\":" + template_json(s, it->second) + "}";
}

}  // namespace crs::projections
