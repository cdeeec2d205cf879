#include "mano/sync/task_spec.h"

#include "mano/sync/crypto_util.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/validate.h"

namespace mano::sync {

namespace {

constexpr std::int64_t kDefaultLeaseMs = 3600 * 1000;

}  // namespace

void TaskAsset::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("name", name);
  out.Field("type", type);
  if (!path.empty()) {
    out.Field("path", path);
  } else {
    out.Field("data", Base64Encode(data));
  }
  out.EndObject();
}

TaskAsset TaskAsset::Read(const JsonIn& in) {
  TaskAsset a;
  a.name = in.IdOf("name");
  a.type = in.StrOr("type", "application/octet-stream");
  a.path = in.StrOr("path", "");
  auto data = in.OptMember("data");
  if (a.path.empty() == !data.has_value()) in.Fail("give exactly one of path and data");
  if (data) {
    try {
      a.data = Base64Decode(data->String());
    } catch (const SyncError& e) {
      if (e.kind() != SyncErrorKind::kBadMessage || !e.field().empty()) throw;
      data->Fail("malformed base64");
    }
  } else if (a.path.find("..") != std::string::npos || a.path.front() == '/') {
    in.Fail("must be a relative path inside the import folder", "path");
  }
  return a;
}

void TaskSpec::Write(JsonOut& out) const {
  out.Object("id", OmitDefault(id), "kind", kind, "form", form, "assets", OmitDefault(assets),
             "reward", reward, "currency", currency, "assignments", assignments, "policy", policy,
             "requester", requester);
}

TaskSpec TaskSpec::Read(const JsonIn& in) {
  TaskSpec t;
  if (auto id = in.OptMember("id")) t.id = id->Id();
  t.kind = in.IdOf("kind");
  JsonIn form = in.Member("form");
  t.form = Form::Read(form);
  for (const auto& e : ValidateForm(t.form)) form.Fail(e.message, e.field.c_str());
  t.assets = ReadArray<TaskAsset>(in, "assets", kMaxFields, false);
  for (std::size_t i = 0; i < t.form.fields.size(); ++i) {
    const Field& f = t.form.fields[i];
    if (f.asset.empty()) continue;
    bool found = false;
    for (const auto& a : t.assets) found = found || a.name == f.asset;
    if (!found) {
      form.Fail("names an asset the task does not have",
                ("fields[" + std::to_string(i) + "].asset").c_str());
    }
  }
  t.reward = in.IntOr("reward", 0);
  if (t.reward < 0) in.Member("reward").Fail("must not be negative");
  t.currency = in.StrOr("currency", "USD");
  t.assignments = in.IntOr("assignments", 1);
  if (t.assignments < 1 || t.assignments > 100) {
    in.Member("assignments").Fail("must be between 1 and 100");
  }
  if (auto p = in.OptMember("policy")) t.policy = Policy::Read(*p);
  if (t.policy.lease_ms == 0) t.policy.lease_ms = kDefaultLeaseMs;
  if (auto r = in.OptMember("requester")) t.requester = Requester::Read(*r);
  return t;
}

std::string ExpandTemplate(std::string_view tmpl, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(tmpl.size());
  std::size_t i = 0;
  while (i < tmpl.size()) {
    std::size_t open = tmpl.find("${", i);
    if (open == std::string_view::npos) {
      out.append(tmpl.substr(i));
      break;
    }
    out.append(tmpl.substr(i, open - i));
    std::size_t close = tmpl.find('}', open + 2);
    if (close == std::string_view::npos) {
      throw SyncError(SyncErrorKind::kBadMessage,
                      "template: unclosed ${ at byte " + std::to_string(open));
    }
    std::string name(tmpl.substr(open + 2, close - open - 2));
    auto it = vars.find(name);
    if (it == vars.end()) {
      throw SyncError(SyncErrorKind::kBadMessage, "template: no value for variable " + name, name);
    }
    // Escape as the inside of a JSON string: JsonOut writes "..."; drop the quotes.
    JsonOut escaped;
    escaped.String(it->second);
    std::string quoted = escaped.Take();
    out.append(quoted, 1, quoted.size() - 2);
    i = close + 1;
  }
  return out;
}

}  // namespace mano::sync
