// SPDX-License-Identifier: MIT
#pragma once

// JSON-RPC 2.0 as MCP's stdio transport uses it: one message per line, requests and notifications
// from the client, responses from the server. Hand-written on nlohmann-json because there is no
// C++ MCP SDK in Debian bookworm (nor an official C++ SDK at all), and the community libraries are
// neither packaged nor current (agent-integration.md §3.9). This file knows nothing about MCP: it
// turns one line into at most one response line.
//
// Rules (JSON-RPC 2.0 plus MCP's restrictions):
//   - invalid JSON or invalid UTF-8: -32700 with id null;
//   - an array (a batch; MCP removed batching in 2025-06-18), a non-object, a missing or wrong
//     "jsonrpc", a method that is not a string, an id that is null or not a string/integer: -32600;
//   - a method nobody handles: -32601; handlers report bad params as -32602;
//   - a notification (no id) is never answered, not even with an error;
//   - a request naming a notification method ("notifications/initialized" with an id): -32600;
//   - a handler that throws: -32603, logged to stderr.

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crashpilot::analyze::jsonrpc {

namespace code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
} // namespace code

struct Error {
  int code = code::internal_error;
  std::string message;
  nlohmann::json data; // null: no "data" member
};

struct Request {
  nlohmann::json id; // string or integer; null for a notification
  std::string method;
  nlohmann::json params; // as sent; null when absent
  bool notification() const { return id.is_null(); }
};

// What a request handler answers: a result or an error.
struct Reply {
  nlohmann::json result = nlohmann::json::object();
  std::optional<Error> error;

  static Reply ok(nlohmann::json result) { return Reply{std::move(result), std::nullopt}; }
  static Reply fail(int code, std::string message, nlohmann::json data = nullptr) {
    return Reply{nullptr, Error{code, std::move(message), std::move(data)}};
  }
};

using RequestHandler = std::function<Reply(const Request&)>;
using NotificationHandler = std::function<void(const Request&)>;

// Compact JSON on one line (no raw newlines), ill-formed UTF-8 in strings replaced by U+FFFD: crash
// logs are arbitrary bytes, and nlohmann's default dump() throws on them.
std::string encode(const nlohmann::json& message);

nlohmann::json make_result(const nlohmann::json& id, nlohmann::json result);
nlohmann::json make_error(const nlohmann::json& id, const Error& error);

class Dispatcher {
public:
  void on_request(std::string method, RequestHandler handler);
  void on_notification(std::string method, NotificationHandler handler);

  // Handles one line (without its newline). Returns the response line to write (without the
  // newline), or nullopt when nothing is to be sent (notifications, responses, blank lines).
  std::optional<std::string> handle_line(std::string_view line) const;

  // The response to a line longer than the cap, which the reader skipped without keeping it.
  static std::string oversize_response(size_t bytes, size_t cap);

private:
  std::optional<std::string> dispatch(const nlohmann::json& message) const;

  std::map<std::string, RequestHandler, std::less<>> m_requests;
  std::map<std::string, NotificationHandler, std::less<>> m_notifications;
};

} // namespace crashpilot::analyze::jsonrpc
