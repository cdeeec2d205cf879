#include "commands.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "csv.h"
#include "file_util.h"
#include "label_studio_exporter.h"
#include "label_studio_importer.h"
#include "mano/storage/enum_names.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/json_util.h"
#include "mano/sync/receipt_signer.h"
#include "result_exporter.h"
#include "review_csv.h"
#include "server_clock.h"
#include "server_store_factory.h"
#include "sqlite_to_pg.h"
#include "task_importer.h"
#include "text_encoding.h"

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

constexpr storage::EnumName<ChangeOutcome> kOutcomeTexts[] = {
    {ChangeOutcome::kDone, "done"},
    {ChangeOutcome::kNotFound, "no such assignment"},
    {ChangeOutcome::kConflict, "not possible in the assignment's state"}};

const char* OutcomeText(ChangeOutcome outcome) {
  return storage::NameOf(kOutcomeTexts, outcome, "?");
}

// `manod review --csv FILE` (review_csv.h): every decision of the file in one transaction, or
// none when a row is refused. Prints the refused rows and a summary line; false on refusal.
bool ReviewCsv(ServerStore& store, const std::string& file, int64_t now) {
  std::map<int64_t, ResultFacts> results;
  store.ForEachResult([&](const ExportRow& row) {
    results[row.assignment_id] = {row.state, row.task_id, row.worker};
  });
  // Reasons go to workers as JSON text: a file saved as Windows-1252 (Excel's plain "CSV") is
  // refused, naming the line, rather than sending them broken bytes.
  const std::string text = ReadWholeFile(file);
  RequireUtf8(text, file);
  CsvReviewPlan plan = PlanCsvReview(ParseCsv(text), results);
  std::vector<ServerStore::ReviewDecision> decisions;
  for (const auto& d : plan.apply) decisions.push_back({d.id, d.approve, d.reason});
  size_t waiting = plan.apply.size();  // decisions not refused themselves
  if (plan.refused.empty() && !decisions.empty()) {
    // A result reviewed by someone else since `results` was read refuses the whole file too.
    auto outcomes = store.ReviewAll(decisions, now);
    for (size_t i = 0; i < outcomes.size(); ++i) {
      if (outcomes[i] == ChangeOutcome::kDone) continue;
      --waiting;
      plan.refused.push_back("row " + std::to_string(plan.apply[i].row) + ": assignment " +
                             plan.apply[i].id_text + ": " + OutcomeText(outcomes[i]));
    }
  }
  for (const auto& why : plan.refused) std::printf("%s: %s\n", file.c_str(), why.c_str());
  auto count = [](size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  const std::string left = std::to_string(plan.skipped) + " already decided the same way, " +
                           std::to_string(plan.undecided) + " without a mark";
  if (!plan.refused.empty()) {
    std::printf("manod: applied nothing: %s refused, so %s not applied either; %s\n",
                count(plan.refused.size(), "row", "rows").c_str(),
                count(waiting, "other decision was", "other decisions were").c_str(), left.c_str());
    return false;
  }
  int approved = 0;
  for (const auto& d : plan.apply) approved += d.approve;
  std::printf("manod: applied %s (%d approved, %zu rejected); %s\n",
              count(plan.apply.size(), "decision", "decisions").c_str(), approved,
              plan.apply.size() - static_cast<size_t>(approved), left.c_str());
  return true;
}

}  // namespace

sync::ReceiptSigner LoadSigner(ServerStore& store) {
  auto secret = store.GetMeta(kSecretKeyMeta);
  if (!secret) throw std::runtime_error("the database has no receipt key (run manod init)");
  return sync::ReceiptSigner::FromSecretKeyBase64(*secret);
}

int RunInit(const std::string& db) {
  return Guard([&] {
    if (ServerStoreExists(db)) {
      return Fail(db + " exists already; init never overwrites a database (or its keys)");
    }
    auto opened = OpenServerStore(db, /*create=*/true);
    ServerStore& store = *opened;
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
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
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
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
    if (!store.RevokeWorker(name)) return Fail("no worker named " + name);
    std::printf("manod: worker %s revoked; its token stops working now\n", name.c_str());
    return 0;
  });
}

