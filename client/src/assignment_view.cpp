#include "mano/client/assignment_view.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

#include "mano/client/cli_context.h"
#include "mano/client/field_value.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/money.h"
#include "mano/client/state_text.h"
#include "mano/client/sync_text.h"
#include "mano/client/terminal_text.h"
#include "mano/client/text_table.h"
#include "mano/client/time_format.h"
#include "mano/client/utf8.h"
#include "mano/sync/result_builder.h"

namespace mano::client {
namespace {

// The server's assignment, or an empty one when the payload cannot be read (the list must
// still show the row).
sync::Assignment ServerView(const storage::Assignment& a) {
  try {
    return sync::ServerAssignmentOf(a);
  } catch (const std::exception&) {
    return {};
  }
}

// Time left only while a lease runs: a returned, expired or judged task has none.
std::string LeftText(storage::AssignmentState state, std::optional<int64_t> left) {
  if (!StateHasTimeLeft(storage::ToString(state))) return "-";
  if (!left) return "?";
  if (*left <= 0) return Tr("passed");
  return FormatDuration(*left);
}

// The listing row of an assignment already read in full (`mano show`).
storage::AssignmentSummary SummaryOf(storage::Store& store, const storage::Assignment& a,
                                     const sync::Assignment& server) {
  storage::AssignmentSummary row;
  row.id = a.id;
  row.account = a.account;
  row.server_id = a.server_id;
  row.task_id = a.task_id;
  row.kind = a.kind;
  row.title = server.form.title;
  row.state = a.state;
  row.state_reason = a.state_reason;
  row.deadline_server_ms = a.deadline_server_ms;
  row.remaining_ms = RemainingMs(store, a);
  row.reward_micros = a.reward_micros;
  row.currency = a.currency;
  return row;
}

void WriteField(sync::JsonOut& out, const sync::Field& f) {
  using sync::FieldType;
  out.StartObject();
  out.Field("name", f.name);
  out.Field("type", sync::FieldTypeName(f.type));
  out.Field("label", f.label);
  out.Field("required", f.required);
  if (!f.hint.empty()) out.Field("hint", f.hint);
  if (f.type == FieldType::kSingle || f.type == FieldType::kMulti) {
    out.Key("options");
    out.StartArray();
    for (const auto& o : f.options) {
      out.StartObject();
      out.Field("value", o.value);
      out.Field("label", o.label.empty() ? o.value : o.label);
      out.EndObject();
    }
    out.EndArray();
  }
  if (f.min) {
    out.Key("min");
    out.Number(*f.min);
  }
  if (f.max) {
    out.Key("max");
    out.Number(*f.max);
  }
  if (f.type == FieldType::kText) out.Field("max_length", f.max_length.value_or(0));
  if (f.type == FieldType::kBoxes) {
    out.Field("asset", f.asset);
    out.Field("width", f.width);
    out.Field("height", f.height);
    out.Key("labels");
    out.StartArray();
    for (const auto& l : f.labels) out.String(l);
    out.EndArray();
  }
  out.EndObject();
}

std::string FieldConstraints(const sync::Field& f) {
  using sync::FieldType;
  auto num = [](double d) {
    return d == std::floor(d) ? std::to_string(static_cast<long long>(d)) : std::to_string(d);
  };
  std::string out = FieldTypeText(f.type);
  if (f.required) out += ", " + std::string(Tr("required"));
  if ((f.type == FieldType::kScale || f.type == FieldType::kNumber) && (f.min || f.max))
    out += ", " + (f.min ? num(*f.min) : "") + ".." + (f.max ? num(*f.max) : "");
  if (f.type == FieldType::kText && f.max_length)
    out += ", " + TrFormat("at most {0} characters", {std::to_string(*f.max_length)});
  if (f.type == FieldType::kBoxes)
    out += ", " + std::to_string(f.width) + "x" + std::to_string(f.height);
  return out;
}

}  // namespace

void WriteAssignmentSummary(sync::JsonOut& out, const storage::AssignmentSummary& a) {
  out.Field("id", std::to_string(a.id));
  out.Field("server_id", a.server_id);
  out.Field("account", a.account);
  out.Field("kind", a.kind);
  const std::string_view state = storage::ToString(a.state);
  out.Field("state", std::string(state));
  out.Field("state_reason", a.state_reason);
  out.Field("deadline", FormatRfc3339(a.deadline_server_ms));
  out.Field("deadline_ms", a.deadline_server_ms);
  if (a.remaining_ms && StateHasTimeLeft(state)) out.Field("remaining_ms", *a.remaining_ms);
  out.Field("reward", ledger::FormatAmount(a.reward_micros, a.currency));
  out.Field("reward_micros", a.reward_micros);
  out.Field("currency", a.currency);
  out.Field("title", a.title);
  out.Field("task", a.task_id);
}

namespace {

TextTable ListTable() {
  using Col = TextTable::Column;
  return TextTable({Col{Tr("ID"), TextTable::Align::kRight},
                    Col{Tr("ACCOUNT"), TextTable::Align::kLeft, true, 6},
                    Col{Tr("KIND"), TextTable::Align::kLeft, true, 10},
                    Col{Tr("STATE"), TextTable::Align::kLeft, true, 8}, Col{Tr("LEFT")},
                    Col{Tr("REWARD"), TextTable::Align::kRight},
                    Col{Tr("TITLE"), TextTable::Align::kLeft, true, 5}});
}

std::vector<std::string> ListCells(const storage::AssignmentSummary& a) {
  return {std::to_string(a.id),
          a.account,
          KindText(a.kind),
          StateName(storage::ToString(a.state)),
          LeftText(a.state, a.remaining_ms),
          ledger::FormatAmount(a.reward_micros, a.currency) + " " + a.currency,
          a.title};
}

// One row's cells packed into one string, a unit separator between them (one inside a
// cell, which no terminal shows anyway, becomes a space): a fraction of the memory of
// separate strings while 10,000 rows wait for the column widths.
constexpr char kCellSeparator = '\x1f';

std::string Pack(const std::vector<std::string>& cells) {
  std::string packed;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) packed += kCellSeparator;
    packed += cells[i];
    std::replace(packed.end() - static_cast<std::ptrdiff_t>(cells[i].size()), packed.end(),
                 kCellSeparator, ' ');
  }
  return packed;
}

