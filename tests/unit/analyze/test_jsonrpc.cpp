// SPDX-License-Identifier: MIT
// The JSON-RPC layer on strings (no process): error codes, notifications, ids; and the line stream
// over pipes: oversize lines, a last line without newline, end of input, a stop request.
#include <analyze/jsonrpc.hpp>
#include <analyze/jsonrpc_stream.hpp>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

using namespace crashpilot::analyze::jsonrpc;
using nlohmann::json;

namespace {

struct Counting {
  int notified = 0;
  Dispatcher d;
  Counting() {
    d.on_request("echo", [](const Request& r) { return Reply::ok({{"params", r.params}}); });
    d.on_request("fail", [](const Request&) {
      return Reply::fail(code::invalid_params, "bad x", {{"field", "x"}});
    });
    d.on_request("throw", [](const Request&) -> Reply { throw std::runtime_error("boom"); });
    d.on_notification("notifications/initialized", [this](const Request&) { ++notified; });
  }
  json handle(std::string_view line) {
    auto out = d.handle_line(line);
    return out ? json::parse(*out) : json(nullptr);
  }
};

int error_code(const json& reply) {
  return reply["error"]["code"].get<int>();
}

} // namespace

TEST(JsonRpc, RequestGetsResultWithItsOwnId) {
  Counting c;
  json r = c.handle(R"({"jsonrpc":"2.0","id":7,"method":"echo","params":{"a":1}})");
  EXPECT_EQ(r["id"], 7);
  EXPECT_EQ(r["jsonrpc"], "2.0");
  EXPECT_EQ(r["result"]["params"]["a"], 1);
  r = c.handle(R"({"jsonrpc":"2.0","id":"abc","method":"echo"})");
  EXPECT_EQ(r["id"], "abc");
  EXPECT_TRUE(r["result"]["params"].is_null());
  // CRLF from a Windows client is tolerated.
  r = c.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}\r");
  EXPECT_EQ(r["id"], 1);
}

TEST(JsonRpc, ParseErrorsAreMinus32700WithNullId) {
  Counting c;
  for (std::string_view bad :
       {"{", "not json", R"({"jsonrpc":"2.0","id":1,"method":"echo",})", "{\"a\":1} trailing"}) {
    json r = c.handle(bad);
    EXPECT_EQ(error_code(r), code::parse_error) << bad;
    EXPECT_TRUE(r["id"].is_null());
  }
  // Invalid UTF-8 inside a string.
  json r = c.handle(
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"x\":\"\xff\xfe\"}}");
  EXPECT_EQ(error_code(r), code::parse_error);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("UTF-8"), std::string::npos);
}

TEST(JsonRpc, BatchesAndNonObjectsAreInvalidRequests) {
  Counting c;
  json r = c.handle(R"([{"jsonrpc":"2.0","id":1,"method":"echo"}])");
  EXPECT_EQ(error_code(r), code::invalid_request);
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_NE(r["error"]["message"].get<std::string>().find("batch"), std::string::npos);
  EXPECT_EQ(error_code(c.handle("[]")), code::invalid_request);
  EXPECT_EQ(error_code(c.handle("42")), code::invalid_request);
  EXPECT_EQ(error_code(c.handle(R"("x")")), code::invalid_request);
}

TEST(JsonRpc, BadIdsAndEnvelopesAreInvalidRequests) {
  Counting c;
  json r = c.handle(R"({"jsonrpc":"2.0","id":null,"method":"echo"})");
  EXPECT_EQ(error_code(r), code::invalid_request);
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_EQ(error_code(c.handle(R"({"jsonrpc":"2.0","id":true,"method":"echo"})")),
            code::invalid_request);
  EXPECT_EQ(error_code(c.handle(R"({"jsonrpc":"2.0","id":1.5,"method":"echo"})")),
            code::invalid_request);
  EXPECT_EQ(error_code(c.handle(R"({"jsonrpc":"2.0","id":{"a":1},"method":"echo"})")),
            code::invalid_request);
  r = c.handle(R"({"id":3,"method":"echo"})");
  EXPECT_EQ(error_code(r), code::invalid_request);
  EXPECT_EQ(r["id"], 3);
  EXPECT_EQ(error_code(c.handle(R"({"jsonrpc":"1.0","id":3,"method":"echo"})")),
            code::invalid_request);
  EXPECT_EQ(error_code(c.handle(R"({"jsonrpc":"2.0","id":3,"method":5})")), code::invalid_request);
  EXPECT_EQ(error_code(c.handle(R"({"jsonrpc":"2.0","id":3})")), code::invalid_request);
}

