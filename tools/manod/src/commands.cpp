#include "commands.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "csv.h"
#include "file_util.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/json_util.h"
#include "mano/sync/receipt_signer.h"
#include "result_exporter.h"
#include "server_clock.h"
#include "sqlite_server_store.h"
#include "task_importer.h"

namespace mano::manod {

namespace {

constexpr const char* kSecretKeyMeta = "receipt_secret_key";

int Fail(const std::string& message) {
  std::fprintf(stderr, "manod: %s\n", message.c_str());
  return 1;
}

// Runs `body`, turning any exception into a one-line message and exit status 1.
template <class F>
int Guard(F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
}

int64_t Now() { return ServerClock().NowMs(); }

// "0.5" -> 500000 micro-units; throws on anything but digits with at most 6 decimals.
int64_t ParseAmount(const std::string& text) {
  size_t dot = text.find('.');
  std::string whole = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || frac.size() > 6 ||
      whole.find_first_not_of("0123456789") != std::string::npos ||
      frac.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("amount must look like 0.50 (at most 6 decimals): " + text);
  }
  frac.resize(6, '0');
  return std::stoll(whole) * 1000000 + std::stoll(frac);
}

int64_t ParseAssignment(const std::string& text) {
  int64_t id = DecodeId(text);
  if (id <= 0) throw std::runtime_error("not an assignment id: " + text);
  return id;
}

const char* OutcomeText(ChangeOutcome outcome) {
  switch (outcome) {
    case ChangeOutcome::kDone:
      return "done";
    case ChangeOutcome::kNotFound:
      return "no such assignment";
    case ChangeOutcome::kConflict:
      return "not possible in the assignment's state";
  }
  return "?";
}

}  // namespace

sync::ReceiptSigner LoadSigner(ServerStore& store) {
  auto secret = store.GetMeta(kSecretKeyMeta);
  if (!secret) throw std::runtime_error("the database has no receipt key (run manod init)");
  return sync::ReceiptSigner::FromSecretKeyBase64(*secret);
}

int RunInit(const std::string& db) {
  return Guard([&] {
    if (std::ifstream(db).good()) {
      return Fail(db + " exists already; init never overwrites a database (or its keys)");
    }
    SqliteServerStore store(db, /*create=*/true);
    auto signer = sync::ReceiptSigner::Generate();
    store.SetMeta(kSecretKeyMeta, signer.SecretKeyBase64());
    store.SetMeta("schema_version", "1");
    std::printf("manod: created %s (receipt key id %s)\n", db.c_str(), signer.KeyId().c_str());
    return 0;
  });
}

int RunWorkerAdd(const std::string& db, const std::string& name) {
  return Guard([&] {
    if (!sync::IsValidId(name)) {
      return Fail("a worker name is 1..64 characters of A-Z a-z 0-9 . _ : -");
    }
    SqliteServerStore store(db, false);
    std::string token = sync::NewToken();
    if (!store.AddWorker(name, sync::Sha256Hex(token), Now())) {
      return Fail("a worker named " + name + " exists already");
    }
    std::printf("manod: worker %s added; its token follows (shown once, not stored):\n%s\n",
                name.c_str(), token.c_str());
    return 0;
  });
}

int RunWorkerRevoke(const std::string& db, const std::string& name) {
  return Guard([&] {
    SqliteServerStore store(db, false);
    if (!store.RevokeWorker(name)) return Fail("no worker named " + name);
    std::printf("manod: worker %s revoked; its token stops working now\n", name.c_str());
    return 0;
  });
}

int RunWorkerToken(const std::string& db, const std::string& name) {
  return Guard([&] {
    SqliteServerStore store(db, false);
    std::string token = sync::NewToken();
    if (!store.ReplaceWorkerToken(name, sync::Sha256Hex(token))) {
      return Fail("no worker named " + name);
    }
    std::printf(
        "manod: worker %s has a new token; the old one stops working now. The new token "
        "follows (shown once, not stored):\n%s\n",
        name.c_str(), token.c_str());
    return 0;
  });
}

int RunImport(const std::string& db, const std::string& file, const std::string& template_file,
              int64_t max_asset_bytes) {
  return Guard([&] {
    if (max_asset_bytes < 1 || max_asset_bytes > kMaxAssetBytesCeiling) {
      return Fail("--max-asset-bytes must be between 1 and " +
                  std::to_string(kMaxAssetBytesCeiling));
    }
    SqliteServerStore store(db, false);
    TaskImporter importer(store, Now(), max_asset_bytes);
    bool csv = file.size() >= 4 && file.compare(file.size() - 4, 4, ".csv") == 0;
    if (csv && template_file.empty()) return Fail("a CSV import needs --template FILE");
    ImportReport report = template_file.empty() ? importer.ImportJsonl(file)
                                                : importer.ImportCsv(file, template_file);
    std::printf("manod: imported %d tasks (%d already there)\n", report.added, report.skipped);
    return 0;
  });
}

