// SPDX-License-Identifier: MIT
#include <config/config.hpp>

#include <util/file.hpp>
#include <util/string.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <sstream>
#include <toml++/toml.h>

namespace crashpilot::config {

using nlohmann::json;

namespace {

json to_json(const toml::node& node, const std::string& path, std::string_view origin,
             std::map<std::string, std::string>& origins) {
  auto where = [&](const toml::node& n) {
    const auto& src = n.source();
    return src.begin.line > 0 ? fmt::format("{}:{}", origin, src.begin.line) : std::string(origin);
  };
  if (const auto* t = node.as_table()) {
    json out = json::object();
    for (const auto& [k, v] : *t) {
      std::string key(k.str());
      std::string sub = path.empty() ? key : path + "." + key;
      out[key] = to_json(v, sub, origin, origins);
    }
    return out;
  }
  origins[path] = where(node);
  if (const auto* a = node.as_array()) {
    json out = json::array();
    for (size_t i = 0; i < a->size(); ++i) {
      out.push_back(to_json(*a->get(i), fmt::format("{}[{}]", path, i), origin, origins));
    }
    return out;
  }
  if (auto v = node.value<std::string>(); v && node.is_string()) {
    return *v;
  }
  if (node.is_integer()) {
    return node.value<int64_t>().value_or(0);
  }
  if (node.is_floating_point()) {
    return node.value<double>().value_or(0.0);
  }
  if (node.is_boolean()) {
    return node.value<bool>().value_or(false);
  }
  // Dates and times are kept as their TOML text.
  std::ostringstream os;
  node.visit([&os](const auto& v) {
    if constexpr (!toml::is_table<decltype(v)> && !toml::is_array<decltype(v)>) {
      os << v;
    }
  });
  return os.str();
}

void merge_json(json& base, const json& over, const std::string& path,
                std::map<std::string, std::string>& origins,
                const std::map<std::string, std::string>& over_origins) {
  for (auto it = over.begin(); it != over.end(); ++it) {
    const std::string& key = it.key();
    std::string sub = path.empty() ? key : path + "." + key;
    // `name_add = [...]` appends to `name`.
    if (key.size() > 4 && key.ends_with("_add") && it->is_array()) {
      std::string target = key.substr(0, key.size() - 4);
      std::string target_path = path.empty() ? target : path + "." + target;
      json& dst = base[target];
      if (!dst.is_array()) {
        dst = json::array();
      }
      for (const auto& v : *it) {
        dst.push_back(v);
      }
      if (auto o = over_origins.find(sub); o != over_origins.end()) {
        origins[target_path] += " + " + o->second;
      }
      continue;
    }
    if (it->is_object() && base.contains(key) && base[key].is_object()) {
      merge_json(base[key], *it, sub, origins, over_origins);
      continue;
    }
    base[key] = *it;
    // Drop origins of what was replaced, then take the new ones.
    for (auto o = origins.lower_bound(sub); o != origins.end() && o->first.starts_with(sub);) {
      o = origins.erase(o);
    }
    for (auto o = over_origins.lower_bound(sub); o != over_origins.end() && o->first.starts_with(sub); ++o) {
      origins[o->first] = o->second;
    }
  }
}

// Parses an override value as TOML ("5", "true", "[\"a\"]", "\"x\""); anything else is a string.
json override_value(const std::string& text) {
  try {
    auto t = toml::parse("v = " + text);
    std::map<std::string, std::string> ignored;
    return to_json(*t.get("v"), "v", "", ignored);
  } catch (const toml::parse_error&) {
    return text;
  }
}

std::string toml_key(const std::string& k) {
  bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  return bare ? k : json(k).dump();
}

std::string toml_value(const json& v) {
  if (v.is_array()) {
    std::vector<std::string> items;
    size_t total = 0;
    for (const auto& e : v) {
      items.push_back(toml_value(e));
      total += items.back().size() + 2;
    }
    if (total <= 80) {
      return "[" + util::join(items, ", ") + "]";
    }
    std::string out = "[\n";
    for (const auto& item : items) {
      out += "  " + item + ",\n";
    }
    return out + "]";
  }
  // Regular expressions read better as TOML literal strings: no backslash doubling.
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    bool literal_ok = std::none_of(s.begin(), s.end(), [](char c) {
      return c == '\'' || c == '\n' || c == '\r' || (static_cast<unsigned char>(c) < 0x20 && c != '\t');
    });
    if (literal_ok && s.find('\\') != std::string::npos) {
      return "'" + s + "'";
    }
  }
  if (v.is_object()) {
    std::string out = "{ ";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += (first ? "" : ", ") + toml_key(it.key()) + " = " + toml_value(*it);
      first = false;
    }
    return out + " }";
  }
  return v.dump(); // strings, numbers and booleans: JSON spelling is valid TOML
}

bool is_table_array(const json& v) {
  return v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_object(); });
}