std::vector<std::string> Unpack(const std::string& packed) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (size_t end; (end = packed.find(kCellSeparator, start)) != std::string::npos; start = end + 1)
    cells.push_back(packed.substr(start, end - start));
  cells.push_back(packed.substr(start));
  return cells;
}

}  // namespace

std::string AssignmentTable(const std::vector<storage::AssignmentSummary>& list) {
  TextTable table = ListTable();
  for (const auto& a : list) table.AddRow(ListCells(a));
  return table.Render(80);
}

int64_t WriteAssignmentList(std::ostream& out, storage::Store& store, bool json) {
  storage::ListingQuery all;  // by id, with titles
  if (json) {
    out << '[';
    int64_t n = store.ForEachAssignmentSummary(all, [&out, first = true](const auto& a) mutable {
      sync::JsonOut item;
      item.StartObject();
      WriteAssignmentSummary(item, a);
      item.EndObject();
      if (!first) out << ',';
      first = false;
      out << JsonForTerminal(item.Take());
    });
    out << "]\n";
    return n;
  }
  // The column widths depend on every row: measure while reading, print afterwards.
  TextTable table = ListTable();
  std::vector<std::string> packed;
  int64_t n = store.ForEachAssignmentSummary(all, [&](const auto& a) {
    std::vector<std::string> cells = ListCells(a);
    table.Measure(cells);
    packed.push_back(Pack(cells));
  });
  if (n == 0) return 0;
  out << table.RenderHeader(80);
  for (const auto& row : packed) out << table.RenderRow(Unpack(row));
  return n;
}

