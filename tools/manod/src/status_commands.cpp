#include "status_commands.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "mano/sync/json_util.h"
#include "server_clock.h"
#include "server_store_factory.h"

namespace mano::manod {

namespace {

std::string Utc(int64_t ms) { return ms <= 0 ? "-" : FormatUtc(ms, "%Y-%m-%dT%H:%M:%SZ"); }

void PrintJson(const sync::JsonOut& out) { std::printf("%s\n", out.Take().c_str()); }

// Runs `body`; an exception becomes one line on stderr and exit status 1.
template <class F>
int Guarded(F&& body) {
  try {
    body();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "manod: %s\n", e.what());
    return 1;
  }
}

// "leased":n,"expired":n,... in kCountedStates' order.
void StateFields(sync::JsonOut& out, const StateCounts& counts) {
  for (const auto& [name, counter] : kCountedStates) out.Field(name, counts.*counter);
}

// [{...},...]: one object per row, its members written by `write(row)`.
template <class Row, class Write>
void ObjectsJson(sync::JsonOut& out, const std::vector<Row>& rows, Write&& write) {
  out.StartArray();
  for (const Row& row : rows) {
    out.StartObject();
    write(row);
    out.EndObject();
  }
  out.EndArray();
}

void KindsJson(sync::JsonOut& out, const std::vector<KindCounts>& kinds) {
  out.Key("kinds");
  ObjectsJson(out, kinds, [&](const KindCounts& k) {
    out.Field("kind", k.kind);
    out.Field("tasks", k.tasks);
    out.Field("open", k.open);
    out.Field("withdrawn", k.withdrawn);
    StateFields(out, k);
    out.Field("returned", k.returned);
    out.Field("revoked", k.revoked);
  });
}

void WorkersJson(sync::JsonOut& out, const std::vector<WorkerCounts>& workers) {
  out.Key("workers");
  ObjectsJson(out, workers, [&](const WorkerCounts& w) {
    out.Field("name", w.name);
    out.Field("revoked", w.revoked);
    StateFields(out, w);
  });
}

// The text columns of `manod assignments`, each also a member of its JSON: key, table
// heading, table width (left-aligned), text. The table's last column is the deadline (UTC).
struct Column {
  const char* key;
  const char* heading;
  int width;
  std::string text;
};

std::vector<Column> Columns(const AssignmentView& a) {
  return {{"id", "ID", 8, EncodeId(a.id)},
          {"task", "TASK", 20, a.task_id},
          {"kind", "KIND", 16, a.kind},
          {"worker", "WORKER", 12, a.worker},
          {"state", "STATE", 9, a.state}};
}

// The cells of a row of `manod status`'s tables after its name: each a heading and a value.
using Cells = std::vector<std::pair<std::string, std::string>>;

void AddStateCells(Cells& cells, const StateCounts& counts) {
  for (const auto& [name, counter] : kCountedStates) {
    std::string heading = name;
    for (char& c : heading) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    cells.emplace_back(std::move(heading), std::to_string(counts.*counter));
  }
}

Cells KindCells(const KindCounts& k) {
  Cells cells = {{"TASKS", std::to_string(k.tasks)}, {"OPEN", std::to_string(k.open)}};
  AddStateCells(cells, k);
  cells.emplace_back("RETURNED", std::to_string(k.returned));
  cells.emplace_back("WITHDRAWN", std::to_string(k.withdrawn));
  return cells;
}

Cells WorkerCells(const WorkerCounts& w) {
  Cells cells = {{"TOKEN", w.revoked ? "revoked" : "ok"}};
  AddStateCells(cells, w);
  return cells;
}

// One line of a table: `name` left-aligned in 16 columns, then each cell's value (or, with
// `headings`, its heading) right-aligned in a column as wide as its heading, at least 7.
void PrintLine(const std::string& name, const Cells& cells, bool headings) {
  std::printf("%-16s", name.c_str());
  for (const auto& [heading, value] : cells) {
    const int width = std::max(7, static_cast<int>(heading.size()));
    std::printf(" %*s", width, (headings ? heading : value).c_str());
  }
  std::printf("\n");
}

}  // namespace

int RunStatus(const std::string& db, bool json, const std::string& clock_file) {
  return Guarded([&] {
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
    const int64_t now = ServerClock(clock_file).NowMs();
    const auto kinds = store.CountByKind(now);
    const auto workers = store.CountByWorker(now);
    if (json) {
      sync::JsonOut out;
      out.StartObject();
      out.Field("now", now);
      KindsJson(out, kinds);
      WorkersJson(out, workers);
      out.EndObject();
      PrintJson(out);
      return;
    }
    PrintLine("KIND", KindCells({}), true);
    for (const auto& k : kinds) PrintLine(k.kind, KindCells(k), false);
    std::printf("\n");
    PrintLine("WORKER", WorkerCells({}), true);
    for (const auto& w : workers) PrintLine(w.name, WorkerCells(w), false);
  });
}

int RunAssignments(const std::string& db, const std::string& worker, bool json,
                   const std::string& clock_file) {
  return Guarded([&] {
    auto opened = OpenServerStore(db, false);
    ServerStore& store = *opened;
    const auto rows = store.ListAssignments(worker, ServerClock(clock_file).NowMs());
    if (json) {
      sync::JsonOut out;
      ObjectsJson(out, rows, [&](const AssignmentView& a) {
        for (const auto& c : Columns(a)) out.Field(c.key, c.text);
        out.Field("leased_at", a.leased_at);
        out.Field("deadline", a.deadline);
        out.Field("deadline_utc", Utc(a.deadline));
        if (a.submitted_at > 0) out.Field("submitted_at", a.submitted_at);
      });
      PrintJson(out);
      return;
    }
    for (const auto& c : Columns({})) std::printf("%-*s ", c.width, c.heading);
    std::printf("DEADLINE\n");
    for (const auto& a : rows) {
      for (const auto& c : Columns(a)) std::printf("%-*s ", c.width, c.text.c_str());
      std::printf("%s\n", Utc(a.deadline).c_str());
    }
  });
}

}  // namespace mano::manod
