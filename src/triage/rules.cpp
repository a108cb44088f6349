// SPDX-License-Identifier: MIT
#include <triage/rules.hpp>

#include <fmt/format.h>
#include <re2/re2.h>

namespace crashpilot::triage {

PatternList::PatternList() = default;
PatternList::PatternList(PatternList&&) noexcept = default;
PatternList& PatternList::operator=(PatternList&&) noexcept = default;
PatternList::~PatternList() = default;

util::Expected<PatternList> PatternList::compile(const std::vector<std::string>& patterns, std::string_view key) {
  PatternList out;
  RE2::Options options;
  options.set_log_errors(false);
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto re = std::make_unique<RE2>(patterns[i], options);
    if (!re->ok()) {
      return util::error(fmt::format("config: {}[{}] = '{}' is not a valid regular expression: {}", key, i,
                                     patterns[i], re->error()));
    }
    out.m_patterns.push_back(std::move(re));
  }
  return out;
}

bool PatternList::matches(std::string_view text) const {
  for (const auto& re : m_patterns) {
    if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re)) {
      return true;
    }
  }
  return false;
}

std::string PatternList::first_match(std::string_view text) const {
  for (const auto& re : m_patterns) {
    if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re)) {
      return re->pattern();
    }
  }
  return "";
}

namespace {

// Reads a list of patterns at `key`; a single string counts as a one-element list.
util::Expected<PatternList> patterns_at(const nlohmann::json& node, const std::string& key, const std::string& where) {
  std::vector<std::string> list;
  auto it = node.find(key);
  if (it != node.end()) {
    if (it->is_string()) {
      list.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const auto& e : *it) {
        if (!e.is_string()) {
          return util::error(fmt::format("config: {}.{} must hold strings", where, key));
        }
        list.push_back(e.get<std::string>());
      }
    } else {
      return util::error(fmt::format("config: {}.{} must be a string or a list of strings", where, key));
    }
  }
  return PatternList::compile(list, where + "." + key);
}

} // namespace

util::Expected<Rules> Rules::from_config(const config::Config& config) {
  Rules r;
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json* triage = config.find("triage");
  const nlohmann::json& t = triage && triage->is_object() ? *triage : empty;
  const nlohmann::json* bot = config.find("triage.bot");
  const nlohmann::json& b = bot && bot->is_object() ? *bot : empty;

  r.signature_frames = static_cast<size_t>(std::clamp<int64_t>(config.get_int("triage.signature_frames", 3), 1, 16));
  if (const auto* v = config.find("triage.similarity_threshold"); v && v->is_number()) {
    r.similarity_threshold = std::clamp(v->get<double>(), 0.0, 1.0);
  }
  r.null_page_limit = static_cast<uint64_t>(std::max<int64_t>(config.get_int("triage.null_page_limit", 65536), 0));
  r.root_markers = config.get_strings("triage.root_markers");
  r.crash_stack_formats = config.get_strings("triage.crash_stack_formats");
  r.bot_frames_checked = static_cast<size_t>(std::clamp<int64_t>(config.get_int("triage.bot.frames_checked", 6), 1, 64));

  struct Slot {
    const nlohmann::json& node;
    const char* key;
    const char* where;
    PatternList& into;
  };
  for (Slot s : {Slot{t, "skip_functions", "triage", r.skip_functions}, Slot{t, "skip_modules", "triage", r.skip_modules},
                 Slot{t, "skip_files", "triage", r.skip_files},
                 Slot{t, "accessor_functions", "triage", r.accessor_functions},
                 Slot{t, "assert_helpers", "triage", r.assert_helpers},
                 Slot{t, "watchdog_functions", "triage", r.watchdog_functions},
                 Slot{t, "hang_functions", "triage", r.hang_functions},
                 Slot{b, "function_patterns", "triage.bot", r.bot_functions},
                 Slot{b, "file_patterns", "triage.bot", r.bot_files},
                 Slot{b, "message_patterns", "triage.bot", r.bot_messages}}) {
    auto list = patterns_at(s.node, s.key, s.where);
    if (!list) {
      return util::error(list.error());
    }
    s.into = std::move(*list);
  }

  if (const auto* cats = config.find("triage.category"); cats && cats->is_array()) {
    for (size_t i = 0; i < cats->size(); ++i) {
      const auto& c = (*cats)[i];
      std::string where = fmt::format("triage.category[{}]", i);
      if (!c.is_object() || !c.contains("name") || !c["name"].is_string()) {
        return util::error(fmt::format("config: {} needs a string `name`", where));
      }
      CategoryRule rule;
      rule.name = c["name"].get<std::string>();
      if (c.contains("kind")) {
        for (const auto& k : c["kind"].is_array() ? c["kind"] : nlohmann::json::array({c["kind"]})) {
          if (!k.is_string() || (model::kind_from_string(k.get<std::string>()) == model::Kind::unknown &&
                                 k.get<std::string>() != "unknown")) {
            return util::error(fmt::format("config: {}.kind: unknown crash kind {}", where, k.dump()));
          }
          rule.kinds.push_back(model::kind_from_string(k.get<std::string>()));
        }
      }
      for (auto [key, into] : {std::pair<const char*, PatternList*>{"code", &rule.code}, {"frames", &rule.frames},
                               {"any_thread_frames", &rule.any_thread_frames}, {"text", &rule.text}}) {
        auto list = patterns_at(c, key, where);
        if (!list) {
          return util::error(list.error());
        }
        *into = std::move(*list);
      }
      rule.null_fault = c.value("null_fault", false);
      r.categories.push_back(std::move(rule));
    }
  }

  r.default_severity = config.get_string("triage.severity.default", "HIGH");
  if (const auto* by = config.find("triage.severity.by_category"); by && by->is_object()) {
    for (auto it = by->begin(); it != by->end(); ++it) {
      if (it->is_string()) {
        r.severity_by_category[it.key()] = it->get<std::string>();
      }
    }
  }
  return r;
}

} // namespace crashpilot::triage