void emit(const json& table, const std::string& path, const std::map<std::string, std::string>& origins,
          bool with_origins, std::string& out) {
  for (auto it = table.begin(); it != table.end(); ++it) {
    if (it->is_object() || is_table_array(*it)) {
      continue;
    }
    std::string sub = path.empty() ? it.key() : path + "." + it.key();
    out += toml_key(it.key()) + " = " + toml_value(*it);
    if (with_origins) {
      auto o = origins.find(sub);
      out += "  # " + (o != origins.end() ? o->second : std::string("default"));
    }
    out += "\n";
  }
  for (auto it = table.begin(); it != table.end(); ++it) {
    std::string sub = path.empty() ? toml_key(it.key()) : path + "." + toml_key(it.key());
    if (it->is_object()) {
      out += "\n[" + sub + "]\n";
      emit(*it, sub, origins, with_origins, out);
    } else if (is_table_array(*it)) {
      for (const auto& e : *it) {
        out += "\n[[" + sub + "]]\n";
        emit(e, sub, origins, false, out);
      }
    }
  }
}

} // namespace

util::Expected<Config> Config::from_toml(std::string_view text, std::string_view origin) {
  Config c;
  try {
    toml::table t = toml::parse(text, origin);
    c.m_tree = to_json(t, "", origin, c.m_origins);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    return util::error(fmt::format("{}:{}:{}: invalid TOML: {}", origin, src.begin.line, src.begin.column,
                                   e.description()));
  }
  return c;
}

void Config::merge(const Config& over) { merge_json(m_tree, over.m_tree, "", m_origins, over.m_origins); }

util::Expected<Config> Config::load(const LoadOptions& options) {
  std::optional<Config> file_layer;
  std::string file_path;
  if (options.file) {
    file_path = *options.file;
  } else if (options.search_default_file && std::filesystem::exists("crashpilot.toml")) {
    file_path = "crashpilot.toml";
  }
  if (!file_path.empty()) {
    auto text = util::read_file(file_path, {1 << 20});
    if (!text) {
      return util::error(fmt::format("config: {}", text.error()));
    }
    auto parsed = from_toml(*text, file_path);
    if (!parsed) {
      return util::error(parsed.error());
    }
    file_layer = std::move(*parsed);
  }

  std::string preset = options.preset;
  if (preset.empty() && file_layer) {
    preset = file_layer->get_string("preset");
  }
  if (preset.empty()) {
    preset = "trinitycore";
  }
  Config out;
  // Every preset sits on "base" (rules true for any C++ program).
  for (const std::string& name : {std::string("base"), preset}) {
    if (name == "base" && preset == "base") {
      continue;
    }
    auto text = preset_text(name);
    if (!text) {
      return util::error(fmt::format("config: unknown preset '{}' (known: {})", name,
                                     util::join(preset_names(), ", ")));
    }
    auto layer = from_toml(*text, "preset " + name);
    if (!layer) {
      return util::error(fmt::format("built-in preset is broken: {}", layer.error()));
    }
    out.merge(*layer);
  }
  out.m_preset = preset;
  if (file_layer) {
    out.merge(*file_layer);
  }

  auto apply = [&](const std::string& key, const std::string& value, const std::string& origin) {
    Config layer;
    json* node = &layer.m_tree;
    for (auto part : util::split(key, '.')) {
      node = &(*node)[std::string(part)];
    }
    *node = override_value(value);
    layer.m_origins[key] = origin;
    out.merge(layer);
  };
  for (const auto& [name, value] : options.environment) {
    if (!name.starts_with("CRASHPILOT_") || name == "CRASHPILOT_CONFIG") {
      continue;
    }
    std::string key = util::to_lower(util::replace_all(name.substr(11), "__", "."));
    apply(key, value, "env " + name);
  }
  for (const auto& o : options.overrides) {
    size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      return util::error(fmt::format("--set '{}': expected KEY=VALUE (e.g. triage.top_frames=4)", o));
    }
    apply(o.substr(0, eq), o.substr(eq + 1), "--set " + o.substr(0, eq));
  }
  return out;
}

const json* Config::find(std::string_view dotted) const {
  const json* node = &m_tree;
  for (auto part : util::split(dotted, '.')) {
    if (!node->is_object()) {
      return nullptr;
    }
    auto it = node->find(std::string(part));
    if (it == node->end()) {
      return nullptr;
    }
    node = &*it;
  }
  return node;
}

std::string Config::get_string(std::string_view dotted, std::string_view fallback) const {
  const json* v = find(dotted);
  return v && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

int64_t Config::get_int(std::string_view dotted, int64_t fallback) const {
  const json* v = find(dotted);
  return v && v->is_number_integer() ? v->get<int64_t>() : fallback;
}

bool Config::get_bool(std::string_view dotted, bool fallback) const {
  const json* v = find(dotted);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}

std::vector<std::string> Config::get_strings(std::string_view dotted) const {
  std::vector<std::string> out;
  const json* v = find(dotted);
  if (v && v->is_array()) {
    for (const auto& e : *v) {
      if (e.is_string()) {
        out.push_back(e.get<std::string>());
      }
    }
  } else if (v && v->is_string()) {
    out.push_back(v->get<std::string>());
  }
  return out;
}

std::string Config::origin(std::string_view dotted) const {
  auto it = m_origins.find(std::string(dotted));
  return it != m_origins.end() ? it->second : "";
}

std::string Config::to_toml(bool with_origins) const {
  std::string out = fmt::format("# crashpilot configuration (preset: {})\n", m_preset);
  emit(m_tree, "", m_origins, with_origins, out);
  return out;
}

} // namespace crashpilot::config
