#include "label_studio_exporter.h"

#include <cstdio>
#include <map>
#include <optional>
#include <variant>
#include <vector>

#include "mano/sync/answer.h"
#include "mano/sync/json_util.h"
#include "server_clock.h"

namespace mano::manod {

namespace {

// Label Studio's times: "2026-12-02T05:45:03.123Z".
std::string IsoTime(int64_t ms) {
  char out[8];
  std::snprintf(out, sizeof out, ".%03dZ", static_cast<int>(ms % 1000));
  return FormatUtc(ms, "%Y-%m-%dT%H:%M:%S") + out;
}

struct Control {
  std::string from_name, to_name, type;
  int64_t width = 0, height = 0;
};

struct Task {
  std::string id_json;    // Label Studio's id as JSON, or empty
  std::string data_json;  // the data as imported
  std::vector<std::string> annotations;
};

// The task's Label Studio input, or nullopt for a task imported otherwise.
std::optional<Task> ReadInput(const std::string& input_json, std::vector<Control>* controls) {
  sync::JsonDocument doc(input_json);
  sync::JsonIn root = doc.Root();
  if (!root.IsObject() || !root.Has("label_studio")) return std::nullopt;
  sync::JsonIn ls = root.Member("label_studio");
  Task task;
  if (ls.Has("id")) {
    sync::JsonOut id;
    ls.Member("id").value().Accept(id.w());
    task.id_json = id.Take();
  }
  // The data: the input's other members, in their order.
  sync::JsonOut data;
  data.StartObject();
  for (auto m = root.value().MemberBegin(); m != root.value().MemberEnd(); ++m) {
    std::string_view name(m->name.GetString(), m->name.GetStringLength());
    if (name == "label_studio") continue;
    data.Key(name);
    m->value.Accept(data.w());
  }
  data.EndObject();
  task.data_json = data.Take();
  sync::JsonIn list = ls.Member("controls");
  for (size_t i = 0; i < list.Size(); ++i) {
    sync::JsonIn c = list.At(i);
    controls->push_back({c.Str("from_name"), c.Str("to_name"), c.Str("type"),
                         c.IntOr("original_width", 0), c.IntOr("original_height", 0)});
  }
  return task;
}

// Writes the result items of one answer value, numbering them from *n.
void WriteItems(sync::JsonOut& j, const Control& c, const sync::AnswerValue& value,
                const std::string& assignment, int* n) {
  auto start = [&](bool rect) {
    j.StartObject();
    j.Field("id", assignment + "-" + std::to_string(++*n));
    j.Field("from_name", c.from_name);
    j.Field("to_name", c.to_name);
    j.Field("type", c.type);
    j.Field("origin", "manual");
    if (rect) {
      j.Field("original_width", c.width);
      j.Field("original_height", c.height);
      j.Field("image_rotation", 0);
    }
    j.Key("value");
    j.StartObject();
  };
  auto end = [&] {
    j.EndObject();
    j.EndObject();
  };
  auto strings = [&](const char* key, const std::vector<std::string>& list) {
    j.Key(key);
    j.StartArray();
    for (const auto& s : list) j.String(s);
    j.EndArray();
  };
  if (c.type == "choices") {
    if (auto* one = std::get_if<std::string>(&value)) {
      start(false);
      strings("choices", {*one});
      end();
    } else if (auto* many = std::get_if<std::vector<std::string>>(&value)) {
      start(false);
      strings("choices", *many);
      end();
    }
  } else if (c.type == "rating") {
    if (auto* v = std::get_if<int64_t>(&value)) {
      start(false);
      j.Field("rating", *v);
      end();
    }
  } else if (c.type == "textarea") {
    if (auto* v = std::get_if<std::string>(&value)) {
      start(false);
      strings("text", {*v});
      end();
    }
  } else if (c.type == "number") {
    auto* whole = std::get_if<int64_t>(&value);
    auto* real = std::get_if<double>(&value);
    if (whole || real) {
      start(false);
      j.Key("number");
      j.Number(whole ? static_cast<double>(*whole) : *real);
      end();
    }
  } else if (c.type == "rectanglelabels" && c.width > 0 && c.height > 0) {
    if (auto* boxes = std::get_if<std::vector<sync::Box>>(&value)) {
      for (const auto& b : *boxes) {
        start(true);
        // Percent of the image, as Label Studio stores every region.
        j.Key("x");
        j.Number(static_cast<double>(b.x) * 100.0 / static_cast<double>(c.width));
        j.Key("y");
        j.Number(static_cast<double>(b.y) * 100.0 / static_cast<double>(c.height));
        j.Key("width");
        j.Number(static_cast<double>(b.w) * 100.0 / static_cast<double>(c.width));
        j.Key("height");
        j.Number(static_cast<double>(b.h) * 100.0 / static_cast<double>(c.height));
        j.Field("rotation", 0);
        strings("rectanglelabels",
                b.label.empty() ? std::vector<std::string>{} : std::vector<std::string>{b.label});
        end();
      }
    }
  }
}

}  // namespace

int LabelStudioExporter::Write(std::ostream& out, int* left_out) {
  std::vector<std::string> order;  // task ids, first seen first
  std::map<std::string, std::optional<Task>> tasks;
  std::map<std::string, std::vector<Control>> controls;
  int written = 0;
  *left_out = 0;
  store_.ForEachResult([&](const ExportRow& row) {
    auto it = tasks.find(row.task_id);
    if (it == tasks.end()) {
      it = tasks.emplace(row.task_id, ReadInput(row.input_json, &controls[row.task_id])).first;
      if (it->second) order.push_back(row.task_id);
    }
    if (!it->second) {
      ++*left_out;
      return;
    }
    const std::string assignment = EncodeId(row.assignment_id);
    sync::Answer answer = sync::Answer::FromJson(row.answer_json);
    sync::JsonOut j;
    j.StartObject();
    j.Field("id", row.assignment_id);
    j.Key("result");
    j.StartArray();
    int n = 0;
    for (const auto& c : controls[row.task_id]) {
      if (const auto* value = answer.Get(c.from_name)) WriteItems(j, c, *value, assignment, &n);
    }
    j.EndArray();
    j.Field("was_cancelled", false);
    j.Field("ground_truth", false);
    j.Field("created_at", IsoTime(row.submitted_at));
    j.Field("updated_at", IsoTime(row.submitted_at));
    j.Key("lead_time");
    j.Number(static_cast<double>(row.submitted_at - row.leased_at) / 1000.0);
    j.Key("mano");
    j.StartObject();
    j.Field("assignment", assignment);
    j.Field("worker", row.worker);
    j.Field("state", row.state);
    j.Field("status", row.status);
    j.EndObject();
    j.EndObject();
    it->second->annotations.push_back(j.Take());
    ++written;
  });
  out << "[";
  for (size_t i = 0; i < order.size(); ++i) {
    const Task& t = *tasks[order[i]];
    out << (i ? ",\n" : "\n") << "{";
    if (!t.id_json.empty()) out << "\"id\":" << t.id_json << ",";
    out << "\"data\":" << t.data_json << ",\"annotations\":[";
    for (size_t a = 0; a < t.annotations.size(); ++a) out << (a ? "," : "") << t.annotations[a];
    out << "],\"predictions\":[]}";
  }
  out << "\n]\n";
  return written;
}

}  // namespace mano::manod
