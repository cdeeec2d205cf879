#include "mano/client/ui/review_layout.h"

#include "mano/client/ledger/money.h"
#include "mano/client/sync_text.h"
#include "mano/client/terminal_text.h"
#include "mano/client/time_format.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {
namespace {

constexpr int kIndent = 4;

// `text` wrapped to `width`, keeping its line breaks, each line indented.
void AddParagraphs(std::vector<Line>& out, const std::string& text, int width, int indent) {
  size_t start = 0;
  for (;;) {
    size_t end = text.find('\n', start);
    std::string part = text.substr(start, end == std::string::npos ? end : end - start);
    for (auto& l : WrapText(TerminalSafe(part), width - indent)) {
      out.push_back({std::string(indent, ' ') + l, 0});
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

// The label of the field a validation path ("name", "boxes[2].l") points into.
std::string LabelFor(const FormModel& model, const std::string& path) {
  int i = model.FieldIndexOf(path);
  if (i < 0) return path;
  const sync::Field& f = model.fields()[static_cast<size_t>(i)].field;
  return f.label + path.substr(f.name.size());
}

}  // namespace

std::vector<Line> LayoutReview(const TaskInfo& task, const FormModel& model,
                               const std::vector<sync::ValidationError>& problems,
                               const sync::LateOutlook& late, int width) {
  std::vector<Line> out;
  out.push_back(
      {FitToWidth(TF("Review before sending: {0}", {TerminalSafe(task.form.title)}), width),
       kAttrBold});
  out.push_back(
      {FitToWidth("#" + std::to_string(task.id) + " " + task.kind + " · " +
                      ledger::FormatAmount(task.reward_micros, task.currency) + " " + task.currency,
                  width),
       0});
  out.push_back({"", 0});
  for (const auto& f : model.fields()) {
    std::string head = f.field.label + (f.field.required ? " *" : "") + ":";
    out.push_back({FitToWidth(TerminalSafe(head), width), kAttrUnderline});
    if (f.field.type == sync::FieldType::kBoxes && !f.boxes.boxes().empty()) {
      for (const auto& b : f.boxes.boxes()) {
        AddParagraphs(out,
                      (b.label.empty() ? "-" : b.label) + " x=" + std::to_string(b.x) +
                          " y=" + std::to_string(b.y) + " w=" + std::to_string(b.w) +
                          " h=" + std::to_string(b.h),
                      width, kIndent);
      }
    } else {
      AddParagraphs(out, Summary(f), width, kIndent);
    }
  }
  out.push_back({"", 0});
  if (problems.empty()) {
    out.push_back({FitToWidth(T("No problems found."), width), 0});
  } else {
    for (auto& l : WrapText(T("Not ready to send; fix these first:"), width)) {
      out.push_back({l, kAttrBold});
    }
    for (const auto& p : problems) {
      AddParagraphs(out, "- " + LabelFor(model, p.field) + ": " + ValidationText(p), width, 2);
    }
  }
  if (late.late) {
    out.push_back({"", 0});
    for (auto& l : WrapText(LateWarningText(late), width)) out.push_back({l, kAttrBold});
  }
  return out;
}

}  // namespace mano::client::ui
