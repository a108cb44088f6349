// SPDX-License-Identifier: MIT
#include <queue/caps.hpp>

namespace crashpilot::queue {

using nlohmann::json;

namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

size_t string_cap(const std::string& key, const Limits& limits) {
  if (key == "log_tail") {
    return limits.max_log_tail_bytes;
  }
  if (key == "text") {
    return limits.max_snippet_bytes;
  }
  return limits.max_string_bytes;
}

void add_truncated(json& obj, const std::string& key, size_t n) {
  if (n == 0) {
    return;
  }
  json& t = obj["truncated"];
  if (!t.is_object()) {
    t = json::object();
  }
  t[key] = t.value(key, size_t{0}) + n;
}

void cap_value(json& v, const Limits& limits);

void cap_object(json& obj, const Limits& limits) {
  std::vector<std::pair<std::string, size_t>> cuts;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string key = it.key();
    if (key == "truncated") {
      continue;
    }
    json& v = it.value();
    if (v.is_string()) {
      std::string& s = v.get_ref<std::string&>();
      size_t removed = cut_utf8(s, string_cap(key, limits), key == "log_tail");
      cuts.emplace_back(key, removed);
    } else if (v.is_array()) {
      size_t dropped = 0;
      if (v.size() > limits.max_list_items) {
        dropped = v.size() - limits.max_list_items;
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(limits.max_list_items), v.end());
      }
      cuts.emplace_back(key, dropped);
      size_t bytes = 0;
      for (auto& item : v) {
        if (item.is_string()) {
          bytes += cut_utf8(item.get_ref<std::string&>(), limits.max_string_bytes);
        } else {
          cap_value(item, limits);
        }
      }
      cuts.emplace_back(key + ".bytes", bytes);
    } else {
      cap_value(v, limits);
    }
  }
  for (const auto& [key, n] : cuts) {
    add_truncated(obj, key, n);
  }
}

void cap_value(json& v, const Limits& limits) {
  if (v.is_object()) {
    cap_object(v, limits);
  } else if (v.is_array()) {
    for (auto& item : v) {
      cap_value(item, limits);
    }
  }
}

} // namespace

size_t cut_utf8(std::string& s, size_t max, bool tail) {
  if (s.size() <= max) {
    return 0;
  }
  size_t original = s.size();
  if (tail) {
    size_t start = s.size() - max;
    while (start < s.size() && is_continuation(s[start])) {
      ++start;
    }
    s.erase(0, start);
  } else {
    size_t end = max;
    while (end > 0 && is_continuation(s[end])) {
      --end;
    }
    s.resize(end);
  }
  return original - s.size();
}

void apply_caps(json& j, const Limits& limits) {
  cap_value(j, limits);
}

} // namespace crashpilot::queue
