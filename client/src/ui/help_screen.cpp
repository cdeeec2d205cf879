#include "mano/client/ui/help_screen.h"

#include <algorithm>
#include <set>

#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {

Outcome OpenHelp(const Screen& of, std::vector<std::string> extra) {
  return {kHandled | kRedraw,
          std::make_unique<HelpScreen>(of.keys(), of.Title(), std::move(extra))};
}

HelpScreen::HelpScreen(const KeyTable& of, std::string of_title, std::vector<std::string> extra)
    : of_title_(std::move(of_title)) {
  lines_.push_back(TF("Keys on the {0} screen:", {of_title_}));
  std::set<std::string> seen;
  for (const auto& b : of.bindings()) {
    std::string name = KeyName(b.key);
    std::string help = T(b.help);
    if (!seen.insert(name + help).second) continue;
    std::string line = "  " + PadToWidth(name, 12) + help;
    if (b.outside_text) line += " " + std::string(T("(not while typing in a text field)"));
    lines_.push_back(line);
  }
  for (auto& e : extra) lines_.push_back(std::move(e));
  lines_.push_back("");
  lines_.push_back(T("Everywhere:"));
  lines_.push_back("  " + PadToWidth("Ctrl-C", 12) + T("save and quit"));
  lines_.push_back("  " + PadToWidth("Esc", 12) + T("back"));
  lines_.push_back("");
  lines_.push_back(T("Drafts are saved by themselves within half a second."));
  lines_.push_back(T("Work is sent in the background whenever a server can be reached."));
}

std::string HelpScreen::Title() const { return T("Help"); }

const KeyTable& HelpScreen::keys() const { return ScrollPageKeys(); }

const KeyTable& ScrollPageKeys() {
  static const KeyTable table({
      {Key::Named(KeyCode::kEscape), Action::kBack, "back", true, false},
      {Key::Char(U'q'), Action::kBack, "back", false, false},
      {Key::Char(U'?'), Action::kBack, "back", false, false},
      {Key::Named(KeyCode::kUp), Action::kUp, "scroll", false, false},
      {Key::Named(KeyCode::kDown), Action::kDown, "scroll", true, false},
  });
  return table;
}

void HelpScreen::Draw(Canvas& canvas, int top, int rows) {
  int n = static_cast<int>(lines_.size());
  if (scroll_ > n - rows) scroll_ = std::max(0, n - rows);
  for (int i = 0; i < rows && scroll_ + i < n; ++i) {
    canvas.Put(top + i, 1, FitToWidth(lines_[scroll_ + i], canvas.cols() - 2),
               scroll_ + i == 0 ? kAttrBold : kAttrNormal);
  }
}

Outcome HelpScreen::HandleKey(const Key& key) { return HandleScrollPageKey(key, scroll_); }

Outcome HandleScrollPageKey(const Key& key, int& scroll) {
  auto action = ScrollPageKeys().Lookup(key, false);
  if (!action) return {};
  switch (*action) {
    case Action::kBack:
      return {kHandled | kPop | kRedraw, nullptr};
    case Action::kUp:
      if (scroll > 0) --scroll;
      return {kHandled | kRedraw, nullptr};
    case Action::kDown:
      ++scroll;
      return {kHandled | kRedraw, nullptr};
    default:
      return {};
  }
}

std::string FooterFor(const KeyTable& table, bool in_text) {
  std::string out;
  for (const auto& b : table.bindings()) {
    if (!b.in_footer || (in_text && b.outside_text)) continue;
    if (!out.empty()) out += " · ";
    out += KeyName(b.key) + " " + T(b.help);
  }
  return out;
}

}  // namespace mano::client::ui
