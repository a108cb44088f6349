// SPDX-License-Identifier: MIT
#pragma once

// The server's log lines just before a crash, in the seed's shape (request `context{...}`): the
// logs stage fills it at crash time, the store keeps it with the occurrence, the queue puts it in
// the request. The last lines before the crash, oldest first.

#include <string>
#include <vector>

namespace crashpilot::model {

struct LogLine {
  std::string message;
  std::string timestamp; // ISO 8601; the line's own time when it has one, else its arrival time
};

struct LogContext {
  std::vector<LogLine> errors_before_crash;
  std::vector<LogLine> warnings_before_crash;
  std::vector<std::string> server_log_context;
  std::vector<std::string> playerbot_log_context;

  bool empty() const {
    return errors_before_crash.empty() && warnings_before_crash.empty() &&
           server_log_context.empty() && playerbot_log_context.empty();
  }
};

} // namespace crashpilot::model
