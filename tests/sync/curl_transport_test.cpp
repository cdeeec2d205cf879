#include "mano/sync/curl_transport.h"

#include <zstd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "mano/sync/text_trim.h"
#include "raw_http_peer.h"

using namespace mano::sync;
using mano::test::RawHttpPeer;

namespace {

const std::string kToken = "tok_SECRET_abcdefghijklmnopqrstuvwxyz0123456789";

TransportOptions Options(const std::string& url) {
  TransportOptions options;
  options.server_url = url;
  options.token = kToken;
  options.connect_timeout_ms = 2000;
  options.low_speed_time_s = 1;
  return options;
}

RawHttpPeer::Reply Json(int status, const std::string& body, const std::string& extra = "") {
  return {RawHttpPeer::Http(status, "Content-Type: application/json\r\n" + extra, body)};
}

std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

int ClosedPort() {
  // Bind a port and close it: nothing listens there afterwards.
  RawHttpPeer* peer = new RawHttpPeer([](const std::string&) { return RawHttpPeer::Reply{}; });
  const int port = peer->port();
  delete peer;
  return port;
}

}  // namespace

TEST_CASE("only https, or http to loopback, server addresses are allowed", "[transport]") {
  for (const char* url : {"https://tasks.example.org", "http://127.0.0.1:8080", "http://127.9.3.1/",
                          "http://[::1]:99", "http://localhost:5", "HTTP://LOCALHOST"}) {
    CAPTURE(url);
    CHECK(CurlTransport::UrlAllowed(url, false, nullptr));
  }
  // Not loopback however it is spelt, not http(s), not a URL: refused, saying why.
  for (const char* url : {"http://127.0.0.1.evil.example", "http://128.0.0.1",
                          "http://user@127.0.0.1", "ftp://127.0.0.1", "127.0.0.1:80"}) {
    CAPTURE(url);
    std::string why;
    CHECK_FALSE(CurlTransport::UrlAllowed(url, false, &why));
    CHECK_FALSE(why.empty());
  }
  // Plain http to another host: refused naming the host, unless insecure http is allowed.
  std::string why;
  CHECK_FALSE(CurlTransport::UrlAllowed("http://tasks.example.org", false, &why));
  CHECK(why.find("tasks.example.org") != std::string::npos);
  CHECK(CurlTransport::UrlAllowed("http://tasks.example.org", true, &why));
}

TEST_CASE("plain http to a non-loopback host is refused before any byte is sent", "[transport]") {
  CurlTransport transport(Options("http://192.0.2.1:80"));
  const auto reply = transport.Send(HttpRequest{});
  CHECK(reply.outcome == Outcome::kRefused);
  CHECK(reply.bytes_up == 0);
  CHECK(reply.error.find(kToken) == std::string::npos);
}

TEST_CASE("requests carry the bearer token, zstd accept and content encoding", "[transport]") {
  RawHttpPeer peer([](const std::string&) { return Json(200, R"({"ok":true})"); });
  CurlTransport transport(Options(peer.url()));
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/submit";
  request.body = Zstd(R"({"results":[]})");
  request.body_is_zstd = true;
  const auto reply = transport.Send(request);
  REQUIRE(reply.outcome == Outcome::kOk);
  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"ok":true})");
  const auto requests = peer.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].rfind("POST /v1/submit HTTP/1.1\r\n", 0) == 0);
  CHECK(requests[0].find("Authorization: Bearer " + kToken + "\r\n") != std::string::npos);
  CHECK(requests[0].find("Accept-Encoding: zstd\r\n") != std::string::npos);
  CHECK(requests[0].find("Content-Encoding: zstd\r\n") != std::string::npos);
  CHECK(requests[0].find("Expect:") == std::string::npos);
}