TEST(JsonRpc, UnknownMethodIsMinus32601AndHandlerErrorsPassThrough) {
  Counting c;
  json r = c.handle(R"({"jsonrpc":"2.0","id":1,"method":"nope"})");
  EXPECT_EQ(error_code(r), code::method_not_found);
  EXPECT_EQ(r["id"], 1);
  r = c.handle(R"({"jsonrpc":"2.0","id":2,"method":"fail"})");
  EXPECT_EQ(error_code(r), code::invalid_params);
  EXPECT_EQ(r["error"]["data"]["field"], "x");
  r = c.handle(R"({"jsonrpc":"2.0","id":3,"method":"throw"})");
  EXPECT_EQ(error_code(r), code::internal_error);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("boom"), std::string::npos);
}

TEST(JsonRpc, NotificationsAreNeverAnswered) {
  Counting c;
  EXPECT_FALSE(c.d.handle_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  EXPECT_EQ(c.notified, 1);
  // Unknown notification, a notification to a request method, one that would fail: silence.
  EXPECT_FALSE(c.d.handle_line(R"({"jsonrpc":"2.0","method":"notifications/whatever"})"));
  EXPECT_FALSE(c.d.handle_line(R"({"jsonrpc":"2.0","method":"fail"})"));
  EXPECT_FALSE(c.d.handle_line(R"({"jsonrpc":"2.0","method":"throw"})"));
  EXPECT_FALSE(c.d.handle_line(R"({"method":"echo"})"));
  // Responses from the client and blank lines get nothing either.
  EXPECT_FALSE(c.d.handle_line(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
  EXPECT_FALSE(c.d.handle_line("   "));
  EXPECT_FALSE(c.d.handle_line(""));
}

TEST(JsonRpc, NotificationWithAnIdIsAnInvalidRequest) {
  Counting c;
  json r = c.handle(R"({"jsonrpc":"2.0","id":9,"method":"notifications/initialized"})");
  EXPECT_EQ(error_code(r), code::invalid_request);
  EXPECT_EQ(r["id"], 9);
  EXPECT_EQ(c.notified, 0);
  r = c.handle(R"({"jsonrpc":"2.0","id":10,"method":"notifications/cancelled"})");
  EXPECT_EQ(error_code(r), code::invalid_request);
}

TEST(JsonRpc, EncodeIsOneLineAndSurvivesInvalidUtf8) {
  json j = {{"text", std::string("a\nb\xff")}};
  std::string s = encode(j);
  EXPECT_EQ(s.find('\n'), std::string::npos);
  EXPECT_NE(s.find("\\n"), std::string::npos);
  EXPECT_NE(s.find("\xef\xbf\xbd"), std::string::npos); // U+FFFD
}

namespace {

// Runs serve() on pipes: writes `input` (then closes it unless keep_open), returns the output
// lines.
struct Piped {
  std::vector<json> replies;
  StopReason reason = StopReason::end_of_input;
};

Piped run(const Dispatcher& d, const std::string& input, size_t cap, bool stop_instead = false) {
  std::array<int, 2> in{}, out{}, stop{};
  EXPECT_EQ(::pipe(in.data()), 0);
  EXPECT_EQ(::pipe(out.data()), 0);
  EXPECT_EQ(::pipe(stop.data()), 0);
  Piped p;
  std::string output;
  std::thread reader([&] {
    std::array<char, 4096> buf{};
    ssize_t n;
    while ((n = ::read(out[0], buf.data(), buf.size())) > 0) {
      output.append(buf.data(), static_cast<size_t>(n));
    }
  });
  std::thread writer([&] {
    size_t off = 0;
    while (off < input.size()) {
      ssize_t n = ::write(in[1], input.data() + off, input.size() - off);
      if (n <= 0) {
        break;
      }
      off += static_cast<size_t>(n);
    }
    if (stop_instead) {
      char c = 1;
      // Give the server time to answer what was written before it is told to stop.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      EXPECT_EQ(::write(stop[1], &c, 1), 1);
    } else {
      ::close(in[1]);
    }
  });
  auto r = serve(in[0], out[1], d, {.max_line_bytes = cap}, stop[0]);
  writer.join();
  ::close(out[1]);
  reader.join();
  EXPECT_TRUE(r) << r.error();
  p.reason = r ? *r : StopReason::end_of_input;
  size_t start = 0;
  while (start < output.size()) {
    size_t nl = output.find('\n', start);
    EXPECT_NE(nl, std::string::npos) << "a reply without its newline";
    p.replies.push_back(json::parse(output.substr(start, nl - start)));
    start = nl + 1;
  }
  for (int fd : {in[0], out[0], stop[0], stop[1]}) {
    ::close(fd);
  }
  if (stop_instead) {
    ::close(in[1]);
  }
  return p;
}

} // namespace

TEST(JsonRpcStream, OversizeLineIsSkippedAndTheNextOneServed) {
  Counting c;
  std::string big = R"({"jsonrpc":"2.0","id":1,"method":"echo","params":{"x":")" +
                    std::string(10 * 1024, 'a') + "\"}}\n";
  std::string input = big + R"({"jsonrpc":"2.0","id":2,"method":"echo"})" + "\n";
  Piped p = run(c.d, input, 1024);
  ASSERT_EQ(p.replies.size(), 2u);
  EXPECT_EQ(p.replies[0]["error"]["code"], code::invalid_request);
  EXPECT_TRUE(p.replies[0]["id"].is_null());
  EXPECT_NE(p.replies[0]["error"]["message"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_EQ(p.replies[1]["id"], 2);
  EXPECT_EQ(p.reason, StopReason::end_of_input);
}

TEST(JsonRpcStream, LinesOnlyAtTheCapPassAndALastLineWithoutNewlineCounts) {
  Counting c;
  std::string exact = R"({"jsonrpc":"2.0","id":1,"method":"echo"})";
  std::string input = exact + "\n" + "\n" + R"({"jsonrpc":"2.0","id":2,"method":"echo"})";
  Piped p = run(c.d, input, exact.size());
  ASSERT_EQ(p.replies.size(), 2u);
  EXPECT_EQ(p.replies[0]["id"], 1);
  EXPECT_EQ(p.replies[1]["id"], 2);
}

TEST(JsonRpcStream, ManyMessagesInOneWriteAndSplitAcrossWrites) {
  Counting c;
  std::string input;
  for (int i = 0; i < 500; ++i) {
    input += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) + R"(,"method":"echo"})" + "\n";
    input += R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
             "\n";
  }
  Piped p = run(c.d, input, 1 << 20);
  ASSERT_EQ(p.replies.size(), 500u);
  for (int i = 0; i < 500; ++i) {
    EXPECT_EQ(p.replies[static_cast<size_t>(i)]["id"], i);
  }
  EXPECT_EQ(c.notified, 500);
}

TEST(JsonRpcStream, StopFdEndsServingWithInputStillOpen) {
  Counting c;
  Piped p = run(c.d, std::string(R"({"jsonrpc":"2.0","id":1,"method":"echo"})") + "\n", 1024, true);
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.reason, StopReason::stop_requested);
}

TEST(JsonRpcStream, ClosedOutputStopsTheServer) {
  Counting c;
  std::array<int, 2> in{}, out{};
  ASSERT_EQ(::pipe(in.data()), 0);
  ASSERT_EQ(::pipe(out.data()), 0);
  ::close(out[0]); // the client went away
  std::string line = std::string(R"({"jsonrpc":"2.0","id":1,"method":"echo"})") + "\n";
  ASSERT_EQ(::write(in[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  auto signals = TerminationSignals::install(); // ignores SIGPIPE while it lives
  ASSERT_TRUE(signals) << signals.error();
  auto r = serve(in[0], out[1], c.d, {});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, StopReason::output_closed);
  for (int fd : {in[0], in[1], out[1]}) {
    ::close(fd);
  }
}

TEST(JsonRpcStream, SigtermMakesTheStopFdReadable) {
  auto signals = TerminationSignals::install();
  ASSERT_TRUE(signals) << signals.error();
  EXPECT_FALSE(TerminationSignals::install()) << "two watchers at once";
  ASSERT_EQ(::raise(SIGTERM), 0);
  char c = 0;
  EXPECT_EQ(::read(signals->fd(), &c, 1), 1);
  EXPECT_EQ(signals->signal(), SIGTERM);
}
