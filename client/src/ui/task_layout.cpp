#include "mano/client/ui/task_layout.h"

#include "mano/client/ledger/money.h"
#include "mano/client/state_text.h"
#include "mano/client/sync_text.h"
#include "mano/client/terminal_text.h"
#include "mano/client/time_format.h"
#include "mano/client/ui/status_line.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"
#include "mano/sync/messages.h"

namespace mano::client::ui {
namespace {

using sync::FieldType;

constexpr int kIndent = 4;
constexpr int kMaxTextRows = 4;

void AddWrapped(std::vector<Line>& out, const std::string& text, int width, unsigned attrs = 0,
                int indent = 0) {
  for (auto& l : WrapText(TerminalSafe(text, LineBreaks::kKeep), width - indent)) {
    out.push_back({std::string(indent, ' ') + l, attrs});
  }
}

std::string OptionLabel(const sync::Option& o) { return o.label.empty() ? o.value : o.label; }

std::string DigitFor(size_t index) { return index < 9 ? std::to_string(index + 1) : "0"; }

std::string AssetText(const AssetInfo* asset) {
  if (!asset) return T("(not in this assignment)");
  std::string out = asset->type + ", " + FormatBytes(asset->size);
  if (asset->complete()) {
    out += ", " + TF("cached: {0}", {asset->path});
  } else if (asset->present > 0) {
    out += ", " + TF("downloading {0} %",
                     {std::to_string(asset->present * 100 / std::max<int64_t>(1, asset->size))});
  } else {
    out += ", " + std::string(T("not downloaded yet"));
  }
  return out;
}

}  // namespace

std::string BoxModeText(const BoxEditor& b) {
  std::string mode;
  switch (b.mode()) {
    case BoxEditor::Mode::kMove:
      mode = T("Mode: move the whole box");
      break;
    case BoxEditor::Mode::kResizeEnd:
      mode = T("Mode: resize, arrows move the right and bottom edges");
      break;
    case BoxEditor::Mode::kResizeStart:
      mode = T("Mode: resize, arrows move the left and top edges");
      break;
  }
  std::string pixels = std::to_string(b.StepPixels());
  return mode + " · " +
         (b.count() > 0 ? TF("next arrow: {0} px", {pixels}) : TF("step {0} px", {pixels}));
}

std::string BoxEntryProblemText(const BoxEditor& b) {
  switch (b.problem()) {
    case BoxEditor::EntryProblem::kNotFourNumbers:
      return T("Four whole numbers are needed: x y w h (for example 24 24 16 12).");
    case BoxEditor::EntryProblem::kOutside:
      return TF("That box does not fit the image of {0}x{1} pixels (w and h at least 1).",
                {std::to_string(b.width()), std::to_string(b.height())});
    case BoxEditor::EntryProblem::kNone:
      break;
  }
  return {};
}

std::string Summary(const FieldState& f) {
  switch (f.field.type) {
    case FieldType::kSingle:
      return f.selected >= 0 ? OptionLabel(f.field.options[f.selected]) : "-";
    case FieldType::kMulti: {
      std::string out;
      for (size_t i = 0; i < f.checked.size(); ++i) {
        if (!f.checked[i]) continue;
        if (!out.empty()) out += ", ";
        out += OptionLabel(f.field.options[i]);
      }
      return out.empty() ? "-" : out;
    }
    case FieldType::kScale: {
      if (!f.scale) return "-";
      std::string out = std::to_string(*f.scale);
      for (const auto& o : f.field.options) {
        if (o.value == out && !o.label.empty()) out += " " + o.label;
      }
      return out;
    }
    case FieldType::kText:
    case FieldType::kNumber:
      return f.text.empty() ? "-" : f.text.text();
    case FieldType::kBoxes:
      return TF("{0} boxes", {std::to_string(f.boxes.boxes().size())});
  }
  return "";
}

namespace {

void LayoutField(TaskLayout& out, const FieldState& f, bool focused, int width) {
  std::string head = std::string(focused ? "> " : "  ") + f.field.label;
  if (f.field.required) head += " *";
  if (!focused) {
    head += ": ";
    out.lines.push_back({FitToWidth(head + TerminalSafe(Summary(f)), width), 0});
    return;
  }
  std::string range;
  if (f.field.type == FieldType::kScale) {
    range = " (" + std::to_string(static_cast<int64_t>(f.field.min.value_or(0))) + "-" +
            std::to_string(static_cast<int64_t>(f.field.max.value_or(0))) + ")";
  }
  out.lines.push_back({FitToWidth(head + range, width), kAttrBold});
  std::string pad(kIndent, ' ');
  switch (f.field.type) {
    case FieldType::kSingle:
    case FieldType::kMulti: {
      bool multi = f.field.type == FieldType::kMulti;
      for (size_t i = 0; i < f.field.options.size(); ++i) {
        bool on = multi ? f.checked[i] : f.selected == static_cast<int>(i);
        std::string mark = multi ? (on ? "[x]" : "[ ]") : (on ? "(*)" : "( )");
        std::string text =
            pad + DigitFor(i) + " " + mark + " " + TerminalSafe(OptionLabel(f.field.options[i]));
        unsigned attrs = static_cast<int>(i) == f.highlight ? kAttrUnderline : kAttrNormal;
        out.lines.push_back({FitToWidth(text, width), attrs});
      }
      break;
    }
    case FieldType::kScale: {
      out.lines.push_back({pad + "[" + (f.scale ? Summary(f) : std::string(" ")) + "]", 0});
      std::string labels;
      for (const auto& o : f.field.options) {
        if (!labels.empty()) labels += "  ";
        labels += o.value + " " + TerminalSafe(OptionLabel(o));
      }
      if (!labels.empty()) AddWrapped(out.lines, labels, width, 0, kIndent);
      break;
    }
    case FieldType::kText:
    case FieldType::kNumber: {
      int box = width - kIndent - 2;
      bool multi_line = f.text.multi_line();
      if (!multi_line) {
        auto view = f.text.Visible(box);
        out.cursor_line = static_cast<int>(out.lines.size());
        out.cursor_col = kIndent + 1 + view.cursor_col;
        out.lines.push_back({pad + "[" + PadToWidth(view.text, box) + "]", 0});
      } else {
        auto view = f.text.Wrapped(box);
        int first = std::max(0, view.cursor_row - (kMaxTextRows - 1));
        for (int r = first; r < first + kMaxTextRows; ++r) {
          std::string text = r < static_cast<int>(view.lines.size()) ? view.lines[r] : "";
          if (r == view.cursor_row) {
            out.cursor_line = static_cast<int>(out.lines.size());
            out.cursor_col = kIndent + 1 + view.cursor_col;
          }
          out.lines.push_back({pad + "|" + PadToWidth(text, box) + "|", 0});
        }
      }
      if (f.field.type == FieldType::kText) {
        std::string count =
            std::to_string(f.text.code_points()) + "/" + std::to_string(f.text.max_code_points());
        out.lines.push_back({pad + count, 0});
      }
      break;
    }
    case FieldType::kBoxes: {
      const BoxEditor& b = f.boxes;
      if (focused && b.has_picture()) {
        out.picture_line = static_cast<int>(out.lines.size());
        out.picture_col = kIndent;
      }
      for (const auto& row : b.Preview()) out.lines.push_back({pad + row, 0});
      std::string desc = b.current() < 0 ? std::string(T("no boxes yet")) : b.Describe();
      out.lines.push_back({FitToWidth(pad + desc + "  " + std::to_string(b.width()) + "x" +
                                          std::to_string(b.height()) + " px",
                                      width),
                           kAttrBold});
      out.lines.push_back({FitToWidth(pad + BoxModeText(b), width), kAttrBold});
      if (b.entering()) {
        std::string prompt = pad + T("Type x y w h, then Enter:") + " ";
        out.cursor_line = static_cast<int>(out.lines.size());
        out.cursor_col = DisplayWidth(prompt) + DisplayWidth(b.entry());
        out.lines.push_back({FitToWidth(prompt + b.entry(), width), 0});
        if (b.problem() != BoxEditor::EntryProblem::kNone) {
          AddWrapped(out.lines, BoxEntryProblemText(b), width, kAttrBold, kIndent);
        }
      }
      out.lines.push_back(
          {FitToWidth(pad + T("n new · x delete · m mode · l label · [ ] other box · = x y w h"),
                      width),
           0});
      break;
    }
  }
}

}  // namespace

bool IsEditable(storage::AssignmentState state) {
  using S = storage::AssignmentState;
  return state == S::kClaimed || state == S::kInProgress || state == S::kExpired;
}

const AssetInfo* TaskInfo::FindAsset(const std::string& name) const {
  for (const auto& a : assets) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

TaskInfo LoadTaskInfo(storage::Store& store, const storage::Assignment& a) {
  TaskInfo t;
  t.id = a.id;
  t.account = a.account;
  t.server_id = a.server_id;
  t.kind = a.kind;
  t.reward_micros = a.reward_micros;
  t.currency = a.currency;
  t.state = a.state;
  t.state_reason = a.state_reason;
  t.editable = IsEditable(a.state);
  sync::Assignment server = sync::Assignment::FromJson(a.payload);
  t.form = server.form;
  for (const auto& ref : server.assets) {
    AssetInfo info;
    info.name = ref.name;
    info.type = ref.type;
    info.hash = ref.hash;
    info.size = ref.size;
    info.path = store.AssetsDir() + "/" + ref.hash;
    if (auto cached = store.GetAsset(ref.hash)) {
      info.present = cached->bytes_present;
      if (!cached->path.empty()) info.path = cached->path;
    }
    t.assets.push_back(std::move(info));
  }
  return t;
}

TaskLayout LayoutTask(const TaskInfo& task, const FormModel& model,
                      const std::string& remaining_text, int width) {
  TaskLayout out;
  const sync::Form& form = task.form;
  out.lines.push_back({FitToWidth(TerminalSafe(form.title), width), kAttrBold});
  // Time left while a lease runs; otherwise the state, what it means and the reason given
  // (a refusal's, a rejection's, a revocation's), in full.
  const std::string_view state = storage::ToString(task.state);
  const bool running = StateHasTimeLeft(state);
  std::string meta =
      "#" + std::to_string(task.id) + " " + TerminalSafe(KindText(task.kind)) + " · " +
      ledger::FormatAmount(task.reward_micros, task.currency) + " " + task.currency + " · " +
      (running ? TF("{0} left", {remaining_text}) : StateName(state)) + " · " + task.account;
  if (!task.editable) meta += " · " + std::string(T("read only"));
  out.lines.push_back({FitToWidth(meta, width), 0});
  if (!running) AddWrapped(out.lines, StateExplanation(state), width, kAttrBold);
  if (!task.state_reason.empty()) {
    AddWrapped(out.lines,
               TF("Reason given: {0}", {TerminalSafe(StateReasonText(task.state_reason))}), width,
               kAttrBold, 2);
  }
  if (!form.instructions.empty()) AddWrapped(out.lines, form.instructions, width);
  for (const auto& item : form.show) {
    std::string label = TerminalSafe(item.label) + ": ";
    switch (item.type) {
      case sync::ShowType::kText:
      case sync::ShowType::kUrl:
        AddWrapped(out.lines, label + item.value, width);
        break;
      case sync::ShowType::kResult:
        out.lines.push_back(
            {FitToWidth(TF("{0} (the result to judge):", {item.label}), width), kAttrBold});
        AddWrapped(out.lines, item.value, width, 0, 2);
        break;
      case sync::ShowType::kAsset: {
        const AssetInfo* asset = task.FindAsset(item.value);
        AddWrapped(out.lines, label + AssetText(asset), width);
        if (asset && !asset->note.empty()) AddWrapped(out.lines, asset->note, width, kAttrBold, 2);
        break;
      }
    }
  }
  out.lines.push_back({"", 0});
  const auto& fields = model.fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    bool focused = static_cast<int>(i) == model.focus();
    int first = static_cast<int>(out.lines.size());
    LayoutField(out, fields[i], focused, width);
    if (focused) {
      out.focus_first = first;
      out.focus_last = static_cast<int>(out.lines.size()) - 1;
    }
  }
  return out;
}

}  // namespace mano::client::ui
