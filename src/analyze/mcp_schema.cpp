// SPDX-License-Identifier: MIT
#include <triage/rules.hpp>
#include <util/string.hpp>

#include <analyze/mcp_schema.hpp>
#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

// Compiled patterns, kept: the schemas are fixed, so each pattern compiles once per process.
bool pattern_matches(const std::string& pattern, const std::string& text, std::string& error) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<triage::PatternList>> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    auto compiled = triage::PatternList::compile({pattern}, "inputSchema pattern");
    if (!compiled) {
      error = compiled.error();
      return false;
    }
    it = cache.emplace(pattern, std::make_unique<triage::PatternList>(std::move(*compiled))).first;
  }
  return it->second->matches(text);
}

bool has_type(const json& v, const std::string& type) {
  if (type == "object") {
    return v.is_object();
  }
  if (type == "array") {
    return v.is_array();
  }
  if (type == "string") {
    return v.is_string();
  }
  if (type == "integer") {
    return v.is_number_integer();
  }
  if (type == "number") {
    return v.is_number();
  }
  if (type == "boolean") {
    return v.is_boolean();
  }
  if (type == "null") {
    return v.is_null();
  }
  return false;
}

// Code points, not bytes: JSON Schema lengths count characters.
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

std::string describe(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

void check(const json& v, const json& schema, const std::string& path,
           std::vector<std::string>& out) {
  static const std::set<std::string> known{
      "type",    "properties",  "required",  "additionalProperties",
      "items",   "enum",        "pattern",   "minimum",
      "maximum", "minLength",   "maxLength", "maxItems",
      "default", "description", "title"};
  std::string where = path.empty() ? "arguments" : path;
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    if (known.count(it.key()) == 0) {
      out.push_back(
          fmt::format("{}: schema keyword '{}' is not supported by the server", where, it.key()));
    }
  }
  if (auto t = schema.find("type"); t != schema.end() && !has_type(v, t->get<std::string>())) {
    out.push_back(fmt::format("{}: expected {}, got {} {}", where, t->get<std::string>(),
                              v.type_name(), describe(v)));
    return; // the other keywords assume the type
  }
  if (auto e = schema.find("enum"); e != schema.end()) {
    bool found = false;
    for (const auto& option : *e) {
      found = found || option == v;
    }
    if (!found) {
      out.push_back(fmt::format("{}: {} is not one of {}", where, describe(v), e->dump()));
    }
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    size_t len = utf8_length(s);
    if (auto m = schema.find("maxLength"); m != schema.end() && len > m->get<size_t>()) {
      out.push_back(
          fmt::format("{}: {} characters, at most {} allowed", where, len, m->get<size_t>()));
    }
    if (auto m = schema.find("minLength"); m != schema.end() && len < m->get<size_t>()) {
      out.push_back(
          fmt::format("{}: {} characters, at least {} needed", where, len, m->get<size_t>()));
    }
    if (auto p = schema.find("pattern"); p != schema.end()) {
      std::string error;
      if (!pattern_matches(p->get<std::string>(), s, error)) {
        out.push_back(error.empty() ? fmt::format("{}: {} does not match {}", where, describe(v),
                                                  p->get<std::string>())
                                    : fmt::format("{}: {}", where, error));
      }
    }
  }
  if (v.is_number()) {
    double d = v.get<double>();
    if (auto m = schema.find("minimum"); m != schema.end() && d < m->get<double>()) {
      out.push_back(fmt::format("{}: {} is below the minimum {}", where, describe(v), m->dump()));
    }
    if (auto m = schema.find("maximum"); m != schema.end() && d > m->get<double>()) {
      out.push_back(fmt::format("{}: {} is above the maximum {}", where, describe(v), m->dump()));
    }
  }
  if (v.is_array()) {
    if (auto m = schema.find("maxItems"); m != schema.end() && v.size() > m->get<size_t>()) {
      out.push_back(
          fmt::format("{}: {} items, at most {} allowed", where, v.size(), m->get<size_t>()));
    }
    if (auto items = schema.find("items"); items != schema.end()) {
      for (size_t i = 0; i < v.size(); ++i) {
        check(v[i], *items, fmt::format("{}[{}]", where, i), out);
      }
    }
  }
  if (v.is_object()) {
    const json empty = json::object();
    auto props_it = schema.find("properties");
    const json& props = props_it != schema.end() ? *props_it : empty;
    if (auto r = schema.find("required"); r != schema.end()) {
      for (const auto& name : *r) {
        if (!v.contains(name.get<std::string>())) {
          out.push_back(fmt::format("{}: missing required '{}'", where, name.get<std::string>()));
        }
      }
    }
    bool closed = schema.value("additionalProperties", true) == false;
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string child = path.empty() ? it.key() : path + "." + it.key();
      if (auto p = props.find(it.key()); p != props.end()) {
        check(it.value(), *p, child, out);
      } else if (closed) {
        std::vector<std::string> names;
        for (auto p2 = props.begin(); p2 != props.end(); ++p2) {
          names.push_back(p2.key());
        }
        out.push_back(fmt::format("{}: unknown property '{}' (known: {})", where, it.key(),
                                  names.empty() ? std::string("none") : util::join(names, ", ")));
      }
    }
  }
}

} // namespace

std::vector<std::string> schema_problems(const json& value, const json& schema) {
  std::vector<std::string> out;
  check(value, schema, "", out);
  return out;
}

} // namespace crashpilot::analyze
