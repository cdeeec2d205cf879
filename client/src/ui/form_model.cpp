#include "mano/client/ui/form_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "mano/client/utf8.h"
#include "mano/sync/json_util.h"
#include "mano/sync/limits.h"
#include "ring_step.h"

namespace mano::client::ui {
namespace {

using sync::FieldType;

// Digit d picks option d (1-based); 0 is the tenth.
int OptionForDigit(char32_t ch) { return ch == U'0' ? 9 : static_cast<int>(ch - U'1'); }

bool NumberChar(char32_t c) {
  return (c >= U'0' && c <= U'9') || c == U'.' || c == U'-' || c == U'+' || c == U'e' || c == U'E';
}

std::string FormatNumber(double v) {
  sync::JsonOut out;
  out.Number(v);
  return out.Take();
}

}  // namespace

FormModel::FormModel(sync::Form form) : form_(std::move(form)) {
  for (const auto& field : form_.fields) {
    FieldState s;
    s.field = field;
    s.checked.assign(field.options.size(), false);
    if (field.type == FieldType::kText) {
      size_t max = field.max_length ? static_cast<size_t>(*field.max_length)
                                    : static_cast<size_t>(sync::kDefaultMaxTextCodePoints);
      s.text = TextEdit({}, max, field.max_length && *field.max_length > kMultiLineFrom);
    } else if (field.type == FieldType::kNumber) {
      s.text = TextEdit({}, 40);
    } else if (field.type == FieldType::kBoxes) {
      s.boxes = BoxEditor(field.width, field.height, field.labels, 40, 9);
    }
    fields_.push_back(std::move(s));
  }
}

const FieldState* FormModel::focused() const {
  if (fields_.empty()) return nullptr;
  return &fields_[static_cast<size_t>(focus_)];
}

bool FormModel::FocusIsText() const {
  const FieldState* f = focused();
  return f && f->IsTextual();
}

bool FormModel::FocusIsMultiLine() const {
  const FieldState* f = focused();
  return f && f->IsTextual() && f->text.multi_line();
}

bool FormModel::NextField() { return internal::RingStep(focus_, fields_.size(), 1); }

bool FormModel::PrevField() { return internal::RingStep(focus_, fields_.size(), -1); }

void FormModel::Focus(int index) {
  if (fields_.empty()) return;
  focus_ = std::clamp(index, 0, static_cast<int>(fields_.size()) - 1);
}

FormModel::Result FormModel::HandleKey(const Key& key) {
  if (fields_.empty()) return {};
  FieldState& f = fields_[static_cast<size_t>(focus_)];
  switch (f.field.type) {
    case FieldType::kSingle:
    case FieldType::kMulti:
      return ChoiceKey(f, key);
    case FieldType::kScale:
      return ScaleKey(f, key);
    case FieldType::kText:
    case FieldType::kNumber:
      return TextKey(f, key);
    case FieldType::kBoxes:
      return BoxesKey(f, key);
  }
  return {};
}

FormModel::Result FormModel::ChoiceKey(FieldState& f, const Key& key) {
  int n = static_cast<int>(f.field.options.size());
  bool multi = f.field.type == FieldType::kMulti;
  auto pick = [&](int index) -> Result {
    if (index < 0 || index >= n) return {true, false};
    f.highlight = index;
    if (multi) {
      f.checked[index] = !f.checked[index];
      return {true, true};
    }
    bool changed = f.selected != index;
    f.selected = index;
    return {true, changed};
  };
  if (key.IsDigit()) return pick(OptionForDigit(key.ch));
  if (n == 0) return {};
  if (key.code == KeyCode::kUp || key.code == KeyCode::kDown) {
    int step = key.code == KeyCode::kUp ? -1 : 1;
    f.highlight = std::clamp(f.highlight + step, 0, n - 1);
    if (!multi) return pick(f.highlight);
    return {true, false};
  }
  if (key.IsChar(U' ')) return pick(f.highlight);
  return {};
}

FormModel::Result FormModel::ScaleKey(FieldState& f, const Key& key) {
  int64_t lo = static_cast<int64_t>(f.field.min.value_or(0));
  int64_t hi = static_cast<int64_t>(f.field.max.value_or(static_cast<double>(lo)));
  auto set = [&](int64_t v) -> Result {
    v = std::clamp(v, lo, hi);
    bool changed = !f.scale || *f.scale != v;
    f.scale = v;
    return {true, changed};
  };
  if (key.IsDigit()) {
    int64_t v = static_cast<int64_t>(key.ch - U'0');
    if (v < lo || v > hi) return {true, false};
    return set(v);
  }
  switch (key.code) {
    case KeyCode::kLeft:
    case KeyCode::kDown:
      return set(f.scale ? *f.scale - 1 : lo);
    case KeyCode::kRight:
    case KeyCode::kUp:
      return set(f.scale ? *f.scale + 1 : lo);
    default:
      return {};
  }
}

FormModel::Result FormModel::TextKey(FieldState& f, const Key& key) {
  TextEdit& t = f.text;
  // The keys that call one TextEdit method, and whether it edits the text (else it only
  // moves the cursor, which changes no answer).
  struct Call {
    KeyCode code;
    bool (TextEdit::*method)();
    bool edits;
  };
  static constexpr Call kCalls[] = {
      {KeyCode::kBackspace, &TextEdit::Backspace, true},
      {KeyCode::kDelete, &TextEdit::Delete, true},
      {KeyCode::kLeft, &TextEdit::Left, false},
      {KeyCode::kRight, &TextEdit::Right, false},
      {KeyCode::kHome, &TextEdit::Home, false},
      {KeyCode::kEnd, &TextEdit::End, false},
  };
  for (const Call& call : kCalls) {
    if (key.code != call.code) continue;
    const bool done = (t.*call.method)();
    return {true, call.edits && done};
  }
  switch (key.code) {
    case KeyCode::kChar:
      if (f.field.type == FieldType::kNumber && !NumberChar(key.ch)) return {true, false};
      return {true, t.Insert(EncodeUtf8(key.ch))};
    case KeyCode::kEnter:  // a new line in a multi-line field; elsewhere the next field
      if (!t.multi_line()) return {};
      return {true, t.NewLine()};
    case KeyCode::kCtrl:
      if (key.ch == U'a') return {true, (t.Home(), false)};
      if (key.ch == U'e') return {true, (t.End(), false)};
      if (key.ch == U'u') {  // clear the field
        bool changed = !t.empty();
        t.SetText("");
        return {true, changed};
      }
      return {};
    default:
      return {};
  }
}

FormModel::Result FormModel::BoxesKey(FieldState& f, const Key& key) {
  BoxEditor& b = f.boxes;
  if (b.entering()) {  // typing "x y w h": every key is for the line
    if (key.code == KeyCode::kEnter)
      return {true, b.FinishEntry() == BoxEditor::EntryProblem::kNone};
    if (key.code == KeyCode::kEscape) b.CancelEntry();
    if (key.code == KeyCode::kBackspace) b.EraseEntry();
    if (key.code == KeyCode::kChar) b.AppendEntry(key.ch);
    return {true, false};
  }
  auto arrow = [&](int dx, int dy) -> Result {
    int64_t pixels = b.TakeCount() * (key.shift ? BoxEditor::kShiftStep : 1);
    return {true, b.Step(dx, dy, pixels)};
  };
  switch (key.code) {
    case KeyCode::kUp:
      return arrow(0, -1);
    case KeyCode::kDown:
      return arrow(0, 1);
    case KeyCode::kLeft:
      return arrow(-1, 0);
    case KeyCode::kRight:
      return arrow(1, 0);
    case KeyCode::kBackspace:
      b.ClearCount();
      return {true, false};
    case KeyCode::kChar:
      if (key.IsDigit()) {
        b.AddCountDigit(static_cast<int>(key.ch - U'0'));
        return {true, false};
      }
      b.ClearCount();
      switch (key.ch) {
        case U'n':
          return {true, b.Add()};
        case U'x':
          return {true, b.RemoveCurrent()};
        case U'm':
          b.CycleMode();
          return {true, false};
        case U'=':
          b.BeginEntry();
          return {true, false};
        case U'l':
          return {true, b.CycleLabel()};
        case U'[':
          return {true, (b.Previous(), false)};
        case U']':
          return {true, (b.Next(), false)};
        default:
          return {};
      }
    default:
      return {};
  }
}

void FormModel::SetBoxPicture(int field, Picture picture) {
  if (field < 0 || field >= static_cast<int>(fields_.size())) return;
  FieldState& f = fields_[static_cast<size_t>(field)];
  if (f.field.type == FieldType::kBoxes) f.boxes.SetPicture(std::move(picture));
}

bool FormModel::FocusCapturesKeys() const {
  const FieldState* f = focused();
  return f && f->field.type == FieldType::kBoxes && f->boxes.entering();
}

FormModel::Result FormModel::InsertText(std::string_view utf8) {
  if (!FocusIsText()) return {};
  FieldState& f = fields_[static_cast<size_t>(focus_)];
  if (f.field.type == FieldType::kNumber) {
    for (char32_t c : DecodeUtf8(utf8)) {
      if (!NumberChar(c)) return {true, false};
    }
  }
  return {true, f.text.Insert(utf8)};
}

sync::Answer FormModel::ToAnswer() const {
  sync::Answer a;
  for (const auto& f : fields_) {
    const std::string& name = f.field.name;
    switch (f.field.type) {
      case FieldType::kSingle:
        if (f.selected >= 0) a.Set(name, f.field.options[f.selected].value);
        break;
      case FieldType::kMulti: {
        std::vector<std::string> values;
        for (size_t i = 0; i < f.checked.size(); ++i) {
          if (f.checked[i]) values.push_back(f.field.options[i].value);
        }
        if (!values.empty()) a.Set(name, values);
        break;
      }
      case FieldType::kScale:
        if (f.scale) a.Set(name, *f.scale);
        break;
      case FieldType::kText:
        if (!f.text.empty()) a.Set(name, f.text.text());
        break;
      case FieldType::kNumber: {
        std::string s = f.text.text();
        char* end = nullptr;
        double v = std::strtod(s.c_str(), &end);
        if (!s.empty() && end && *end == '\0' && std::isfinite(v)) a.Set(name, v);
        break;
      }
      case FieldType::kBoxes:
        if (!f.boxes.boxes().empty()) a.Set(name, f.boxes.boxes());
        break;
    }
  }
  return a;
}

void FormModel::Load(const sync::Answer& answer) {
  for (auto& f : fields_) {
    const sync::AnswerValue* v = answer.Get(f.field.name);
    f.selected = -1;
    f.checked.assign(f.field.options.size(), false);
    f.scale.reset();
    if (f.IsTextual()) f.text.SetText("");
    if (f.field.type == FieldType::kBoxes) f.boxes.SetBoxes({});
    if (!v) continue;
    switch (f.field.type) {
      case FieldType::kSingle:
        if (auto* s = std::get_if<std::string>(v)) {
          for (size_t i = 0; i < f.field.options.size(); ++i) {
            if (f.field.options[i].value == *s) f.selected = f.highlight = static_cast<int>(i);
          }
        }
        break;
      case FieldType::kMulti:
        if (auto* list = std::get_if<std::vector<std::string>>(v)) {
          for (size_t i = 0; i < f.field.options.size(); ++i) {
            f.checked[i] =
                std::find(list->begin(), list->end(), f.field.options[i].value) != list->end();
          }
        }
        break;
      case FieldType::kScale:
        if (auto* i = std::get_if<int64_t>(v)) f.scale = *i;
        break;
      case FieldType::kText:
        if (auto* s = std::get_if<std::string>(v)) f.text.SetText(*s);
        break;
      case FieldType::kNumber:
        if (auto* d = std::get_if<double>(v)) f.text.SetText(FormatNumber(*d));
        if (auto* i = std::get_if<int64_t>(v)) f.text.SetText(std::to_string(*i));
        break;
      case FieldType::kBoxes:
        if (auto* boxes = std::get_if<std::vector<sync::Box>>(v)) f.boxes.SetBoxes(*boxes);
        break;
    }
  }
}

std::string FormModel::Position() const {
  sync::JsonOut out;
  out.StartObject();
  if (const FieldState* f = focused()) {
    out.Field("field", f->field.name);
    if (f->IsTextual()) out.Field("cursor", static_cast<int64_t>(f->text.cursor()));
    if (f->field.type == FieldType::kBoxes) out.Field("box", f->boxes.current());
    if (f->field.type == FieldType::kSingle || f->field.type == FieldType::kMulti) {
      out.Field("option", f->highlight);
    }
  }
  out.EndObject();
  return out.Take();
}

void FormModel::RestorePosition(std::string_view position) {
  if (position.empty()) return;
  try {
    sync::JsonDocument doc(position);
    sync::JsonIn root = doc.Root();
    std::string name = root.StrOr("field", "");
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i].field.name != name) continue;
      focus_ = static_cast<int>(i);
      FieldState& f = fields_[i];
      if (f.IsTextual()) f.text.SetCursor(static_cast<size_t>(root.IntOr("cursor", 0)));
      int64_t option = root.IntOr("option", f.highlight);
      if (option >= 0 && option < static_cast<int64_t>(f.field.options.size())) {
        f.highlight = static_cast<int>(option);
      }
      if (f.field.type == FieldType::kBoxes) {
        int64_t box = root.IntOr("box", -1);
        for (size_t k = 0; k < f.boxes.boxes().size() && f.boxes.current() != box; ++k) {
          f.boxes.Next();
        }
      }
    }
  } catch (const std::exception&) {
    // A position from another version of mano: start at the first field.
  }
}

std::vector<sync::ValidationError> FormModel::Validate() const {
  return sync::Validate(form_, ToAnswer());
}

int FormModel::FieldIndexOf(std::string_view path) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string& name = fields_[i].field.name;
    if (path.substr(0, name.size()) == name &&
        (path.size() == name.size() || path[name.size()] == '[')) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace mano::client::ui