TEST_CASE("unauthenticated requests carry no token", "[transport]") {
  RawHttpPeer peer([](const std::string&) { return Json(200, "{}"); });
  CurlTransport transport(Options(peer.url()));
  HttpRequest request;
  request.auth = false;
  REQUIRE(transport.Send(request).ok());
  CHECK(peer.requests().at(0).find(kToken) == std::string::npos);
}

TEST_CASE("every byte moved is counted, headers included", "[transport]") {
  RawHttpPeer peer([](const std::string&) { return Json(200, std::string(3000, 'x')); });
  CurlTransport transport(Options(peer.url()));
  for (size_t size : {size_t{0}, size_t{100}, size_t{70'000}}) {
    const int64_t before_in = peer.bytes_received(), before_out = peer.bytes_sent();
    HttpRequest request;
    request.method = size ? "POST" : "GET";
    request.body = std::string(size, 'b');
    const auto reply = transport.Send(request);
    REQUIRE(reply.ok());
    CHECK(reply.bytes_up == peer.bytes_received() - before_in);
    CHECK(reply.bytes_down == peer.bytes_sent() - before_out);
  }
}

TEST_CASE("the connection is reused between requests", "[transport]") {
  RawHttpPeer peer([](const std::string&) { return Json(200, "{}"); });
  CurlTransport transport(Options(peer.url()));
  for (int i = 0; i < 3; ++i) REQUIRE(transport.Send(HttpRequest{}).ok());
  CHECK(peer.connections() == 1);
}

TEST_CASE("zstd replies are decoded, and a zstd bomb is refused", "[transport]") {
  const std::string big(4 << 20, 'z');
  RawHttpPeer peer([&](const std::string& request) {
    if (request.find("/small") != std::string::npos) {
      return Json(200, Zstd(R"({"a":1})"), "Content-Encoding: zstd\r\n");
    }
    if (request.find("/truncated") != std::string::npos) {
      std::string frame = Zstd(std::string(5000, 'q') + "tail");
      return Json(200, frame.substr(0, frame.size() / 2), "Content-Encoding: zstd\r\n");
    }
    return Json(200, Zstd(big), "Content-Encoding: zstd\r\n");
  });
  CurlTransport transport(Options(peer.url()));
  HttpRequest request;
  request.path = "/small";
  auto reply = transport.Send(request);
  REQUIRE(reply.ok());
  CHECK(reply.body == R"({"a":1})");

  request.path = "/bomb";
  request.max_reply_bytes = 1 << 20;
  reply = transport.Send(request);
  CHECK(reply.outcome == Outcome::kReplyTooLarge);
  CHECK(reply.body.empty());
  CHECK(reply.bytes_down < 4096);  // the frame itself is tiny

  request.path = "/truncated";
  reply = transport.Send(request);
  CHECK(reply.outcome == Outcome::kBadEncoding);
}

TEST_CASE("a captive portal is recognised, never parsed", "[transport]") {
  RawHttpPeer peer([](const std::string& request) -> RawHttpPeer::Reply {
    if (request.find("/html") != std::string::npos) {
      return {RawHttpPeer::Http(200, "Content-Type: text/html; charset=utf-8\r\n",
                                "<html>Welcome to Cafe Wi-Fi</html>")};
    }
    if (request.find("/sneaky") != std::string::npos) {
      return Json(200, "  <!DOCTYPE html><p>login</p>");
    }
    if (request.find("/redirect") != std::string::npos) {
      return {RawHttpPeer::Http(302, "Location: http://portal.example/login\r\n", "")};
    }
    return {RawHttpPeer::Http(500, "", "")};
  });
  CurlTransport transport(Options(peer.url()));
  for (const char* path : {"/html", "/sneaky", "/redirect"}) {
    HttpRequest request;
    request.path = path;
    const auto reply = transport.Send(request);
    CHECK(reply.outcome == Outcome::kCaptive);
    CHECK(reply.body.empty());
    CHECK(reply.error.find("captive portal") != std::string::npos);
  }
  HttpRequest request;
  request.path = "/error";
  const auto reply = transport.Send(request);
  CHECK(reply.outcome == Outcome::kOk);  // an HTTP answer; the engine judges the status
  CHECK(reply.status == 500);
  CHECK(reply.body.empty());
}

TEST_CASE("Retry-After is parsed as seconds and as an HTTP-date", "[transport]") {
  using mano::sync::ParseRetryAfter;
  const int64_t now = 1'445'412'480'000;  // Wed, 21 Oct 2015 07:28:00 GMT
  CHECK(ParseRetryAfter("120", now) == 120'000);
  CHECK(ParseRetryAfter(" 0 ", now) == 0);
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:29:00 GMT", now) == 60'000);
  CHECK(ParseRetryAfter("Wednesday, 21-Oct-15 07:28:30 GMT", now) == 30'000);
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0);  // in the past
  CHECK_FALSE(ParseRetryAfter("soon", now).has_value());
  CHECK_FALSE(ParseRetryAfter("", now).has_value());

  RawHttpPeer peer([](const std::string&) {
    return Json(503, R"({"error":{"code":"busy","message":"later"}})", "Retry-After: 7\r\n");
  });
  CurlTransport transport(Options(peer.url()));
  const auto reply = transport.Send(HttpRequest{});
  CHECK(reply.status == 503);
  CHECK(reply.retry_after_ms == 7000);
}

TEST_CASE("a reply cut short or a stalled link is a cut, not a hang", "[transport]") {
  RawHttpPeer peer([](const std::string& request) -> RawHttpPeer::Reply {
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":";
    if (request.find("/cut") != std::string::npos) return {head, true};
    return {head, false, 5000};  // stall with the connection open
  });
  CurlTransport transport(Options(peer.url()));
  HttpRequest request;
  request.path = "/cut";
  auto reply = transport.Send(request);
  CHECK(reply.outcome == Outcome::kCut);
  CHECK(reply.bytes_down > 0);
  request.path = "/stall";
  reply = transport.Send(request);  // low_speed_time_s = 1
  CHECK(reply.outcome == Outcome::kCut);
  CHECK(reply.error.find(kToken) == std::string::npos);
}

TEST_CASE("a request's deadline follows its size and the link, under a ceiling", "[transport]") {
  TransportOptions options;
  options.request_grace_ms = 20'000;
  options.min_rate_bytes_per_s = 1024;
  options.max_request_ms = 600'000;
  using mano::sync::RequestDeadlineMs;
  CHECK(RequestDeadlineMs(0, 0, options) == 20'000);
  CHECK(RequestDeadlineMs(10 * 1024, 0, options) == 30'000);  // at the floor rate
  // A link measured at 80 KiB/s is assumed to do at least an eighth of that.
  CHECK(RequestDeadlineMs(100 * 1024, 80 * 1024, options) == 30'000);
  CHECK(RequestDeadlineMs(int64_t{1} << 40, 0, options) == 600'000);  // the ceiling
}

TEST_CASE("a reply trickled just above the stall limit is cut at its deadline", "[transport]") {
  // 2 bytes a second stays above libcurl's 1 B/s low-speed limit: without a deadline the
  // 600-byte reply would hold the request for five minutes.
  RawHttpPeer peer([](const std::string&) {
    RawHttpPeer::Reply reply = Json(200, "{\"t\":\"" + std::string(560, 'x') + "\"}");
    reply.trickle_bytes_per_s = 2;
    return reply;
  });
  auto options = Options(peer.url());
  options.request_grace_ms = 1500;
  CurlTransport transport(options);
  const auto reply = transport.Send(HttpRequest{});
  CHECK(reply.outcome == Outcome::kCut);
  INFO(reply.error);
  CHECK(reply.error.find("deadline") != std::string::npos);
  CHECK(reply.bytes_down < 600);
}

TEST_CASE("the token never appears in an error message", "[transport]") {
  // Even when the server URL itself (wrongly) carries the token.
  auto options = Options("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/" + kToken);
  CurlTransport transport(options);
  const auto reply = transport.Send(HttpRequest{});
  CHECK(reply.outcome == Outcome::kUnreachable);
  CHECK_FALSE(reply.error.empty());
  CHECK(reply.error.find(kToken) == std::string::npos);
  CHECK(reply.error.find("[redacted]") != std::string::npos);
  CHECK(mano::sync::Scrub("a " + kToken + " b " + kToken, kToken) == "a [redacted] b [redacted]");
}

TEST_CASE("TLS verification stays on: a plain server on https fails as TLS", "[transport]") {
  RawHttpPeer peer([](const std::string&) { return Json(200, "{}"); });
  auto options = Options("https://127.0.0.1:" + std::to_string(peer.port()));
  options.low_speed_time_s = 2;
  CurlTransport transport(options);
  const auto reply = transport.Send(HttpRequest{});
  CHECK_FALSE(reply.ok());
  CHECK(reply.error.find(kToken) == std::string::npos);
}

TEST_CASE("a tiny request (an anchor) stays under 200 bytes on the wire", "[transport]") {
  RawHttpPeer peer([](const std::string&) { return Json(200, R"({"t":1,"deadline":2})"); });
  CurlTransport transport(Options(peer.url()));
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/anchor";
  request.body = R"({"a":"k3f9","h":"0123456789abcdef0123456789abcdef"})";
  request.tiny = true;
  const auto reply = transport.Send(request);
  REQUIRE(reply.ok());
  const std::string sent = peer.requests().at(0);
  INFO(sent);
  CHECK(sent.size() < 200);
  CHECK(reply.bytes_up == static_cast<int64_t>(sent.size()));
  CHECK(sent.find("Authorization: Bearer " + kToken) != std::string::npos);
  CHECK(sent.find("User-Agent") == std::string::npos);
  CHECK(sent.find("Content-Type") == std::string::npos);
  CHECK(sent.find("Accept") == std::string::npos);
}

TEST_CASE("a cancel from another thread ends a stalled transfer and refuses new ones",
          "[transport]") {
  RawHttpPeer peer([](const std::string&) -> RawHttpPeer::Reply {
    return {"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{", false, 30000};  // stalls
  });
  TransportOptions options = Options(peer.url());
  options.low_speed_time_s = 60;  // only the cancel can end it within the test's time
  options.cancel = std::make_shared<mano::sync::TransferCancel>();
  CurlTransport transport(options);
  HttpRequest request;
  request.path = "/stall";
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    options.cancel->Cancel();
  });
  auto started = std::chrono::steady_clock::now();
  auto reply = transport.Send(request);
  auto took = std::chrono::steady_clock::now() - started;
  canceller.join();
  CHECK(reply.outcome == Outcome::kCut);
  CHECK(took < std::chrono::seconds(20));  // generous: without the cancel, 60 s or more
  reply = transport.Send(request);
  CHECK(reply.outcome != Outcome::kOk);
  CHECK(reply.bytes_up == 0);  // no connection was made
}

TEST_CASE("Trim strips the ASCII characters it is given at both ends, nothing else", "[unit]") {
  using mano::sync::kBlanks;
  using mano::sync::Trim;
  using mano::sync::TrimView;
  CHECK(Trim(" \t a b \r\n\v\f") == "a b");
  CHECK(Trim(" \t\r\n") == "");
  CHECK(Trim("") == "");
  CHECK(Trim("x") == "x");
  // Blanks only: a line break a worker typed stays.
  CHECK(Trim(" line\n ", kBlanks) == "line\n");
  // Not UTF-8 white space (a no-break space stays: it is text, not ASCII blank).
  CHECK(Trim("\xC2\xA0word ") == "\xC2\xA0word");
  const std::string_view whole = "  view  ";
  const std::string_view inner = TrimView(whole);
  CHECK(inner == "view");
  CHECK(inner.data() == whole.data() + 2);  // a view into the same bytes
}
