#include "api/router.hpp"

#include <utility>

namespace crs::api {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_label(std::string_view seg) {
  return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
}

// Smithy's greedy label "{name+}" takes the rest of the path, slashes included. Only allowed as
// the last segment; it lets /tags/{resourceArn+} accept an ARN whose '/' was not encoded.
bool is_greedy(std::string_view seg) {
  return is_label(seg) && seg[seg.size() - 2] == '+';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;  // needs two more characters
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void router::add(std::string_view method, std::string_view path_template, int operation) {
  route r;
  for (auto seg : split_path(path_template)) {
    r.segments.emplace_back(seg);
    r.label.push_back(is_label(seg));
  }
  r.greedy = !r.segments.empty() && is_greedy(r.segments.back());
  r.operation = operation;
  routes_[std::string(method)].push_back(std::move(r));
}

std::optional<route_match> router::match(std::string_view method, std::string_view path) const {
  const auto segs = split_path(path);
  if (segs.empty()) return std::nullopt;
  // First the literal segments of every route, which cost no allocation; labels are decoded
  // only for the one route that wins (decoding them for every candidate was most of a read's
  // routing cost).
  const auto of_method = routes_.find(method);
  if (of_method == routes_.end()) return std::nullopt;
  const route* best = nullptr;
  int best_literals = -1;
  for (const auto& r : of_method->second) {
    if (r.greedy ? segs.size() < r.segments.size() : segs.size() != r.segments.size()) continue;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; ok && i < r.segments.size(); ++i) {
      if (r.label[i]) continue;
      ok = segs[i] == r.segments[i];
      ++literals;
    }
    // Among matching routes a literal beats a label (most literal segments wins; ties go to the
    // route added first), so the table's order never decides between overlapping templates.
    if (ok && literals > best_literals) {
      best = &r;
      best_literals = literals;
    }
  }
  if (!best) return std::nullopt;
  route_match m;
  m.operation = best->operation;
  for (std::size_t i = 0; i < best->segments.size(); ++i) {
    const std::string& t = best->segments[i];
    if (!best->label[i]) continue;
    std::string_view raw = segs[i];
    if (best->greedy && i + 1 == best->segments.size()) {
      // The rest of the raw path, from this segment's start to the end.
      raw = std::string_view(segs[i].data(), path.data() + path.size() - segs[i].data());
    }
    // An empty label matches: the operation reports it missing (400). Decoding happens after
    // the split, so no escape can move a label's boundary.
    auto label = percent_decode(raw);
    if (!label && m.bad_label.empty()) m.bad_label = t.substr(1, t.size() - (is_greedy(t) ? 3 : 2));
    m.labels.push_back(label ? std::move(*label) : std::string(raw));
  }
  return m;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  // An absolute-form target ("http://host/path?q") is legal HTTP/1.1; drop scheme and authority.
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (target.substr(0, scheme.size()) == scheme) {
      target.remove_prefix(scheme.size());
      auto slash = target.find_first_of("/?");
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      if (!target.empty() && target.front() == '?')
        return {std::string_view("/"), target.substr(1)};
      break;
    }
  }
  auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::optional<std::multimap<std::string, std::string>> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2" and a trailing '&' are harmless
    auto eq = pair.find('=');
    auto name = decode(pair.substr(0, eq), true);
    auto value =
        decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
  return decode(s, false);
}

}  // namespace crs::api
