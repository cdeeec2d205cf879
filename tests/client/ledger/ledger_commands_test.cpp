// The ledger's commands through CLI11 as `mano` registers them, and journal tampering
// done to the SQLite file behind the store's back.
#include "mano/client/ledger/ledger_commands.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "built_language.h"
#include "evidence_scenario.h"
#include "file_bytes.h"
#include "mano/sync/json_util.h"

using mano::client::ExitCode;
using mano::client::ledger::LedgerCommands;
using mano::test::EvidenceScenario;
using mano::test::LedgerFixture;

namespace {

struct Run {
  ExitCode code = ExitCode::kOk;
  std::string out, err;
};

Run Mano(LedgerFixture& f, std::vector<std::string> args, const std::string& config = "") {
  CLI::App app("mano", "mano");
  LedgerCommands commands(app);
  std::vector<const char*> argv = {"mano"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  std::ostringstream out, err;
  mano::client::CliContext ctx;
  ctx.data_dir = f.data_dir();
  ctx.config.path = config;
  ctx.out = &out;
  ctx.err = &err;
  Run r;
  f.Close();  // the command opens the store itself, as `mano` does
  auto code = commands.Run(ctx);
  f.Open();
  REQUIRE(code);
  r.code = *code;
  r.out = out.str();
  r.err = err.str();
  return r;
}

void Sql(LedgerFixture& f, const std::string& sql) {
  f.Close();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((f.data_dir() + "/mano.db").c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  f.Open();
}

}  // namespace

TEST_CASE("mano journal verify detects a changed, reordered or deleted entry") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const int64_t entries = static_cast<int64_t>(f.store().ListJournal().size());
  REQUIRE(entries >= 6);
  auto ok = Mano(f, {"journal", "verify"});
  CHECK(ok.code == ExitCode::kOk);
  CHECK(ok.out.find(std::to_string(entries) + " entries") != std::string::npos);

  auto expect_altered = [&](const std::string& words) {
    auto r = Mano(f, {"journal", "verify"});
    CHECK(r.code == ExitCode::kOther);
    INFO(r.err);
    CHECK(r.err.find("The work journal was altered") != std::string::npos);
    CHECK(r.err.find(words) != std::string::npos);
    CHECK_FALSE(f.store().VerifyJournal().ok);
  };
  SECTION("a payload changed") {
    Sql(f,
        "UPDATE journal SET payload = replace(payload, '60000', '6000000') "
        "WHERE type = 'active_time'");
    expect_altered("was changed");
  }
  SECTION("two entries swapped") {
    Sql(f,
        "UPDATE journal SET seq = -1 WHERE seq = 2; UPDATE journal SET seq = 2 WHERE seq = 3; "
        "UPDATE journal SET seq = 3 WHERE seq = -1;");
    expect_altered("does not follow");
  }
  SECTION("a middle entry deleted") {
    Sql(f, "DELETE FROM journal WHERE seq = 3");
    expect_altered("missing");
  }
  SECTION("the last entry deleted") {
    Sql(f, "DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)");
    expect_altered("head");
  }
}

TEST_CASE("mano evidence writes the file and its summary; verify finds changes") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const std::string file = f.dir() + "/proof.json";
  auto r = Mano(f, {"evidence", std::to_string(s.rejected_id), "-o", file});
  CHECK(r.code == ExitCode::kOk);
  const std::string json = mano::test::ReadFileBytes(file);
  const std::string summary = mano::test::ReadFileBytes(f.dir() + "/proof.txt");
  CHECK(summary.find(EvidenceScenario::kReason) != std::string::npos);
  CHECK(json.find("\"summary\"") != std::string::npos);

  auto v = Mano(f, {"evidence", "verify", file});
  CHECK(v.code == ExitCode::kOk);
  CHECK(v.out.find("the evidence is intact") != std::string::npos);
  v = Mano(f, {"evidence", "verify", file, "--key", s.signer.PublicKeyBase64()});
  CHECK(v.code == ExitCode::kOk);

  // The server id works too, and '-' writes to standard output.
  auto by_server_id = Mano(f, {"evidence", "A2", "-o", "-"});
  CHECK(by_server_id.code == ExitCode::kOk);
  CHECK(by_server_id.out.find("\"server_id\": \"A2\"") != std::string::npos);

  std::string bad = json;
  bad.replace(bad.find("\"score\": 3"), 10, "\"score\": 4");
  std::ofstream(file) << bad;
  v = Mano(f, {"evidence", "verify", file});
  CHECK(v.code == ExitCode::kOther);
  CHECK(v.err.find("answer") != std::string::npos);
  CHECK_THROWS_AS(Mano(f, {"evidence", "nope"}), mano::client::CliError);
}

