// restJson1 routing: method + path template. Matching splits the raw (percent-encoded) path at
// '/', compares literal segments exactly, and percent-decodes each {label} segment after
// matching, so an encoded '/' (%2F) inside a label never splits it (SPEC.md 2.1).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crs::api {

struct route_match {
  int operation = -1;
  std::vector<std::string> labels;  // decoded, in template order
  // The name of a label whose percent-encoding is malformed (its value is then left raw): the
  // route is the one the client meant, and it gets a ValidationException naming the label.
  std::string bad_label;
};

class router {
 public:
  // `path_template` like "/collaborations/{collaborationIdentifier}/members".
  void add(std::string_view method, std::string_view path_template, int operation);
  // `path` is the raw path without the query. nullopt: no route (UnknownOperationException).
  // A label with invalid percent-encoding matches with `bad_label` set; an empty label matches,
  // so the operation can answer that a required member is missing (SPEC.md 2.2) rather than
  // 'no such route'.
  std::optional<route_match> match(std::string_view method, std::string_view path) const;

 private:
  struct route {
    std::vector<std::string> segments;  // "{x}" marks a label
    std::vector<bool> label;            // per segment: is it a label
    bool greedy = false;                // the last segment is "{x+}"
    int operation;
  };
  // By method, each in the order added: a request scans only its own method's routes.
  std::map<std::string, std::vector<route>, std::less<>> routes_;
};

// Splits a request target into raw path and raw query.
std::pair<std::string_view, std::string_view> split_target(std::string_view target);
// Decodes a query string into (name, value) pairs in order; '+' is a space. Malformed
// percent-escapes make the whole query invalid (nullopt).
std::optional<std::multimap<std::string, std::string>> parse_query(std::string_view query);
// Strict percent-decoding; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s);

}  // namespace crs::api
