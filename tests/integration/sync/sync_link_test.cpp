// Connections kept (issue 20): the engine's transports share one libcurl share (CurlShare),
// so logins, passes and the accounts of one server use one open connection, and when a
// connection must be opened again, over TLS, it resumes the session instead of a full
// handshake. Counted at flakynet (TCP connections it accepted) and by the client (TLS
// handshakes, and resumed ones as OpenSSL reports them), against the real manod.
#include <cstdlib>

#include "sync_fixture.h"

using namespace mano;

namespace {

// A self-signed certificate for 127.0.0.1 (it is its own CA), made now by openssl.
std::string MakeCertificate(const std::string& dir, const std::string& name) {
  const std::string cert = dir + "/" + name + ".pem", key = dir + "/" + name + ".key";
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
      key + " -out " + cert +
      " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return cert;
}

// Runs a pass until every account is ok (a connection the proxy just reset may fail once).
void PassOk(sync::SyncEngine& engine) {
  for (int i = 0; i < 3; ++i) {
    if (engine.RunPass(true).all_ok()) return;
  }
  FAIL("no pass went through");
}

}  // namespace

TEST_CASE("two logins, three passes and two accounts on one server use one connection",
          "[integration]") {
  test::FaultWorld world(20);  // on a good link
  const std::string url = world.url();
  sync::SyncEngine engine(world.client_dir, test::FastEngineOptions());
  engine.Login("alice", url, world.server.Token("alice"));
  engine.Login("bob", url, world.server.Token("bob"));
  REQUIRE(engine.Claim("alice", 2).size() == 2);
  REQUIRE(engine.Claim("bob", 2).size() == 2);
  for (int i = 0; i < 3; ++i) {
    const auto pass = engine.RunPass(true);
    REQUIRE(pass.accounts.size() == 2);
    REQUIRE(pass.all_ok());
  }
  const auto stats = world.net.Stats();
  CHECK(stats.requests >= 10);      // logins, claims and both accounts' passes...
  CHECK(stats.connections == 1);    // ...on one connection (before: one per login and account)
  CHECK(engine.LinkCounts().connections == 1);
  CHECK(engine.LinkCounts().tls_handshakes == 0);
}

TEST_CASE("over TLS a new connection resumes the session, and verification stays on",
          "[integration]") {
  const test::TempDir temp_dir("mano-link-tls");
  const std::string dir = temp_dir.path();
  const std::string cert = MakeCertificate(dir, "server");
  auto options = test::ServerOptions(test::WriteTasks(dir, 20, 0));
  options.serve_args.insert(options.serve_args.end(),
                            {"--cert", cert, "--key", dir + "/server.key"});
  test::ManodProcess server(options);
  auto net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  const std::string url = "https://" + net.address();

  SECTION("the test CA trusted: one full handshake, then resumed ones") {
    auto engine_options = test::FastEngineOptions();
    engine_options.transport.ca_file = cert;
    sync::SyncEngine engine(dir + "/client", engine_options);
    engine.Login("alice", url, server.Token("alice"));
    engine.Login("bob", url, server.Token("bob"));
    PassOk(engine);
    CHECK(net.Stats().connections == 1);
    CHECK(engine.LinkCounts().tls_handshakes == 1);
    CHECK(engine.LinkCounts().tls_resumed == 0);
    // The link drops the connection twice; each new one resumes the first session.
    for (int i = 0; i < 2; ++i) {
      net.ControlOk("cut reset");
      PassOk(engine);
    }
    const auto counts = engine.LinkCounts();
    INFO("connections " << counts.connections << ", handshakes " << counts.tls_handshakes
                        << ", resumed " << counts.tls_resumed);
    CHECK(net.Stats().connections == 3);
    CHECK(counts.connections == 3);
    CHECK(counts.tls_handshakes == 3);
    CHECK(counts.tls_resumed == 2);
  }

  SECTION("a certificate from another CA: refused") {
    auto engine_options = test::FastEngineOptions();
    engine_options.transport.ca_file = MakeCertificate(dir, "other");
    sync::SyncEngine engine(dir + "/client", engine_options);
    try {
      engine.Login("alice", url, server.Token("alice"));
      FAIL("a certificate from another CA was accepted");
    } catch (const sync::SyncError& error) {
      CHECK(error.kind() == sync::SyncErrorKind::kConfig);  // a TLS failure is set-up, not offline
      CHECK(net.Stats().connections == 1);
    }
  }
}