int RunWorkerToken(const std::string& db, const std::string& name) {
  return Guard([&] {
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
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

// Checks the asset limit, opens the store and runs `import` with an importer on it; prints
// what it added.
template <class Import>
int ImportTasks(const std::string& db, int64_t max_asset_bytes, Import&& import) {
  if (max_asset_bytes < 1 || max_asset_bytes > kMaxAssetBytesCeiling) {
    return Fail("--max-asset-bytes must be between 1 and " + std::to_string(kMaxAssetBytesCeiling));
  }
  auto opened = OpenServerStore(db, false);
  TaskImporter importer(*opened, Now(), max_asset_bytes);
  ImportReport report = import(importer);
  std::printf("manod: imported %d tasks (%d already there)\n", report.added, report.skipped);
  return 0;
}

int RunImport(const std::string& db, const std::string& file, const std::string& template_file,
              int64_t max_asset_bytes) {
  return Guard([&] {
    bool csv = file.size() >= 4 && file.compare(file.size() - 4, 4, ".csv") == 0;
    if (csv && template_file.empty()) return Fail("a CSV import needs --template FILE");
    return ImportTasks(db, max_asset_bytes, [&](TaskImporter& importer) {
      return template_file.empty() ? importer.ImportJsonl(file)
                                   : importer.ImportCsv(file, template_file);
    });
  });
}

int RunImportLabelStudio(const std::string& db, const std::string& file, const std::string& config,
                         const std::string& template_file, int64_t max_asset_bytes) {
  return Guard([&] {
    if (config.empty())
      return Fail("a Label Studio import needs --config FILE (the labelling config)");
    return ImportTasks(db, max_asset_bytes, [&](TaskImporter& importer) {
      return LabelStudioImporter(importer).Import(file, config, template_file);
    });
  });
}

int RunWithdraw(const std::string& db, const std::string& task) {
  return Guard([&] {
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
    if (!store.WithdrawTask(task, Now())) return Fail("no task " + task);
    std::printf("manod: task %s withdrawn\n", task.c_str());
    return 0;
  });
}

int RunExport(const std::string& db, const std::string& format, const std::string& out) {
  return Guard([&] {
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
    ResultExporter exporter(store);
    std::ofstream file;
    if (!out.empty() && out != "-") {
      file.open(out, std::ios::binary | std::ios::trunc);
      if (!file) return Fail("cannot write " + out);
    }
    std::ostream& sink = file.is_open() ? static_cast<std::ostream&>(file) : std::cout;
    int n = 0, left_out = 0;
    if (format == "label-studio") {
      n = LabelStudioExporter(store).Write(sink, &left_out);
    } else {
      n = format == "jsonl" ? exporter.WriteJsonl(sink) : exporter.WriteMturkCsv(sink, Now());
    }
    if (left_out > 0) {
      std::fprintf(stderr, "manod: left out %d results of tasks not imported from Label Studio\n",
                   left_out);
    }
    sink.flush();
    if (!sink) return Fail("writing the export failed");
    std::fprintf(stderr, "manod: exported %d results\n", n);
    return 0;
  });
}

int RunMigrate(const std::string& from, const std::string& to) {
  return Guard([&] {
    MigrateReport report = MigrateSqliteToPostgres(from, to);
    std::printf(
        "manod: copied %lld workers, %lld tasks, %lld assignments, %lld results, %lld "
        "dictionaries\n",
        static_cast<long long>(report.workers), static_cast<long long>(report.tasks),
        static_cast<long long>(report.assignments), static_cast<long long>(report.results),
        static_cast<long long>(report.dictionaries));
    return 0;
  });
}

int RunReview(const std::string& db, const ReviewArgs& args) {
  return Guard([&] {
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
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
      if (!ReviewCsv(store, args.csv, now)) ++failures;
    }
    return failures == 0 ? 0 : 1;
  });
}

}  // namespace mano::manod