std::string AssignmentDetailJson(storage::Store& store, const storage::Assignment& a) {
  sync::Assignment server = ServerView(a);
  sync::Answer draft = DraftOf(store, a.id);
  sync::JsonOut out;
  out.StartObject();
  WriteAssignmentSummary(out, SummaryOf(store, a, server));
  out.Field("instructions", server.form.instructions);
  out.Key("show");
  out.StartArray();
  for (const auto& item : server.form.show) {
    out.StartObject();
    out.Field("type", sync::ShowTypeName(item.type));
    out.Field("label", item.label);
    out.Field("value", item.value);
    out.EndObject();
  }
  out.EndArray();
  out.Key("fields");
  out.StartArray();
  for (const auto& f : server.form.fields) WriteField(out, f);
  out.EndArray();
  out.Key("draft");
  draft.Write(out);  // the wire form, so it can be fed back to `mano answer --json`
  out.Field("draft_version", DraftVersion(store, a.id));
  out.Key("assets");
  out.StartArray();
  for (const auto& asset : server.assets) {
    out.StartObject();
    out.Field("name", asset.name);
    out.Field("hash", asset.hash);
    out.Field("size", asset.size);
    out.Field("type", asset.type);
    auto local = store.GetAsset(asset.hash);
    out.Field("path", local && local->complete() ? local->path : std::string());
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  return out.Take();
}

namespace {

// `mano show` fits an 80-column terminal, whatever the task holds.
constexpr int kTextWidth = 80;

// Every line of `text` fitted to `width` terminal cells: a long line (options, a path, the
// server's instructions) wraps at spaces, or inside a word too long for a line, and its
// continuation lines are indented two cells more than the line itself.
std::string WrapLines(const std::string& text, int width) {
  std::string out;
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (DisplayWidth(line) <= width) {
      out += line + "\n";
      continue;
    }
    const size_t indent = std::min<size_t>(line.find_first_not_of(' '), 40);
    const std::string pad(indent + 2, ' ');
    bool first = true;
    for (const auto& part : WrapText(line.substr(indent), width - static_cast<int>(pad.size()))) {
      out += (first ? std::string(indent, ' ') : pad) + part + "\n";
      first = false;
    }
  }
  return out;
}

// The lines of `mano show`, before they are fitted to the screen.
std::string AssignmentDetailLines(storage::Store& store, const storage::Assignment& a) {
  sync::Assignment server = ServerView(a);
  sync::Answer draft = DraftOf(store, a.id);
  // Every text from the server is cleaned for the terminal; only instructions and the
  // values of text items and text fields may span lines.
  auto line = [](const std::string& text) { return TerminalSafe(text, LineBreaks::kFlatten); };
  auto lines = [](const std::string& text) { return TerminalSafe(text, LineBreaks::kKeep); };
  std::string out;
  out += TrFormat("Assignment {0} ({1}, account {2}): {3}",
                  {std::to_string(a.id), line(a.kind), line(a.account), line(server.form.title)}) +
         "\n";
  if (server.requester) {
    const auto& r = *server.requester;
    out += TrFormat("Requester: {0}", {line(r.name.empty() ? r.id : r.name + " (" + r.id + ")")}) +
           "\n";
  }
  const std::string_view state = storage::ToString(a.state);
  if (StateHasTimeLeft(state)) {
    out += TrFormat("State: {0}. Deadline: {1} (left: {2}). Reward: {3} {4}.",
                    {StateName(state), FormatLocalTime(a.deadline_server_ms),
                     LeftText(a.state, RemainingMs(store, a)),
                     ledger::FormatAmount(a.reward_micros, a.currency), line(a.currency)}) +
           "\n";
  } else {
    out += TrFormat("State: {0}. Deadline: {1}. Reward: {2} {3}.",
                    {StateName(state), FormatLocalTime(a.deadline_server_ms),
                     ledger::FormatAmount(a.reward_micros, a.currency), line(a.currency)}) +
           "\n";
  }
  // What the state means, then the server's or requester's own words, in full (wrapped to
  // the screen with the rest of `mano show`).
  out += StateExplanation(state) + "\n";
  if (!a.state_reason.empty())
    out += "  " + TrFormat("Reason given: {0}", {lines(StateReasonText(a.state_reason))}) + "\n";
  if (!server.form.instructions.empty()) out += "\n" + lines(server.form.instructions) + "\n";
  if (!server.form.show.empty()) out += "\n";
  for (const auto& item : server.form.show) {
    std::string value = item.type == sync::ShowType::kText ? lines(item.value) : line(item.value);
    if (item.type == sync::ShowType::kAsset) {
      for (const auto& asset : server.assets) {
        if (asset.name != item.value) continue;
        auto local = store.GetAsset(asset.hash);
        value = line(
            asset.name + " (" + asset.type + ", " + std::to_string(asset.size) + " B): " +
            (local && local->complete() ? local->path : std::string(Tr("not downloaded yet"))));
      }
    }
    out += "  " + (item.label.empty() ? std::string() : line(item.label) + ": ") + value + "\n";
  }
  out += "\n" + std::string(Tr("Fields (mano answer ID --set FIELD=VALUE):")) + "\n";
  for (const auto& f : server.form.fields) {
    out += "  " + line(f.name) + " (" + FieldConstraints(f) + ")";
    if (!f.label.empty()) out += "  " + line(f.label);
    out += "\n";
    if (!f.options.empty()) {
      out += "      " + std::string(Tr("options:"));
      for (const auto& o : f.options)
        out += " " + line(o.value) +
               (o.label.empty() || o.label == o.value ? "" : " (" + line(o.label) + ")");
      out += "\n";
    }
    if (!f.labels.empty()) {
      out += "      " + std::string(Tr("labels:"));
      for (const auto& l : f.labels) out += " " + line(l);
      out += "\n";
    }
    const sync::AnswerValue* v = draft.Get(f.name);
    const std::string value = v ? FormatFieldValue(*v) : std::string(Tr("(empty)"));
    out += "      = " + (f.type == sync::FieldType::kText ? lines(value) : line(value)) + "\n";
  }
  return out;
}

}  // namespace

std::string AssignmentDetailText(storage::Store& store, const storage::Assignment& a) {
  return WrapLines(AssignmentDetailLines(store, a), kTextWidth);
}

}  // namespace mano::client
