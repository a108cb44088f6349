// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <analyze/agent_output.hpp>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

constexpr size_t k_text_cap = 4000;

std::string cut(std::string s) {
  if (s.size() > k_text_cap) {
    s.resize(k_text_cap);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) {
      s.pop_back(); // never end inside a UTF-8 sequence
    }
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) {
      s.pop_back();
    }
    s += " [...]";
  }
  return s;
}

std::optional<json> parse_object(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  return j;
}

// Each non-empty line that is a JSON object, in order. Lines that are not (progress text) are
// skipped.
std::vector<json> json_lines(std::string_view out) {
  std::vector<json> lines;
  for (std::string_view line : util::split(out, '\n')) {
    line = util::trim(line);
    if (line.empty() || line.front() != '{') {
      continue;
    }
    if (auto j = parse_object(line)) {
      lines.push_back(std::move(*j));
    }
  }
  return lines;
}

std::string string_of(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) {
    return {};
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  return it->is_null() ? std::string() : it->dump();
}

void read_claude_result(const json& r, AgentReport& rep) {
  rep.envelope_found = true;
  rep.subtype = string_of(r, "subtype");
  rep.session_id = string_of(r, "session_id");
  rep.is_error = r.value("is_error", false) || (!rep.subtype.empty() && rep.subtype != "success");
  if (auto it = r.find("total_cost_usd"); it != r.end() && it->is_number()) {
    rep.cost_usd = it->get<double>();
  } else if (auto old = r.find("total_cost"); old != r.end() && old->is_number()) {
    rep.cost_usd = old->get<double>(); // before 1.0.22
  }
  if (auto it = r.find("num_turns"); it != r.end() && it->is_number_integer()) {
    rep.turns = it->get<int64_t>();
  }
  if (auto it = r.find("api_error_status"); it != r.end() && it->is_number_integer()) {
    rep.api_status = it->get<int>();
  }
  rep.final_text = cut(string_of(r, "result"));
  if (rep.is_error) {
    std::string errors;
    if (auto it = r.find("errors"); it != r.end() && it->is_array()) {
      for (const auto& e : *it) {
        errors += (errors.empty() ? "" : "; ") + (e.is_string() ? e.get<std::string>() : e.dump());
      }
    }
    rep.error = cut(!errors.empty() ? errors : rep.final_text);
  }
  if (auto it = r.find("structured_output"); it != r.end() && it->is_object()) {
    rep.structured_output = *it;
  }
  rep.claims_success = !rep.is_error;
}

void read_claude(std::string_view out, bool stream, AgentReport& rep) {
  if (!stream) {
    if (auto j = parse_object(util::trim(out)); j && j->value("type", "") == "result") {
      read_claude_result(*j, rep);
      return;
    }
  }
  // stream-json, or json mode with stray lines around the result: the last result line counts.
  for (const json& line : json_lines(out)) {
    std::string type = line.value("type", "");
    if (type == "result") {
      read_claude_result(line, rep);
    } else if (type == "system" && line.value("subtype", "") == "init") {
      rep.session_id = string_of(line, "session_id");
      if (auto it = line.find("mcp_servers"); it != line.end() && it->is_array()) {
        for (const auto& s : *it) {
          if (s.is_object() && s.value("status", "") != "connected") {
            rep.mcp_failed.push_back(s.value("name", std::string("?")) + " (" +
                                     s.value("status", std::string("?")) + ")");
          }
        }
      }
    }
  }
}

void read_codex(std::string_view out, AgentReport& rep) {
  int64_t turns = 0;
  for (const json& e : json_lines(out)) {
    std::string type = e.value("type", "");
    rep.envelope_found = true;
    if (type == "thread.started") {
      rep.session_id = string_of(e, "thread_id");
    } else if (type == "turn.completed") {
      ++turns;
    } else if (type == "turn.failed" || type == "error") {
      rep.is_error = true;
      const json& err = e.contains("error") ? e["error"] : e;
      rep.error = cut(err.is_object() ? string_of(err, "message") : err.dump());
      if (rep.error.empty()) {
        rep.error = cut(string_of(e, "message"));
      }
    } else if (type == "item.completed" && e.contains("item") && e["item"].is_object() &&
               e["item"].value("type", "") == "agent_message") {
      rep.final_text = cut(string_of(e["item"], "text"));
    }
  }
  if (turns > 0) {
    rep.turns = turns;
  }
  rep.claims_success = rep.envelope_found && !rep.is_error;
}

void read_gemini(std::string_view out, AgentReport& rep) {
  auto j = parse_object(util::trim(out));
  if (!j) {
    return;
  }
  rep.envelope_found = true;
  rep.session_id = string_of(*j, "session_id");
  rep.final_text = cut(string_of(*j, "response"));
  if (auto it = j->find("error"); it != j->end() && !it->is_null()) {
    rep.is_error = true;
    rep.error = cut(it->is_object() ? string_of(*it, "message") : it->dump());
    if (it->is_object()) {
      if (auto code = it->find("code"); code != it->end() && code->is_number_integer()) {
        rep.api_status = code->get<int>();
      }
    }
  }
  rep.claims_success = !rep.is_error;
}

} // namespace

AgentReport parse_agent_output(OutputFormat format, std::string_view out) {
  AgentReport rep;
  switch (format) {
  case OutputFormat::claude_json:
    read_claude(out, false, rep);
    break;
  case OutputFormat::claude_stream:
    read_claude(out, true, rep);
    break;
  case OutputFormat::codex_jsonl:
    read_codex(out, rep);
    break;
  case OutputFormat::gemini_json:
    read_gemini(out, rep);
    break;
  case OutputFormat::text:
    rep.final_text = cut(std::string(util::trim(out)));
    break;
  }
  return rep;
}

} // namespace crashpilot::analyze