int RunWithdraw(const std::string& db, const std::string& task) {
  return Guard([&] {
    SqliteServerStore store(db, false);
    if (!store.WithdrawTask(task, Now())) return Fail("no task " + task);
    std::printf("manod: task %s withdrawn\n", task.c_str());
    return 0;
  });
}

int RunExport(const std::string& db, const std::string& format, const std::string& out) {
  return Guard([&] {
    SqliteServerStore store(db, false);
    ResultExporter exporter(store);
    std::ofstream file;
    if (!out.empty() && out != "-") {
      file.open(out, std::ios::binary | std::ios::trunc);
      if (!file) return Fail("cannot write " + out);
    }
    std::ostream& sink = file.is_open() ? static_cast<std::ostream&>(file) : std::cout;
    int n = format == "jsonl" ? exporter.WriteJsonl(sink) : exporter.WriteMturkCsv(sink);
    sink.flush();
    if (!sink) return Fail("writing the export failed");
    std::fprintf(stderr, "manod: exported %d results\n", n);
    return 0;
  });
}

int RunReview(const std::string& db, const ReviewArgs& args) {
  return Guard([&] {
    SqliteServerStore store(db, false);
    // A decision is dated by the server's clock (a test moves it with the file it serves by).
    const int64_t now = ServerClock(args.test_clock_file).NowMs();
    int failures = 0;
    auto report = [&](const std::string& what, const std::string& id, ChangeOutcome outcome) {
      if (outcome != ChangeOutcome::kDone) ++failures;
      std::printf("%s %s: %s\n", what.c_str(), id.c_str(), OutcomeText(outcome));
    };
    if (args.list) {
      store.ForEachResult([&](const ExportRow& row) {
        if (row.state != "submitted") return;
        std::printf("%s\t%s\t%s\t%s\t%s\n", EncodeId(row.assignment_id).c_str(),
                    row.task_id.c_str(), row.worker.c_str(), row.status.c_str(),
                    row.answer_json.c_str());
      });
    }
    for (const auto& id : args.approve) {
      report("approve", id, store.Review(ParseAssignment(id), true, args.reason, now));
    }
    if (!args.reject.empty()) {
      if (args.reason.empty()) return Fail("--reject needs --reason TEXT (workers see it)");
      report("reject", args.reject,
             store.Review(ParseAssignment(args.reject), false, args.reason, now));
    }
    if (!args.bonus.empty()) {
      if (args.amount.empty() || args.reason.empty()) {
        return Fail("--bonus needs --amount X and --reason TEXT");
      }
      report("bonus", args.bonus,
             store.Bonus(ParseAssignment(args.bonus), ParseAmount(args.amount), args.reason, now));
    }
    if (!args.revoke.empty()) {
      if (args.reason.empty()) return Fail("--revoke needs --reason TEXT");
      report("revoke", args.revoke,
             store.RevokeLease(ParseAssignment(args.revoke), args.reason, now));
    }
    if (!args.csv.empty()) {
      auto rows = ParseCsv(ReadWholeFile(args.csv));
      for (size_t i = 0; i < rows.size(); ++i) {
        const CsvRow& row = rows[i];
        if (i == 0 && !row.empty() && row[0] == "assignment") continue;  // header
        std::string where = args.csv + " row " + std::to_string(i + 1);
        std::string decision = row.size() > 1 ? row[1] : "";
        std::string reason = row.size() > 2 ? row[2] : "";
        bool approve = decision == "approve" || decision == "approved";
        if (!approve && decision != "reject" && decision != "rejected") {
          std::printf("%s: decision must be approve or reject\n", where.c_str());
          ++failures;
          continue;
        }
        if (!approve && reason.empty()) {
          std::printf("%s: a rejection needs a reason\n", where.c_str());
          ++failures;
          continue;
        }
        int64_t id = DecodeId(row[0]);
        report(approve ? "approve" : "reject", row[0],
               id > 0 ? store.Review(id, approve, reason, now) : ChangeOutcome::kNotFound);
      }
    }
    return failures == 0 ? 0 : 1;
  });
}

}  // namespace mano::manod
