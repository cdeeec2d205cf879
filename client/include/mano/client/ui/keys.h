// Keys and key tables. A Key is what the terminal layer decoded (a character or a named
// key); screens never see curses codes. A KeyTable maps keys to actions, htop style: each
// screen declares its table once, the footer and the help screen are generated from it, and
// the same table decides what a key does. Bindings marked `outside_text` do nothing while a
// text field has the focus (there `u` or `?` are just letters).
// Plain values; thread-safe for reading.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mano::client::ui {

enum class KeyCode {
  kNone,
  kChar,  // `ch` holds the code point
  kCtrl,  // `ch` holds the lower-case letter: Ctrl-Z = {kCtrl, 'z'}
  kEnter,
  kEscape,
  kTab,
  kBackTab,
  kUp,
  kDown,
  kLeft,
  kRight,
  kHome,
  kEnd,
  kPageUp,
  kPageDown,
  kBackspace,
  kDelete,
  kF1,
  kResize,
  kF10,
};

struct Key {
  KeyCode code = KeyCode::kNone;
  char32_t ch = 0;
  bool shift = false;  // Shift held with an arrow (where the terminal reports it)

  static Key Char(char32_t c) { return {KeyCode::kChar, c}; }
  static Key Ctrl(char c) { return {KeyCode::kCtrl, static_cast<char32_t>(c)}; }
  static Key Named(KeyCode code) { return {code, 0}; }
  static Key Shifted(KeyCode code) { return {code, 0, true}; }
  bool IsChar(char32_t c) const { return code == KeyCode::kChar && ch == c; }
  bool IsDigit() const { return code == KeyCode::kChar && ch >= U'0' && ch <= U'9'; }
  bool operator==(const Key&) const = default;
};

// "Enter", "Tab", "Ctrl-Z", "?", "é"... (untranslated key names).
std::string KeyName(const Key& key);

enum class Action {
  kNone,
  kQuit,
  kHelp,
  kBack,
  kOpenTask,
  kSubmit,
  kUndo,
  kNextField,
  kPrevField,
  kUp,
  kDown,
  kPageUp,
  kPageDown,
  kOpenMedia,
  kSyncNow,
  kReturnTask,
  kLedger,
  kReview,       // the task's review screen (the one way to send)
  kTakeBack,     // a queued result back to a draft
  kPressButton,  // the focused button of the review screen
  kToggleIdle,   // the ledger screen: count idle time or not
  kPlay,         // the task's audio clip, in the UI with the player
  kStopPlaying,  // ... and stop it
};

struct Binding {
  Key key;
  Action action = Action::kNone;
  const char* help = "";      // untranslated msgid, e.g. "submit"
  bool in_footer = false;     // shown in the screen's key line
  bool outside_text = false;  // ignored while a text field has the focus
};

class KeyTable {
 public:
  KeyTable() = default;
  explicit KeyTable(std::vector<Binding> bindings) : bindings_(std::move(bindings)) {}

  // The action bound to `key`, taking the focus into account; nullopt when none.
  std::optional<Action> Lookup(const Key& key, bool in_text) const;
  const std::vector<Binding>& bindings() const { return bindings_; }

 private:
  std::vector<Binding> bindings_;
};

}  // namespace mano::client::ui
