// Hostile text from a server never reaches the worker's terminal: a manod-compatible peer
// (a raw socket server speaking the protocol, so it can say what manod would refuse to)
// hands out a task whose title, instructions, labels and options, and later a rejection
// reason and an error message, carry escape sequences (window title OSC 0, clipboard
// OSC 52, clear screen CSI 2J), an 8-bit CSI (U+009B) and bidi overrides. The real `mano`
// prints them with `list`, `show`, `claim`, `ledger`, `evidence`, `sync` and in an error:
// no output holds a byte a terminal acts on, the words around the sequences are still
// there, and the JSON forms keep the exact data.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "../../sync/protocol_peer.h"
#include "../tui/tmux_session.h"
#include "mano_runner.h"
#include "terminal_controls.h"

using mano::test::HasTerminalControl;
using mano::test::JsonReply;
using mano::test::kPeerServerTime;
using mano::test::ManoResult;
using mano::test::ManoRunner;
using mano::test::RawHttpPeer;
using namespace mano;

namespace {

// Every trick at once, between words that must survive.
const std::string kEvil =
    "Start\x1b]0;pwned title\x07 \x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\xc2\x9b"
    "31m"
    "\u202Egnp.exe\u202C \u2066iso\u2069 End";

void CheckClean(const ManoResult& r, const char* what) {
  INFO(what << "\nstdout: " << r.out << "\nstderr: " << r.err);
  CHECK_FALSE(HasTerminalControl(r.out));
  CHECK_FALSE(HasTerminalControl(r.err));
}

struct HostilePeer {
  sync::ReceiptSigner signer = sync::ReceiptSigner::Generate();
  int64_t asset_size = 0;  // when set, the task names one asset this big
  int asset_requests = 0;
  bool reject = true;  // the events say the task was rejected (with a hostile reason)

