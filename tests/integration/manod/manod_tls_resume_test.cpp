// manod resumes TLS sessions (issue 20): it gives each GnuTLS session a ticket key, so a
// client's second connection skips the full handshake. Checked from outside mano, with
// `openssl s_client`: the first connection saves its session (-sess_out), the second offers it
// (-sess_in) and openssl reports "Reused" (before: manod sent no ticket, nothing to offer).
#include <stdio.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "manod_process.h"

using mano::test::ManodProcess;

namespace {

// What `openssl s_client` prints for one connection held open for a second (so the
// session ticket, sent after the handshake, arrives before it closes).
std::string Connect(uint16_t port, const std::string& cert, const std::string& session_option) {
  const std::string cmd = "sleep 1 | openssl s_client -connect 127.0.0.1:" +
                          std::to_string(port) + " -CAfile " + cert + " -verify_return_error " +
                          session_option + " 2>&1";
  std::string out;
  if (FILE* pipe = popen(cmd.c_str(), "r")) {
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

}  // namespace

TEST_CASE("a second TLS connection resumes the first one's session", "[integration]") {
  char tmpl[] = "/tmp/manod-resume-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string dir = tmpl;
  const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  const std::string make =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + key +
      " -out " + cert + " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1" +
      " >/dev/null 2>&1";
  REQUIRE(std::system(make.c_str()) == 0);
  {
    ManodProcess::Options options;
    options.serve_args = {"--cert", cert, "--key", key};
    ManodProcess server(options);
    const std::string first = Connect(server.port(), cert, "-sess_out " + dir + "/session");
    INFO(first);
    CHECK(first.find("New, TLSv1.3") != std::string::npos);
    CHECK(first.find("Verify return code: 0 (ok)") != std::string::npos);
    REQUIRE(std::filesystem::exists(dir + "/session"));  // a ticket came
    const std::string second = Connect(server.port(), cert, "-sess_in " + dir + "/session");
    INFO(second);
    CHECK(second.find("Reused, TLSv1.3") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
