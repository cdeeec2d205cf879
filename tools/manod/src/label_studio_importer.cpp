#include "label_studio_importer.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "file_util.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/json_util.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/task_spec.h"

namespace mano::manod {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxJsonDepth = 64;
// The member of a task's input that holds the Label Studio id and controls (beside the data).
constexpr const char* kInputKey = "label_studio";
constexpr size_t kImageHeadBytes = 1 << 20;  // enough for a JPEG's size after its EXIF

struct Size {
  int64_t width = 0, height = 0;
};

uint32_t Be(std::string_view b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The size in pixels of a PNG, JPEG or GIF image from its first bytes; nullopt otherwise.
std::optional<Size> ImageSize(std::string_view b) {
  if (b.size() >= 24 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8) &&
      b.substr(12, 4) == "IHDR") {
    return Size{Be(b, 16, 4), Be(b, 20, 4)};
  }
  if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
    auto le = [&](size_t at) {
      return static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8);
    };
    return Size{le(6), le(8)};
  }
  if (b.size() >= 4 && Be(b, 0, 2) == 0xFFD8) {
    size_t i = 2;
    while (i + 4 <= b.size()) {
      if (static_cast<unsigned char>(b[i]) != 0xFF) return std::nullopt;
      unsigned m = static_cast<unsigned char>(b[i + 1]);
      if (m == 0xFF) {  // fill byte
        ++i;
        continue;
      }
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
        i += 2;
        continue;
      }
      if (m == 0xD9 || m == 0xDA) return std::nullopt;  // no frame header before the data
      size_t len = Be(b, i + 2, 2);
      bool frame = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
      if (frame && i + 9 <= b.size()) return Size{Be(b, i + 7, 2), Be(b, i + 5, 2)};
      i += 2 + len;
    }
  }
  return std::nullopt;
}