  RawHttpPeer::Reply Handle(const std::string& request) {
    const std::string line = request.substr(0, request.find("\r\n"));
    if (auto reply = mano::test::LoginReply(line, signer)) return *reply;
    if (line.find("/v1/claim") != std::string::npos) {
      sync::ClaimReply reply;
      reply.server_time = kPeerServerTime;
      sync::Assignment a = mano::test::PeerAssignment("a1");
      a.form.title = kEvil;
      a.form.instructions = kEvil + "\nsecond line";
      a.form.show = {{sync::ShowType::kText, kEvil, kEvil + "\nmore"},
                     {sync::ShowType::kUrl, "link", "https://x.example/\x1b[2J"}};
      for (auto& field : a.form.fields) {
        field.label = kEvil;
        for (auto& option : field.options) option.label = kEvil;
      }
      if (asset_size > 0) {
        a.assets.push_back({"photo", std::string(64, 'e'), asset_size, "image/png"});
        a.form.show.push_back({sync::ShowType::kAsset, "photo", "photo"});
      }
      reply.assignments.push_back(a);
      return JsonReply(200, reply.ToJson());
    }
    if (line.find("/v1/assets/") != std::string::npos) {
      ++asset_requests;
      return {RawHttpPeer::Http(200, "", std::string(1 << 20, 'x'))};
    }
    if (line.find("/v1/events") != std::string::npos) {
      sync::EventsReply reply;
      reply.server_time = kPeerServerTime + 1000;
      reply.cursor = "c1";
      sync::Event rejected;
      rejected.seq = 1;
      rejected.type = sync::EventType::kRejected;
      rejected.assignment_id = "a1";
      rejected.reason = kEvil;
      rejected.server_time = kPeerServerTime + 500;
      reply.events.push_back(rejected);
      if (!reject || request.find("after=c1") != std::string::npos) reply.events.clear();
      return JsonReply(200, reply.ToJson());
    }
    if (line.find("/v1/return") != std::string::npos)
      return JsonReply(409, sync::ErrorBody{"conflict", kEvil, ""}.ToJson());
    return JsonReply(404, sync::ErrorBody{"not_found", kEvil, ""}.ToJson());
  }
};

// The peer on loopback (its handler runs on the peer's thread, under `mutex`: the test reads
// `server`'s counters under it too) and a `mano` to talk to it, logged in with LogIn().
// `peer` is declared after what its handler uses: it answers as soon as it is built.
struct HostileWorld {
  HostilePeer server;
  std::mutex mutex;
  RawHttpPeer peer{[this](const std::string& request) {
    std::lock_guard<std::mutex> lock(mutex);
    return server.Handle(request);
  }};
  ManoRunner runner;
  void LogIn() const {
    runner.LogIn(peer.url(), "h", "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
  }
};

}  // namespace

TEST_CASE_METHOD(HostileWorld, "hostile task texts never reach the terminal raw",
                 "[integration][cli][hostile]") {
  LogIn();

  ManoResult r = runner.Run({"claim"});
  CheckClean(r, "claim");
  REQUIRE(r.status == 0);

  r = runner.Run({"list"});
  CheckClean(r, "list");
  CHECK(r.out.find("Start") != std::string::npos);

  r = runner.Run({"show", "1"});
  CheckClean(r, "show");
  CHECK(r.out.find("Start") != std::string::npos);
  CHECK(r.out.find(" End") != std::string::npos);
  CHECK(r.out.find("gnp.exe") != std::string::npos);
  CHECK(r.out.find("\nsecond line") != std::string::npos);  // instructions keep their lines

  // JSON: exact data, escaped.
  for (const auto& args : {std::vector<std::string>{"list", "--json"},
                           std::vector<std::string>{"show", "1", "--json"}}) {
    r = runner.Run(args);
    CheckClean(r, args[0].c_str());
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    const auto& item = doc.IsArray() ? doc[0] : doc;
    CHECK(std::string(item["title"].GetString()) == kEvil);
  }

  // The rejection reason arrives with the events.
  r = runner.Run({"sync"});
  CheckClean(r, "sync");

  r = runner.Run({"ledger"});
  CheckClean(r, "ledger");
  CHECK(r.out.find("gnp.exe") != std::string::npos);

  r = runner.Run({"evidence", "1", "-o", "-"});
  CheckClean(r, "evidence -o -");
  CHECK(r.status == 0);
  r = runner.Run({"evidence", "1", "-o", runner.dir() + "/e.json"});
  CheckClean(r, "evidence");
  const std::string summary = test::ReadFileBytes(runner.dir() + "/e.txt");
  CHECK(summary.find("gnp.exe") != std::string::npos);
  CHECK_FALSE(HasTerminalControl(summary));
  CHECK_FALSE(HasTerminalControl(test::ReadFileBytes(runner.dir() + "/e.json")));
  r = runner.Run({"evidence", "verify", runner.dir() + "/e.json"});  // still the same data
  CheckClean(r, "evidence verify");
  CHECK(r.status == 0);

  // An error message quoting the server.
  r = runner.Run({"return", "1"});
  CheckClean(r, "return");
  CHECK(r.status != 0);
  CHECK(r.err.find("Start") != std::string::npos);
}

TEST_CASE_METHOD(HostileWorld,
                 "a task declaring a 1 TiB file is refused in one sentence, in the worker's "
                 "language",
                 "[integration][cli][hostile]") {
  {
    std::lock_guard<std::mutex> lock(mutex);
    server.asset_size = int64_t{1} << 40;
    server.reject = false;  // the task stays open, so prefetch looks at its file
  }
  std::filesystem::create_directories(runner.config_home() + "/mano");
  std::ofstream(runner.config_home() + "/mano/config.toml") << "asset_task_max_mb = 100\n";
  LogIn();
  const std::map<std::string, std::string> spanish = {{"LANG", "es_ES.UTF-8"}};
  for (const char* command : {"claim", "sync"}) {
    ManoResult r = runner.Run({command}, {}, spanish);
    INFO(command << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CheckClean(r, command);
    CHECK(r.err.find("La tarea 1 no se descargó: sus archivos ocupan 1048576 MiB, más de los "
                     "100 MiB permitidos por tarea (configuración asset_task_max_mb).") !=
          std::string::npos);
  }
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(server.asset_requests == 0);
}

TEST_CASE_METHOD(HostileWorld,
                 "in a real terminal, mano show leaves the window title and the clipboard alone",
                 "[integration][cli][hostile][tmux]") {
  LogIn();
  REQUIRE(runner.Run({"claim"}).status == 0);

  // A worker's terminal: tmux at 80x24, TERM=linux, in Spanish, taking OSC 52 into its
  // paste buffers as a terminal with clipboard access would.
  mano::test::TmuxServer tmux(runner.dir());
  tmux.Start("idle", {"sleep", "120"}, {});
  tmux.Run({"set-option", "-g", "set-clipboard", "on"});
  tmux.Start(
      "show",
      {"sh", "-c",
       ManoRunner::Binary() + " --data-dir " + runner.data_dir() +
           " show 1; echo fin-de-show; sleep 120"},
      {{"TERM", "linux"}, {"LANG", "es_ES.UTF-8"}, {"XDG_CONFIG_HOME", runner.config_home()}});
  const std::string screen = tmux.WaitFor("show", "fin-de-show");
  INFO(screen);
  CHECK(screen.find("fin-de-show") != std::string::npos);
  CHECK(screen.find("gnp.exe") != std::string::npos);
  const std::string title =
      tmux.Run({"display-message", "-p", "-t", "show", "#{pane_title}"}).second;
  CHECK(title.find("pwned") == std::string::npos);
  CHECK(tmux.Run({"list-buffers"}).second.empty());  // nothing written to the clipboard
  tmux.KillSession("show");
  tmux.KillSession("idle");
}
