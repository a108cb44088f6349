// SPDX-License-Identifier: MIT
#include <util/string.hpp>
#include <util/utf8.hpp>

#include <analyze/jsonrpc.hpp>
#include <fmt/format.h>

#include <exception>

namespace crashpilot::analyze::jsonrpc {

using nlohmann::json;

std::string encode(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

json make_result(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error(const json& id, const Error& error) {
  json e = {{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) {
    e["data"] = error.data;
  }
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

void Dispatcher::on_request(std::string method, RequestHandler handler) {
  m_requests[std::move(method)] = std::move(handler);
}

void Dispatcher::on_notification(std::string method, NotificationHandler handler) {
  m_notifications[std::move(method)] = std::move(handler);
}

std::string Dispatcher::oversize_response(size_t bytes, size_t cap) {
  return encode(make_error(
      nullptr, {code::invalid_request,
                fmt::format("message of at least {} bytes is over the {} byte line limit; it was "
                            "skipped",
                            bytes, cap),
                nullptr}));
}

std::optional<std::string> Dispatcher::handle_line(std::string_view line) const {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1); // CRLF from Windows clients
  }
  if (util::trim(line).empty()) {
    return std::nullopt;
  }
  if (!util::is_valid_utf8(line)) {
    return encode(make_error(
        nullptr, {code::parse_error, "parse error: the message is not valid UTF-8", nullptr}));
  }
  json message;
  try {
    message = json::parse(line);
  } catch (const json::parse_error& e) {
    return encode(make_error(
        nullptr, {code::parse_error, fmt::format("parse error: {}", e.what()), nullptr}));
  }
  return dispatch(message);
}

namespace {

bool valid_id(const json& id) {
  return id.is_string() || id.is_number_integer();
}

std::string invalid(const json& id, std::string message) {
  return encode(make_error(id, {code::invalid_request, std::move(message), nullptr}));
}

} // namespace

std::optional<std::string> Dispatcher::dispatch(const json& message) const {
  if (message.is_array()) {
    return invalid(nullptr, "batch requests are not supported (MCP removed JSON-RPC batching in "
                            "2025-06-18); send one message per line");
  }
  if (!message.is_object()) {
    return invalid(nullptr,
                   fmt::format("a message must be a JSON object, not {}", message.type_name()));
  }
  auto method_it = message.find("method");
  auto id_it = message.find("id");
  if (method_it == message.end()) {
    // A response from the client: this server sends no requests, so there is nothing to match.
    if (message.contains("result") || message.contains("error")) {
      fmt::print(stderr, "crashpilot mcp: ignoring a response message (the server sends no "
                         "requests)\n");
      return std::nullopt;
    }
    json id = id_it != message.end() && valid_id(*id_it) ? *id_it : json(nullptr);
    return invalid(id, "the message has no \"method\"");
  }
  bool has_id = id_it != message.end();
  if (has_id && !valid_id(*id_it)) {
    return invalid(nullptr, fmt::format("\"id\" must be a string or an integer, not {}",
                                        id_it->is_null() ? "null" : id_it->type_name()));
  }
  json id = has_id ? *id_it : json(nullptr);
  auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") {
    if (!has_id) {
      return std::nullopt;
    }
    return invalid(id, "\"jsonrpc\" must be \"2.0\"");
  }
  if (!method_it->is_string()) {
    return has_id ? std::optional<std::string>(invalid(id, "\"method\" must be a string"))
                  : std::nullopt;
  }
  Request request{id, method_it->get<std::string>(), message.value("params", json(nullptr))};
  if (!has_id) {
    auto n = m_notifications.find(request.method);
    if (n != m_notifications.end()) {
      try {
        n->second(request);
      } catch (const std::exception& e) {
        fmt::print(stderr, "crashpilot mcp: notification {} failed: {}\n", request.method,
                   e.what());
      }
    }
    return std::nullopt; // unknown notifications are ignored, as JSON-RPC requires
  }
  auto h = m_requests.find(request.method);
  if (h == m_requests.end()) {
    if (m_notifications.count(request.method) != 0 ||
        request.method.starts_with("notifications/")) {
      return invalid(
          id, fmt::format("'{}' is a notification: send it without an \"id\"", request.method));
    }
    return encode(make_error(id, {code::method_not_found,
                                  fmt::format("method not found: {}", request.method), nullptr}));
  }
  Reply reply;
  try {
    reply = h->second(request);
  } catch (const std::exception& e) {
    fmt::print(stderr, "crashpilot mcp: {} failed: {}\n", request.method, e.what());
    return encode(make_error(
        id, {code::internal_error, fmt::format("internal error: {}", e.what()), nullptr}));
  }
  if (reply.error) {
    return encode(make_error(id, *reply.error));
  }
  return encode(make_result(id, std::move(reply.result)));
}

} // namespace crashpilot::analyze::jsonrpc
