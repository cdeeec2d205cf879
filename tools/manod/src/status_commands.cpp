#include "status_commands.h"

#include <cstdio>
#include <ctime>
#include <exception>
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

void KindsJson(sync::JsonOut& out, const std::vector<KindCounts>& kinds) {
  out.Key("kinds");
  out.StartArray();
  for (const auto& k : kinds) {
    out.StartObject();
    out.Field("kind", k.kind);
    out.Field("tasks", k.tasks);
    out.Field("open", k.open);
    out.Field("withdrawn", k.withdrawn);
    out.Field("leased", k.leased);
    out.Field("expired", k.expired);
    out.Field("submitted", k.submitted);
    out.Field("approved", k.approved);
    out.Field("rejected", k.rejected);
    out.Field("returned", k.returned);
    out.Field("revoked", k.revoked);
    out.EndObject();
  }
  out.EndArray();
}

void WorkersJson(sync::JsonOut& out, const std::vector<WorkerCounts>& workers) {
  out.Key("workers");
  out.StartArray();
  for (const auto& w : workers) {
    out.StartObject();
    out.Field("name", w.name);
    out.Field("revoked", w.revoked);
    out.Field("leased", w.leased);
    out.Field("expired", w.expired);
    out.Field("submitted", w.submitted);
    out.Field("approved", w.approved);
    out.Field("rejected", w.rejected);
    out.EndObject();
  }
  out.EndArray();
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
    std::printf("%-16s %7s %7s %7s %7s %9s %8s %8s %8s %9s\n", "KIND", "TASKS", "OPEN", "LEASED",
                "EXPIRED", "SUBMITTED", "APPROVED", "REJECTED", "RETURNED", "WITHDRAWN");
    for (const auto& k : kinds) {
      std::printf("%-16s %7lld %7lld %7lld %7lld %9lld %8lld %8lld %8lld %9lld\n", k.kind.c_str(),
                  static_cast<long long>(k.tasks), static_cast<long long>(k.open),
                  static_cast<long long>(k.leased), static_cast<long long>(k.expired),
                  static_cast<long long>(k.submitted), static_cast<long long>(k.approved),
                  static_cast<long long>(k.rejected), static_cast<long long>(k.returned),
                  static_cast<long long>(k.withdrawn));
    }
    std::printf("\n%-16s %7s %7s %7s %9s %8s %8s\n", "WORKER", "TOKEN", "LEASED", "EXPIRED",
                "SUBMITTED", "APPROVED", "REJECTED");
    for (const auto& w : workers) {
      std::printf("%-16s %7s %7lld %7lld %9lld %8lld %8lld\n", w.name.c_str(),
                  w.revoked ? "revoked" : "ok", static_cast<long long>(w.leased),
                  static_cast<long long>(w.expired), static_cast<long long>(w.submitted),
                  static_cast<long long>(w.approved), static_cast<long long>(w.rejected));
    }
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
      out.StartArray();
      for (const auto& a : rows) {
        out.StartObject();
        out.Field("id", EncodeId(a.id));
        out.Field("task", a.task_id);
        out.Field("kind", a.kind);
        out.Field("worker", a.worker);
        out.Field("state", a.state);
        out.Field("leased_at", a.leased_at);
        out.Field("deadline", a.deadline);
        out.Field("deadline_utc", Utc(a.deadline));
        if (a.submitted_at > 0) out.Field("submitted_at", a.submitted_at);
        out.EndObject();
      }
      out.EndArray();
      PrintJson(out);
      return;
    }
    std::printf("%-8s %-20s %-16s %-12s %-9s %s\n", "ID", "TASK", "KIND", "WORKER", "STATE",
                "DEADLINE");
    for (const auto& a : rows) {
      std::printf("%-8s %-20s %-16s %-12s %-9s %s\n", EncodeId(a.id).c_str(), a.task_id.c_str(),
                  a.kind.c_str(), a.worker.c_str(), a.state.c_str(), Utc(a.deadline).c_str());
    }
  });
}

}  // namespace mano::manod
