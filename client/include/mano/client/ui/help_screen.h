// HelpScreen (`?` or F1): every key of the screen it was opened from, generated from that
// screen's key table (so help can never disagree with what the keys do), plus the keys that
// work everywhere. Esc or q goes back. Not thread-safe (UI thread).
#pragma once

#include <string>
#include <vector>

#include "mano/client/ui/screen.h"

namespace mano::client::ui {

class HelpScreen final : public Screen {
 public:
  // `extra`: more lines to show under the table (e.g. the box editor's keys).
  HelpScreen(const KeyTable& of, std::string of_title, std::vector<std::string> extra = {});

  std::string Title() const override;
  const KeyTable& keys() const override;
  void Draw(Canvas& canvas, int top, int rows) override;
  Outcome HandleKey(const Key& key) override;

 private:
  std::vector<std::string> lines_;
  std::string of_title_;
  int scroll_ = 0;
};

// What a screen's help key returns: HelpScreen over `of` (its keys and title) with `extra`.
Outcome OpenHelp(const Screen& of, std::vector<std::string> extra = {});

// The keys of a read-only scrolling page (help, ledger): Esc, q or ? back; Up/Down scroll.
const KeyTable& ScrollPageKeys();
// Handles those keys, moving `scroll` (the page's Draw clamps it to the last page).
Outcome HandleScrollPageKey(const Key& key, int& scroll);

// The footer for a table: "Enter open · s sync now · ? help · q quit" (translated), only
// bindings marked in_footer and usable with the current focus.
std::string FooterFor(const KeyTable& table, bool in_text);

}  // namespace mano::client::ui