std::string MediaType(const std::string& path, const std::string& tag) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<const char*, const char*> types[] = {
      {".png", "image/png"},   {".jpg", "image/jpeg"},  {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},   {".webp", "image/webp"}, {".wav", "audio/wav"},
      {".mp3", "audio/mpeg"},  {".ogg", "audio/ogg"},   {".opus", "audio/ogg"},
      {".flac", "audio/flac"}, {".m4a", "audio/mp4"},   {".webm", "audio/webm"}};
  for (const auto& [e, type] : types) {
    if (ext == e) return type;
  }
  return tag == "Image" ? "image/octet-stream" : "audio/octet-stream";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = 0, lo = 0;
    if (s[i] == '%' && i + 2 < s.size() && (hi = HexDigit(s[i + 1])) >= 0 &&
        (lo = HexDigit(s[i + 2])) >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// HyperText is shown as text: tags dropped, the common entities decoded, spaces folded.
std::string PlainText(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == '<') {
      in_tag = true;
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if (c == '&') {
      static const std::pair<const char*, const char*> entities[] = {
          {"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
          {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}};
      bool done = false;
      for (const auto& [e, text] : entities) {
        if (html.substr(i, std::string_view(e).size()) == e) {
          out += text;
          i += std::string_view(e).size() - 1;
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// The value of a data variable as text (numbers and booleans as JSON writes them).
std::string ValueText(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : Compact(v);
}

int LineAt(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

const char* ResultType(const std::string& tag) {
  if (tag == "Choices") return "choices";
  if (tag == "Rating") return "rating";
  if (tag == "TextArea") return "textarea";
  if (tag == "Number") return "number";
  return "rectanglelabels";
}

// What the template may give: the task members a Label Studio export has no place for.
struct Defaults {
  std::string kind;
  std::string instructions;
  std::string title;    // when the config has no title Header
  sync::TaskSpec spec;  // reward, currency, assignments, policy
};

Defaults ReadTemplate(const std::string& path) {
  Defaults d;
  if (path.empty()) return d;
  try {
    sync::JsonDocument doc(ReadWholeFile(path));
    sync::JsonIn in = doc.Root();
    if (!in.IsObject()) in.Fail("must be a JSON object");
    for (const char* no : {"id", "form", "assets"}) {
      if (in.Has(no)) {
        in.Fail(std::string("has no place in a Label Studio template (the form and assets come "
                            "from --config and the tasks file; ids from the tasks)"),
                no);
      }
    }
    if (in.Has("kind")) d.kind = in.IdOf("kind");
    d.instructions = in.StrOr("instructions", "");
    d.title = in.StrOr("title", "");
    d.spec.reward = in.IntOr("reward", 0);
    d.spec.currency = in.StrOr("currency", "USD");
    d.spec.assignments = in.IntOr("assignments", 1);
    if (auto p = in.OptMember("policy")) d.spec.policy = sync::Policy::Read(*p);
  } catch (const sync::SyncError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return d;
}

class TaskBuilder {
 public:
  TaskBuilder(const LabelConfig& config, const Defaults& defaults, std::string root)
      : config_(config), defaults_(defaults), root_(std::move(root)) {}

  TaskImporter::Converted Build(const rapidjson::Value& item, const std::string& where_file,
                                size_t number);

 private:
  // The asset of `object` for the reference `ref`; sets *size for images under boxes.
  sync::TaskAsset Asset(const LabelObject& object, const std::string& ref, bool need_size,
                        Size* size);
  [[noreturn]] void Fail(const std::string& what) const {
    throw std::runtime_error(where_ + ": " + what);
  }

  const LabelConfig& config_;
  const Defaults& defaults_;
  std::string root_;
  std::string where_;
  std::map<std::string, size_t> seen_;  // task id -> the number of the task that had it first
};

sync::TaskAsset TaskBuilder::Asset(const LabelObject& object, const std::string& ref,
                                   bool need_size, Size* size) {
  sync::TaskAsset asset;
  asset.name = object.name;
  const std::string tag = "<" + object.tag + " name=\"" + object.name + "\">";
  const std::string what = tag + " value " + ref;
  std::string head;
  if (ref.rfind("data:", 0) == 0) {
    size_t comma = ref.find(',');
    std::string meta = ref.substr(5, comma == std::string::npos ? 0 : comma - 5);
    if (comma == std::string::npos || meta.size() < 7 ||
        meta.compare(meta.size() - 7, 7, ";base64") != 0) {
      Fail(tag + ": a data: URI must be base64 (data:TYPE;base64,...)");
    }
    asset.type = meta.substr(0, meta.size() - 7);
    try {
      asset.data = sync::Base64Decode(std::string_view(ref).substr(comma + 1));
    } catch (const std::exception&) {
      Fail(tag + ": the data: URI is not valid base64");
    }
    head = asset.data.substr(0, kImageHeadBytes);
  } else {
    static const char* const kRemote[] = {"http://", "https://",      "s3://",
                                          "gs://",   "azure-blob://", "ftp://"};
    for (const char* scheme : kRemote) {
      if (ref.rfind(scheme, 0) == 0) {
        Fail(what +
             " is a remote URL: manod serves every asset itself, so download the file "
             "next to the tasks file and give its relative path instead");
      }
    }
    std::string path = ref;
    const std::string local = "/data/local-files/?d=";
    if (ref.rfind(local, 0) == 0) {
      path = PercentDecode(ref.substr(local.size()));
    } else if (ref.rfind("/data/upload/", 0) == 0) {
      Fail(what +
           " is a file uploaded into Label Studio: copy it next to the tasks file and "
           "give its relative path instead");
    }
    asset.path = path;
    asset.type = MediaType(path, object.tag);
    if (need_size) {
      std::error_code ec;
      fs::path file = fs::weakly_canonical(fs::path(root_) / path, ec);
      if (ec || !Inside(root_, file)) {
        Fail(what + " is not a file inside the tasks file's folder " + root_);
      }
      std::ifstream in(file, std::ios::binary);
      if (!in) Fail("cannot read " + path + " (" + what + ")");
      head.resize(kImageHeadBytes);
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<size_t>(in.gcount()));
    }
  }
  if (need_size) {
    auto s = ImageSize(head);
    if (!s || s->width <= 0 || s->height <= 0) {
      Fail(what + ": cannot read the image's size in pixels (boxes need a PNG, JPEG or GIF)");
    }
    *size = *s;
  }
  return asset;
}

TaskImporter::Converted TaskBuilder::Build(const rapidjson::Value& item,
                                           const std::string& where_file, size_t number) {
  where_ = where_file + " task " + std::to_string(number);
  if (!item.IsObject()) Fail("is not a JSON object");
  // The id: Label Studio's, or one made from the data.
  std::string ls_id;
  auto id_it = item.FindMember("id");
  if (id_it != item.MemberEnd() && !id_it->value.IsNull()) {
    if (id_it->value.IsUint64()) {
      ls_id = std::to_string(id_it->value.GetUint64());
    } else if (id_it->value.IsString() && sync::IsValidId(id_it->value.GetString())) {
      ls_id = id_it->value.GetString();
    } else {
      Fail("id must be a whole number (or an id of A-Z a-z 0-9 . _ : -)");
    }
    where_ += " (id " + ls_id + ")";
  }
  rapidjson::Document data_doc;
  data_doc.SetObject();
  auto data_it = item.FindMember("data");
  if (data_it != item.MemberEnd()) {
    if (!data_it->value.IsObject()) Fail("data must be a JSON object");
    data_doc.CopyFrom(data_it->value, data_doc.GetAllocator());
  } else {
    // JSON-MIN (or a plain data object): the item is the data, less Label Studio's own
    // members and the answers, which JSON-MIN keys by control name.
    static const std::set<std::string> kOwn = {"id",          "annotator",   "annotation_id",
                                               "created_at",  "updated_at",  "lead_time",
                                               "annotations", "predictions", "meta"};
    std::set<std::string> skip = kOwn;
    for (const auto& c : config_.controls) skip.insert(c.name);
    for (auto m = item.MemberBegin(); m != item.MemberEnd(); ++m) {
      std::string key(m->name.GetString(), m->name.GetStringLength());
      if (skip.count(key)) continue;
      data_doc.AddMember(rapidjson::Value(key.c_str(), data_doc.GetAllocator()),
                         rapidjson::Value(m->value, data_doc.GetAllocator()),
                         data_doc.GetAllocator());
    }
  }
  if (data_doc.HasMember(kInputKey)) {
    Fail(std::string("data.") + kInputKey + " is a name manod keeps for itself; rename it");
  }
  const std::string data_json = Compact(data_doc);
  std::string task_id = "ls-" + (ls_id.empty() ? sync::Sha256Hex(data_json).substr(0, 16) : ls_id);
  if (!sync::IsValidId(task_id)) Fail("the id makes no valid task id: " + task_id);
  auto [first, fresh] = seen_.emplace(task_id, number);
  if (!fresh) {
    Fail(ls_id.empty() ? "the same data as task " + std::to_string(first->second) +
                             " (a task without an id is named after its data)"
                       : "the same id as task " + std::to_string(first->second));
  }

  // Read through a const reference: const iterators compare unambiguously in C++20.
  const rapidjson::Value& data = data_doc;
  auto variable = [&](const LabelObject& o) -> const rapidjson::Value& {
    auto it = data.FindMember(o.variable.c_str());
    if (it == data.MemberEnd() || it->value.IsNull()) {
      Fail("data has no \"" + o.variable + "\" (the config's <" + o.tag + " name=\"" + o.name +
           "\" value=\"$" + o.variable + "\"> at line " + std::to_string(o.line) + ")");
    }
    return it->value;
  };
  auto resolve = [&](const std::string& text) {
    if (text.size() > 1 && text[0] == '$') {
      auto it = data.FindMember(text.c_str() + 1);
      if (it != data.MemberEnd()) return ValueText(it->value);
    }
    return text;
  };

  sync::TaskSpec spec = defaults_.spec;
  spec.id = task_id;
  spec.kind = defaults_.kind.empty() ? InferKind(config_) : defaults_.kind;
  spec.form.title = resolve(config_.title);
  if (spec.form.title.empty()) spec.form.title = defaults_.title;
  if (spec.form.title.empty())
    spec.form.title = "Label Studio task " + (ls_id.empty() ? task_id : ls_id);
  spec.form.instructions = defaults_.instructions;

  std::set<std::string> boxed;  // images under a RectangleLabels
  for (const auto& c : config_.controls) {
    if (c.tag == "RectangleLabels") boxed.insert(c.to_name);
  }
  std::map<std::string, Size> sizes;
  for (const auto& o : config_.objects) {
    std::string value = o.variable.empty() ? o.literal : ValueText(variable(o));
    std::string label = resolve(o.label.empty() ? o.name : o.label);
    if (o.tag == "Image" || o.tag == "Audio") {
      if (!o.variable.empty() && !variable(o).IsString()) {
        Fail("data." + o.variable + " must be a string (a path or a data: URI)");
      }
      Size size;
      spec.assets.push_back(Asset(o, value, boxed.count(o.name) > 0, &size));
      sizes[o.name] = size;
      spec.form.show.push_back({sync::ShowType::kAsset, label, o.name});
    } else if (o.tag == "HyperText") {
      spec.form.show.push_back({sync::ShowType::kText, label, PlainText(value)});
    } else {
      bool url = o.url || value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0;
      spec.form.show.push_back({url ? sync::ShowType::kUrl : sync::ShowType::kText, label, value});
    }
  }

  // The task's input: the data's members (so the JSONL and MTurk exports show them as
  // input variables) and, under "label_studio", what the Label Studio export needs.
  sync::JsonOut input;
  input.StartObject();
  for (auto m = data.MemberBegin(); m != data.MemberEnd(); ++m) {
    input.Key(std::string_view(m->name.GetString(), m->name.GetStringLength()));
    m->value.Accept(input.w());
  }
  input.Key(kInputKey);
  input.StartObject();
  if (!ls_id.empty()) {
    input.Key("id");
    if (id_it->value.IsUint64()) {
      input.w().Uint64(id_it->value.GetUint64());
    } else {
      input.String(ls_id);
    }
  }
  input.Key("controls");
  input.StartArray();
  for (const auto& c : config_.controls) {
    sync::Field f;
    f.name = c.name;
    f.label = resolve(c.label.empty() ? c.name : c.label);
    f.required = c.required;
    input.StartObject();
    input.Field("from_name", c.name);
    input.Field("to_name", c.to_name);
    input.Field("type", ResultType(c.tag));
    if (c.tag == "Choices") {
      f.type = c.multiple ? sync::FieldType::kMulti : sync::FieldType::kSingle;
      for (const auto& choice : c.choices) {
        f.options.push_back({choice.alias.empty() ? choice.value : choice.alias, choice.value});
      }
    } else if (c.tag == "Rating") {
      f.type = sync::FieldType::kScale;
      f.min = 1;
      f.max = c.max_rating;
    } else if (c.tag == "TextArea") {
      f.type = sync::FieldType::kText;
      f.max_length = c.max_chars ? std::optional<int64_t>(*c.max_chars) : std::nullopt;
    } else if (c.tag == "Number") {
      f.type = sync::FieldType::kNumber;
      f.min = c.min;
      f.max = c.max;
    } else {
      f.type = sync::FieldType::kBoxes;
      f.asset = c.to_name;
      f.width = sizes[c.to_name].width;
      f.height = sizes[c.to_name].height;
      for (const auto& label : c.choices) f.labels.push_back(label.value);
      if (c.required) f.min = 1;
      input.Field("original_width", f.width);
      input.Field("original_height", f.height);
    }
    input.EndObject();
    spec.form.fields.push_back(std::move(f));
  }
  input.EndArray();
  input.EndObject();
  input.EndObject();
  return {spec.ToJson(), input.Take(), where_};
}

}  // namespace

std::string InferKind(const LabelConfig& config) {
  int text_areas = 0, texts = 0;
  bool boxes = false, rating = false, choices = false, audio = false;
  for (const auto& c : config.controls) {
    boxes = boxes || c.tag == "RectangleLabels";
    rating = rating || c.tag == "Rating";
    choices = choices || c.tag == "Choices";
    if (c.tag == "TextArea") ++text_areas;
  }
  for (const auto& o : config.objects) {
    audio = audio || o.tag == "Audio";
    if (o.tag == "Text" || o.tag == "HyperText") ++texts;
  }
  if (boxes) return "bounding_boxes";
  if (text_areas >= 2) return "entity_update";
  if (audio && text_areas > 0) return "transcription";
  if (audio && rating) return "audio_quality";
  if (texts >= 2 && (choices || rating)) return "relevance";
  if (text_areas > 0) return "transcription";
  if (rating) return "relevance";
  return "classification";
}

ImportReport LabelStudioImporter::Import(const std::string& tasks_path,
                                         const std::string& config_path,
                                         const std::string& template_path) {
  LabelConfig config = LabelConfig::Parse(ReadWholeFile(config_path), config_path);
  Defaults defaults = ReadTemplate(template_path);
  std::string text = ReadWholeFile(tasks_path);
  if (text.size() > kMaxLabelStudioFileBytes) {
    throw std::runtime_error(tasks_path + ": over " + std::to_string(kMaxLabelStudioFileBytes) +
                             " bytes; split the export");
  }
  if (text.size() >= 2 &&
      (text.compare(0, 2, "\xFF\xFE") == 0 || text.compare(0, 2, "\xFE\xFF") == 0)) {
    throw std::runtime_error(tasks_path +
                             ": the file is UTF-16; Label Studio exports UTF-8, "
                             "convert it back (iconv -f UTF-16 -t UTF-8)");
  }
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // a BOM some editors add
  if (sync::JsonNestedDeeperThan(body, kMaxJsonDepth)) {
    throw std::runtime_error(tasks_path + ": JSON nested deeper than " +
                             std::to_string(kMaxJsonDepth) + " levels");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError()) {
    int line = LineAt(body, doc.GetErrorOffset());
    if (doc.GetParseError() == rapidjson::kParseErrorStringInvalidEncoding) {
      throw std::runtime_error(tasks_path + " line " + std::to_string(line) +
                               ": not UTF-8 (Label Studio exports UTF-8; was the file saved in "
                               "another encoding, such as Windows-1252?)");
    }
    throw std::runtime_error(tasks_path + " line " + std::to_string(line) + ": " +
                             rapidjson::GetParseError_En(doc.GetParseError()));
  }
  std::vector<const rapidjson::Value*> items;
  if (doc.IsArray()) {
    for (const auto& v : doc.GetArray()) items.push_back(&v);
  } else if (doc.IsObject()) {
    items.push_back(&doc);  // one task, as Label Studio accepts too
  } else {
    throw std::runtime_error(tasks_path + ": must be a JSON list of tasks");
  }
  const std::string root = RootOf(tasks_path);
  TaskBuilder builder(config, defaults, root);
  std::vector<TaskImporter::Converted> tasks;
  for (size_t i = 0; i < items.size(); ++i) {
    tasks.push_back(builder.Build(*items[i], tasks_path, i + 1));
  }
  return importer_.ImportConverted(tasks, tasks_path);
}

}  // namespace mano::manod
