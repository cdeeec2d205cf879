#include "result_exporter.h"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <map>
#include <set>
#include <variant>
#include <vector>

#include "csv.h"
#include "mano/sync/answer.h"
#include "mano/sync/json_util.h"
#include "server_clock.h"

namespace mano::manod {

namespace {

// MTurk writes times as Java's Date.toString() does, "Fri Jul 19 04:15:03 PDT 2019"; manod
// writes them in UTC: "Sat Nov 28 12:28:07 UTC 2026". 0 (never) is an empty cell.
std::string MturkTime(int64_t ms) {
  return ms <= 0 ? "" : FormatUtc(ms, "%a %b %d %H:%M:%S UTC %Y");
}

std::string ValueText(const sync::AnswerValue& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (size_t i = 0; i < v.size(); ++i) out += (i ? "|" : "") + v[i];
      return out;
    }
    std::string operator()(int64_t n) const { return std::to_string(n); }
    std::string operator()(double d) const {
      sync::JsonOut out;
      out.Number(d);
      return out.Take();
    }
    std::string operator()(const std::vector<sync::Box>& boxes) const {
      sync::Answer one;
      one.Set("b", boxes);
      std::string json = one.ToJson();  // {"b":[...]}
      return json.substr(5, json.size() - 6);
    }
  };
  return std::visit(Visitor{}, value);
}

std::map<std::string, std::string> InputVars(const std::string& input_json) {
  std::map<std::string, std::string> vars;
  sync::JsonDocument doc(input_json);
  const auto& root = doc.Root().value();
  if (!root.IsObject()) return vars;
  for (auto it = root.MemberBegin(); it != root.MemberEnd(); ++it) {
    if (it->value.IsString()) vars[it->name.GetString()] = it->value.GetString();
  }
  return vars;
}

// Approvals among a worker's reviewed results: "NN% (approved/reviewed)", as MTurk writes its
// approval rates.
struct Tally {
  int64_t approved = 0, reviewed = 0;
};

struct ApprovalCounts {
  Tally lifetime, days30, days7;
  void Count(const ExportRow& row, int64_t now) {
    if (row.state != "approved" && row.state != "rejected") return;
    int64_t yes = row.state == "approved";
    auto add = [&](Tally& t) {
      t.approved += yes;
      ++t.reviewed;
    };
    add(lifetime);
    constexpr int64_t kDayMs = 86400000;
    if (row.reviewed_at >= now - 30 * kDayMs) add(days30);
    if (row.reviewed_at >= now - 7 * kDayMs) add(days7);
  }
};

std::string RateText(const Tally& t) {
  int64_t percent = t.reviewed ? t.approved * 100 / t.reviewed : 0;
  return std::to_string(percent) + "% (" + std::to_string(t.approved) + "/" +
         std::to_string(t.reviewed) + ")";
}

// MTurk writes "$0.25"; a reward in micro-units keeps every significant decimal (at least
// two). Other currencies: "0.25 EUR".
std::string RewardText(int64_t micros, const std::string& currency) {
  std::string frac = std::to_string(micros % 1000000);
  frac.insert(0, 6 - frac.size(), '0');
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  std::string amount = std::to_string(micros / 1000000) + "." + frac;
  return currency == "USD" ? "$" + amount : amount + " " + currency;
}

std::string MturkStatus(const std::string& state) {
  if (state == "approved") return "Approved";
  if (state == "rejected") return "Rejected";
  return "Submitted";
}

}  // namespace

int ResultExporter::WriteJsonl(std::ostream& out) {
  int n = 0;
  store_.ForEachResult([&](const ExportRow& row) {
    sync::JsonOut j;
    j.StartObject();
    j.Field("assignment", EncodeId(row.assignment_id));
    j.Field("task", row.task_id);
    j.Field("kind", row.kind);
    j.Field("worker", row.worker);
    j.Field("status", row.status);
    j.Field("state", row.state);
    j.Key("answer");
    j.w().RawValue(row.answer_json.data(), row.answer_json.size(), rapidjson::kObjectType);
    j.Key("input");
    j.w().RawValue(row.input_json.data(), row.input_json.size(), rapidjson::kObjectType);
    j.Field("accept_time", row.leased_at);
    j.Field("submit_time", row.submitted_at);
    j.Field("deadline", row.deadline);
    j.EndObject();
    out << j.Take() << '\n';
    ++n;
  });
  return n;
}

int ResultExporter::WriteMturkCsv(std::ostream& out, int64_t now) {
  struct Line {
    ExportRow row;
    std::map<std::string, std::string> input, answer;
  };
  std::vector<Line> lines;
  std::set<std::string> inputs, answers;
  std::map<std::string, ApprovalCounts> rates;  // per worker
  store_.ForEachResult([&](const ExportRow& row) {
    Line line{row, InputVars(row.input_json), {}};
    sync::Answer answer = sync::Answer::FromJson(row.answer_json);
    for (const auto& [field, value] : answer.values()) {
      line.answer[field] = ValueText(value);
    }
    for (const auto& [k, v] : line.input) inputs.insert(k);
    for (const auto& [k, v] : line.answer) answers.insert(k);
    rates[row.worker].Count(row, now);
    lines.push_back(std::move(line));
  });
  CsvRow header(std::begin(kMturkFixedColumns), std::end(kMturkFixedColumns));
  for (const auto& k : inputs) header.push_back("Input." + k);
  for (const auto& k : answers) header.push_back("Answer." + k);
  header.push_back("Approve");
  header.push_back("Reject");
  out << CsvLine(header);
  for (const auto& line : lines) {
    const ExportRow& e = line.row;
    const bool approved = e.state == "approved", rejected = e.state == "rejected";
    const ApprovalCounts& rate = rates[e.worker];
    // Empty cells: values manod does not have (see tools/manod/README.md, Export).
    CsvRow r = {e.task_id,
                e.kind,
                e.title,
                e.description,
                "",  // Keywords
                RewardText(e.reward, e.currency),
                MturkTime(e.task_created),
                std::to_string(e.max_assignments),
                "",  // RequesterAnnotation
                std::to_string(e.lease_ms / 1000),
                "",  // AutoApprovalDelayInSeconds: manod never approves by itself
                "",  // Expiration
                "",  // NumberOfSimilarHITs
                "",  // LifetimeInSeconds
                EncodeId(e.assignment_id),
                e.worker,
                MturkStatus(e.state),
                MturkTime(e.leased_at),
                MturkTime(e.submitted_at),
                "",  // AutoApprovalTime
                approved && e.reviewed_at ? MturkTime(e.reviewed_at) : "",
                rejected && e.reviewed_at ? MturkTime(e.reviewed_at) : "",
                e.review_reason,
                std::to_string(std::max<int64_t>(0, (e.submitted_at - e.leased_at) / 1000)),
                RateText(rate.lifetime),
                RateText(rate.days30),
                RateText(rate.days7)};
    for (const auto& k : inputs) {
      auto it = line.input.find(k);
      r.push_back(it == line.input.end() ? "" : it->second);
    }
    for (const auto& k : answers) {
      auto it = line.answer.find(k);
      r.push_back(it == line.answer.end() ? "" : it->second);
    }
    r.push_back("");  // Approve: for the requester to mark
    r.push_back("");  // Reject: for the requester's reason
    out << CsvLine(r);
  }
  return static_cast<int>(lines.size());
}

}  // namespace mano::manod
