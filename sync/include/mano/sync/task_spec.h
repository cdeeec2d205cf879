// The project's task import format (docs/PROTOCOL.md, "Task import format"): one JSON object
// per line of a .jsonl file, read by `manod import`.
//
//   {"id":"rel-1","kind":"relevance","form":{...},
//    "assets":[{"name":"image","type":"image/png","path":"assets/cat.png"}
//              | {"name":"clip","type":"audio/wav","data":"<standard base64>"}],
//    "reward":25000,"currency":"USD","assignments":3,
//    "policy":{"late":"accept_if_anchored","renew_on_anchor":true,"lease_ms":1800000}}
//
// Asset paths are relative to the JSONL file (resolving them is the importer's job).
// The MTurk batch layout is a CSV (header row of variable names, one task per row) plus a
// template: the same JSON object with ${name} placeholders inside JSON strings, filled by
// ExpandTemplate. Plain value types; functions are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/form.h"
#include "mano/sync/messages.h"

namespace mano::sync {

struct TaskAsset {
  std::string name;
  std::string type;  // media type
  std::string path;  // relative to the JSONL file; or
  std::string data;  // the bytes themselves (decoded from "data" base64)
  void Write(JsonOut& out) const;
  static TaskAsset Read(const JsonIn& in);  // exactly one of path/data required
};

struct TaskSpec {
  std::string id;  // optional external id (kept for export); empty: the server picks
  std::string kind;
  Form form;
  std::vector<TaskAsset> assets;
  std::int64_t reward = 0;  // micro-units of currency
  std::string currency = "USD";
  std::int64_t assignments = 1;        // how many workers should do it (1..100)
  Policy policy;                       // lease_ms defaults to 3,600,000 when absent
  std::optional<Requester> requester;  // who asked for it, handed out with each assignment
  void Write(JsonOut& out) const;
  // Also checks the form with ValidateForm and that boxes fields name an existing asset;
  // throws SyncError{kBadMessage} naming the member.
  static TaskSpec Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(TaskSpec)
};

// Replaces each ${name} inside `template_json` with vars[name], escaped for a JSON string
// (placeholders belong inside JSON strings). Throws SyncError{kBadMessage} naming the variable
// when it is missing from `vars`, or when a "${" is not closed.
std::string ExpandTemplate(std::string_view template_json,
                           const std::map<std::string, std::string>& vars);

}  // namespace mano::sync
