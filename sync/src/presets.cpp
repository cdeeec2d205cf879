#include "mano/sync/presets.h"

#include <cstring>

#include "mano/sync/sync_error.h"

namespace mano::sync {

namespace {

constexpr int kImageWidth = 64, kImageHeight = 48;

Field Make(const char* name, FieldType type, const char* label, bool required) {
  Field f;
  f.name = name;
  f.type = type;
  f.label = label;
  f.required = required;
  return f;
}

Field Choice(const char* name, FieldType type, const char* label, bool required,
             const std::vector<std::pair<const char*, const char*>>& options) {
  Field f = Make(name, type, label, required);
  for (const auto& [value, text] : options) f.options.push_back(Option{value, text});
  return f;
}

Field Text(const char* name, const char* label, bool required, std::int64_t max_length) {
  Field f = Make(name, FieldType::kText, label, required);
  f.max_length = max_length;
  return f;
}

Field Scale(const char* name, const char* label, int min, int max) {
  Field f = Make(name, FieldType::kScale, label, true);
  f.min = min;
  f.max = max;
  return f;
}

ShowItem Show(ShowType type, const char* label, const char* value) {
  return ShowItem{type, label, value};
}

void PutLe(std::string& s, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void PutBe(std::string& s, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

void PngChunk(std::string& png, const char* type, const std::string& data) {
  PutBe(png, static_cast<std::uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  png += body;
  PutBe(png, Crc32(body));
}

TaskSpec Spec(const char* id, const char* kind, Form form, std::int64_t reward, LatePolicy late) {
  TaskSpec t;
  t.id = id;
  t.kind = kind;
  t.form = std::move(form);
  t.reward = reward;
  t.policy.late = late;
  t.policy.renew_on_anchor = late == LatePolicy::kAcceptIfAnchored;
  t.policy.lease_ms = 30 * 60 * 1000;
  return t;
}

void Fill(Form& form, const std::map<std::string, std::string>& vars) {
  for (auto& s : form.show) {
    for (const auto& [name, value] : vars) {
      if (s.value == "${" + name + "}") s.value = value;
    }
  }
}

}  // namespace

const std::vector<std::string>& PresetKinds() {
  static const std::vector<std::string> kinds = {"relevance",     "classification",
                                                 "audio_quality", "transcription",
                                                 "entity_update", "bounding_boxes"};
  return kinds;
}

Form PresetForm(std::string_view kind) {
  Form f;
  if (kind == "relevance") {
    f.title = "How well does the result answer the query?";
    f.instructions = "Read the query, open the result, and rate how useful it is.";
    f.show = {Show(ShowType::kText, "Query", "${query}"), Show(ShowType::kUrl, "Result", "${url}"),
              Show(ShowType::kResult, "Snippet", "${snippet}")};
    Field score = Scale("score", "Relevance", 0, 4);
    score.options = {
        {"0", "Irrelevant"}, {"1", "Marginal"}, {"2", "Fair"}, {"3", "Good"}, {"4", "Perfect"}};
    f.fields = {score, Text("comment", "Comment (optional)", false, 500)};
  } else if (kind == "classification") {
    f.title = "Which emotion does the speaker express?";
    f.instructions = "Listen to the whole clip, then choose one.";
    f.show = {Show(ShowType::kAsset, "Clip", "clip")};
    f.fields = {Choice("label", FieldType::kSingle, "Emotion", true,
                       {{"anger", "Anger"},
                        {"joy", "Joy"},
                        {"sadness", "Sadness"},
                        {"fear", "Fear"},
                        {"neutral", "Neutral"}})};
  } else if (kind == "audio_quality") {
    f.title = "Rate the audio quality";
    f.instructions = "1 = unusable, 5 = studio quality. Tick any problems you hear.";
    f.show = {Show(ShowType::kAsset, "Clip", "clip")};
    f.fields = {Scale("quality", "Quality", 1, 5),
                Choice("problems", FieldType::kMulti, "Problems", false,
                       {{"noise", "Background noise"},
                        {"clipping", "Clipping"},
                        {"dropouts", "Dropouts"},
                        {"echo", "Echo"}})};
  } else if (kind == "transcription") {
    f.title = "Transcribe the clip";
    f.instructions = "Type exactly what is said. Mark unclear words as [unclear].";
    f.show = {Show(ShowType::kAsset, "Clip", "clip")};
    f.fields = {Text("text", "Transcript", true, 5000)};
  } else if (kind == "entity_update") {
    f.title = "Check this business listing";
    f.instructions = "Correct anything that is wrong; leave right fields as they are.";
    f.show = {Show(ShowType::kText, "Listing", "${listing}"),
              Show(ShowType::kUrl, "Website", "${website}")};
    f.fields = {Choice("status", FieldType::kSingle, "Status", true,
                       {{"open", "Open"},
                        {"closed_temporarily", "Closed temporarily"},
                        {"closed_permanently", "Closed permanently"},
                        {"moved", "Moved"}}),
                Text("name", "Name", true, 200), Text("hours", "Opening hours", false, 200),
                Text("phone", "Phone", false, 40), Text("address", "Address", false, 300)};
  } else if (kind == "bounding_boxes") {
    f.title = "Draw a box around every car, person and bicycle";
    f.instructions = "Boxes should touch the object's edges. Leave empty if there is none.";
    f.show = {Show(ShowType::kAsset, "Image", "image")};
    Field boxes = Make("boxes", FieldType::kBoxes, "Objects", false);
    boxes.asset = "image";
    boxes.width = kImageWidth;
    boxes.height = kImageHeight;
    boxes.labels = {"car", "person", "bicycle"};
    boxes.max = 50;
    f.fields = {boxes};
  } else {
    throw SyncError(SyncErrorKind::kConfig, "unknown preset kind: " + std::string(kind));
  }
  return f;
}

std::vector<TaskSpec> SampleTasks() {
  std::vector<TaskSpec> tasks;
  const std::pair<const char*, const char*> queries[] = {
      {"cheap flights to lima", "https://example.com/flights/lima"},
      {"how to fix a bike chain", "https://example.org/bike-chain"},
      {"café near plaza bolívar", "https://example.net/maps/plaza-bolivar"},
  };
  int n = 0;
  for (const auto& [query, url] : queries) {
    Form form = PresetForm("relevance");
    Fill(form, {{"query", query}, {"url", url}, {"snippet", "A page about " + std::string(query)}});
    std::string id = "rel-" + std::to_string(++n);
    tasks.push_back(Spec(id.c_str(), "relevance", form, 25000, LatePolicy::kAcceptIfAnchored));
    tasks.back().assignments = 3;
  }
  std::string clip = MakeSampleWav(250, 440);  // inline: keep the JSONL line short
  TaskAsset clip_asset{"clip", "audio/wav", "", clip};

  tasks.push_back(
      Spec("cls-1", "classification", PresetForm("classification"), 15000, LatePolicy::kAccept));
  tasks.back().assets = {clip_asset};
  // Classification with other options: an age bracket from a face-free silhouette image.
  Form age = PresetForm("classification");
  age.title = "Which age bracket fits the speaker?";
  age.fields[0].label = "Age bracket";
  age.fields[0].options = {
      {"child", "Under 13"}, {"teen", "13-19"}, {"adult", "20-64"}, {"senior", "65 and over"}};
  tasks.push_back(Spec("cls-2", "classification", age, 15000, LatePolicy::kAccept));
  tasks.back().assets = {clip_asset};

  tasks.push_back(
      Spec("aq-1", "audio_quality", PresetForm("audio_quality"), 20000, LatePolicy::kRefuse));
  tasks.back().assets = {TaskAsset{"clip", "audio/wav", "assets/tone.wav", ""}};

  tasks.push_back(Spec("tr-1", "transcription", PresetForm("transcription"), 120000,
                       LatePolicy::kAcceptIfAnchored));
  tasks.back().assets = {TaskAsset{"clip", "audio/wav", "assets/tone.wav", ""}};

  Form listing = PresetForm("entity_update");
  Fill(listing, {{"listing",
                  "Panadería La Esquina · Av. Urdaneta 12 · +58 212 555 0101 · "
                  "Mon-Sat 6:00-19:00"},
                 {"website", "https://example.com/la-esquina"}});
  tasks.push_back(Spec("ent-1", "entity_update", listing, 50000, LatePolicy::kAccept));

  tasks.push_back(Spec("box-1", "bounding_boxes", PresetForm("bounding_boxes"), 40000,
                       LatePolicy::kAcceptIfAnchored));
  tasks.back().assets = {TaskAsset{"image", "image/png", "assets/street.png", ""}};
  tasks.push_back(Spec("box-2", "bounding_boxes", PresetForm("bounding_boxes"), 40000,
                       LatePolicy::kAcceptIfAnchored));
  tasks.back().assets = {
      TaskAsset{"image", "image/png", "", MakeSamplePng(kImageWidth, kImageHeight)}};
  return tasks;
}

Answer SampleAnswer(std::string_view kind, std::uint32_t seed) {
  Answer a;
  if (kind == "relevance") {
    a.Set("score", static_cast<std::int64_t>(seed % 5));
    if (seed % 7 == 0) a.Set("comment", std::string("result is a login page"));
  } else if (kind == "classification") {
    static const char* kLabels[] = {"anger", "joy", "sadness", "fear", "neutral"};
    a.Set("label", std::string(kLabels[seed % 5]));
  } else if (kind == "audio_quality") {
    a.Set("quality", static_cast<std::int64_t>(1 + seed % 5));
    if (seed % 3 == 0) a.Set("problems", std::vector<std::string>{"noise"});
  } else if (kind == "transcription") {
    a.Set("text", std::string("a steady tone, no speech [unclear] ") + std::to_string(seed));
  } else if (kind == "entity_update") {
    a.Set("status", std::string(seed % 4 ? "open" : "moved"));
    a.Set("name", std::string("Panadería La Esquina"));
    a.Set("hours", std::string("Mon-Sat 6:00-19:00"));
    a.Set("phone", std::string("+58 212 555 0101"));
  } else if (kind == "bounding_boxes") {
    std::int64_t x = seed % 30, y = seed % 20;
    a.Set("boxes", std::vector<Box>{{x, y, 20, 16, "car"}, {2, 2, 8, 20, "person"}});
  } else {
    throw SyncError(SyncErrorKind::kConfig, "unknown preset kind: " + std::string(kind));
  }
  return a;
}

std::string MakeSamplePng(int width, int height) {
  // Raw scanlines: filter byte 0 then RGB pixels (a sky, a road, a red "car").
  std::string raw;
  for (int y = 0; y < height; ++y) {
    raw += '\0';
    for (int x = 0; x < width; ++x) {
      bool car = x >= width / 4 && x < width / 2 && y >= height / 2 && y < height * 3 / 4;
      bool road = y >= height * 2 / 3;
      unsigned char r = car    ? 200
                        : road ? 90
                               : 120,
                    g = car    ? 30
                        : road ? 90
                               : 170,
                    b = car    ? 30
                        : road ? 90
                               : 230;
      raw += static_cast<char>(r);
      raw += static_cast<char>(g);
      raw += static_cast<char>(b);
    }
  }
  // zlib stream of stored (uncompressed) deflate blocks.
  std::string z = "\x78\x01";
  for (std::size_t pos = 0; pos < raw.size() || pos == 0;) {
    std::size_t len = std::min<std::size_t>(65535, raw.size() - pos);
    bool last = pos + len == raw.size();
    z += static_cast<char>(last ? 1 : 0);
    PutLe(z, static_cast<std::uint32_t>(len), 2);
    PutLe(z, static_cast<std::uint32_t>(~len & 0xFFFF), 2);
    z.append(raw, pos, len);
    pos += len;
    if (last) break;
  }
  std::uint32_t s1 = 1, s2 = 0;
  for (unsigned char c : raw) {
    s1 = (s1 + c) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  PutBe(z, (s2 << 16) | s1);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  PutBe(ihdr, static_cast<std::uint32_t>(width));
  PutBe(ihdr, static_cast<std::uint32_t>(height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, no filter, no interlace
  PngChunk(png, "IHDR", ihdr);
  PngChunk(png, "IDAT", z);
  PngChunk(png, "IEND", "");
  return png;
}

std::string MakeSampleWav(int millis, int hz) {
  constexpr std::uint32_t kRate = 8000;
  std::uint32_t samples = kRate * static_cast<std::uint32_t>(millis) / 1000;
  std::string pcm;
  // A triangle wave: integer arithmetic, so the bytes are identical on every machine.
  std::uint32_t period = kRate / static_cast<std::uint32_t>(hz > 0 ? hz : 440);
  for (std::uint32_t i = 0; i < samples; ++i) {
    std::int32_t phase = static_cast<std::int32_t>(i % period);
    std::int32_t half = static_cast<std::int32_t>(period / 2);
    std::int32_t tri = phase < half ? phase : static_cast<std::int32_t>(period) - phase;
    std::int32_t v = (tri * 2 - half) * 8000 / (half ? half : 1);
    PutLe(pcm, static_cast<std::uint32_t>(static_cast<std::int16_t>(v)) & 0xFFFF, 2);
  }
  std::string wav = "RIFF";
  PutLe(wav, 36 + static_cast<std::uint32_t>(pcm.size()), 4);
  wav += "WAVEfmt ";
  PutLe(wav, 16, 4);
  PutLe(wav, 1, 2);  // PCM
  PutLe(wav, 1, 2);  // mono
  PutLe(wav, kRate, 4);
  PutLe(wav, kRate * 2, 4);
  PutLe(wav, 2, 2);
  PutLe(wav, 16, 2);
  wav += "data";
  PutLe(wav, static_cast<std::uint32_t>(pcm.size()), 4);
  return wav + pcm;
}

}  // namespace mano::sync
