#include "projections/template_rows.hpp"

#include <array>
#include <cstdint>

#include "projections/json_writer.hpp"
#include "projections/keys.hpp"

namespace crs::projections {
namespace {

using collaboration::template_record;

// ---- SHA-256 -----------------------------------------------------------------------------------
// Small and pure so the read model needs no crypto library; only sourceMetadata uses it.

constexpr std::array<std::uint32_t, 64> k_round{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

void compress(std::array<std::uint32_t, 8>& h, const unsigned char* block) {
  std::uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
           (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  auto [a, b, c, d, e, f, g, hh] = h;
  for (int i = 0; i < 64; ++i) {
    const auto t1 =
        hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k_round[i] + w[i];
    const auto t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

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
  std::array<std::uint32_t, 8> h{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t full = data.size() / 64 * 64;
  for (std::size_t i = 0; i < full; i += 64) compress(h, bytes + i);
  // The tail, 0x80, zeros, and the bit length big-endian: one or two more blocks.
  unsigned char tail[128] = {};
  const std::size_t rest = data.size() - full;
  for (std::size_t i = 0; i < rest; ++i) tail[i] = bytes[full + i];
  tail[rest] = 0x80;
  const std::size_t tail_size = rest + 1 + 8 <= 64 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (std::size_t i = 0; i < tail_size; i += 64) compress(h, tail + i);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (auto word : h)
    for (int shift = 28; shift >= 0; shift -= 4) out += hex[(word >> shift) & 0xf];
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
