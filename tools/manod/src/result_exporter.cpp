#include "result_exporter.h"

#include <ctime>
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

// MTurk writes times like "Sat Nov 28 12:28:07 UTC 2026".
std::string MturkTime(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
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

int ResultExporter::WriteMturkCsv(std::ostream& out) {
  struct Line {
    ExportRow row;
    std::map<std::string, std::string> input, answer;
  };
  std::vector<Line> lines;
  std::set<std::string> inputs, answers;
  store_.ForEachResult([&](const ExportRow& row) {
    Line line{row, InputVars(row.input_json), {}};
    sync::Answer answer = sync::Answer::FromJson(row.answer_json);
    for (const auto& [field, value] : answer.values()) {
      line.answer[field] = ValueText(value);
    }
    for (const auto& [k, v] : line.input) inputs.insert(k);
    for (const auto& [k, v] : line.answer) answers.insert(k);
    lines.push_back(std::move(line));
  });
  CsvRow header = {"HITId",      "HITTypeId", "AssignmentId", "WorkerId", "AssignmentStatus",
                   "AcceptTime", "SubmitTime"};
  for (const auto& k : inputs) header.push_back("Input." + k);
  for (const auto& k : answers) header.push_back("Answer." + k);
  out << CsvLine(header);
  for (const auto& line : lines) {
    CsvRow r = {line.row.task_id,
                line.row.kind,
                EncodeId(line.row.assignment_id),
                line.row.worker,
                MturkStatus(line.row.state),
                MturkTime(line.row.leased_at),
                MturkTime(line.row.submitted_at)};
    for (const auto& k : inputs) {
      auto it = line.input.find(k);
      r.push_back(it == line.input.end() ? "" : it->second);
    }
    for (const auto& k : answers) {
      auto it = line.answer.find(k);
      r.push_back(it == line.answer.end() ? "" : it->second);
    }
    out << CsvLine(r);
  }
  return static_cast<int>(lines.size());
}

}  // namespace mano::manod