TEST_CASE("mano evidence writes into the data folder, 0600, with amounts exact (version 2)") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const int64_t tiny = f.Claim("acme", "A../9", 25'000);  // 0.025 USD; an id with a path in it
  auto r = Mano(f, {"evidence", std::to_string(tiny)});
  INFO(r.out << r.err);
  REQUIRE(r.code == ExitCode::kOk);
  const std::string file = f.data_dir() + "/evidence/evidence-acme-A.._9.json";
  const std::string txt = f.data_dir() + "/evidence/evidence-acme-A.._9.txt";
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(txt.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((f.data_dir() + "/evidence").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  const std::string json = mano::test::ReadFileBytes(file);
  CHECK(mano::test::ReadFileBytes(txt).find("reward 0.025 USD") != std::string::npos);
  mano::sync::JsonDocument doc(json);
  CHECK(doc.Root().IntOf("version") == 2);
  CHECK(Mano(f, {"evidence", "verify", file}).code == ExitCode::kOk);

  // Read as version 1 (amounts rounded), the same summary no longer matches its data.
  std::string as_v1 = json;
  as_v1.replace(as_v1.find("\"version\": 2"), 12, "\"version\": 1");
  std::ofstream(file) << as_v1;
  CHECK(Mano(f, {"evidence", "verify", file}).code == ExitCode::kOther);
  // A version this mano does not know is refused, naming it.
  std::string v3 = json;
  v3.replace(v3.find("\"version\": 2"), 12, "\"version\": 3");
  std::ofstream(file) << v3;
  auto v = Mano(f, {"evidence", "verify", file});
  CHECK(v.code == ExitCode::kOther);
  CHECK(v.err.find("version 3") != std::string::npos);
}

TEST_CASE("mano evidence in Spanish: the files stay English, the terminal reads Spanish") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const std::string file = f.dir() + "/proof.json";
  // In English the command prints one line: the record is already in the worker's words.
  auto english = Mano(f, {"evidence", std::to_string(s.rejected_id), "-o", file});
  CHECK(english.out.find('\n') == english.out.size() - 1);
  const std::string english_txt = mano::test::ReadFileBytes(f.dir() + "/proof.txt");

  mano::test::BuiltLanguage spanish_words("es");
  auto r = Mano(f, {"evidence", std::to_string(s.rejected_id), "-o", file});
  const std::string txt = mano::test::ReadFileBytes(f.dir() + "/proof.txt");
  auto v = Mano(f, {"evidence", "verify", file});
  spanish_words.Restore();
  INFO(r.out << v.out << v.err);
  CHECK(r.code == ExitCode::kOk);
  CHECK(r.out.find("Pruebas guardadas por mano de la asignación A2") != std::string::npos);
  CHECK(txt.find("Evidence kept by mano for assignment A2") == 0);
  CHECK(txt.find("Pruebas") == std::string::npos);
  CHECK(v.code == ExitCode::kOk);
  CHECK(v.out.find("El resumen en texto plano corresponde a los datos.") != std::string::npos);
  // The file written under Spanish verifies under English too.
  CHECK(Mano(f, {"evidence", "verify", file}).code == ExitCode::kOk);
  // Only the created time may differ between the two records.
  CHECK(txt.substr(0, txt.find("File written")) ==
        english_txt.substr(0, english_txt.find("File written")));
}

TEST_CASE("mano ledger prints the summary and exports CSV and JSON") {
  LedgerFixture f;
  EvidenceScenario s(f);
  const std::string config = f.dir() + "/config.toml";
  std::ofstream(config) << "[ledger]\nlocal_currency = \"VES\"\nrate.USD = 36.5\n";
  auto text = Mano(f, {"ledger"}, config);
  CHECK(text.code == ExitCode::kOk);
  CHECK(text.out.find("Earned VES") != std::string::npos);
  CHECK(text.out.find(EvidenceScenario::kReason) != std::string::npos);
  auto csv = Mano(f, {"ledger", "--csv", "--by", "week"}, config);
  CHECK(csv.out.rfind("period,account,currency,earned,", 0) == 0);
  CHECK(csv.out.find("2026-W48") != std::string::npos);
  auto json = Mano(f, {"ledger", "--json", "--rate", "USD=40"}, config);
  CHECK(json.out.find("\"rates\":{\"USD\":\"40\"}") != std::string::npos);
  CHECK_THROWS_AS(Mano(f, {"ledger", "--account", "nobody"}), mano::client::CliError);
  CHECK_THROWS_AS(Mano(f, {"ledger", "--csv", "--json"}), mano::client::CliError);
}
