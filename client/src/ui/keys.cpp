#include "mano/client/ui/keys.h"

#include "mano/client/utf8.h"

namespace mano::client::ui {

std::string KeyName(const Key& key) {
  switch (key.code) {
    case KeyCode::kChar:
      if (key.ch == U' ') return "Space";
      return EncodeUtf8(key.ch);
    case KeyCode::kCtrl:
      return std::string("Ctrl-") + static_cast<char>(key.ch - U'a' + U'A');
    case KeyCode::kEnter:
      return "Enter";
    case KeyCode::kEscape:
      return "Esc";
    case KeyCode::kTab:
      return "Tab";
    case KeyCode::kBackTab:
      return "Shift-Tab";
    case KeyCode::kUp:
      return "Up";
    case KeyCode::kDown:
      return "Down";
    case KeyCode::kLeft:
      return "Left";
    case KeyCode::kRight:
      return "Right";
    case KeyCode::kHome:
      return "Home";
    case KeyCode::kEnd:
      return "End";
    case KeyCode::kPageUp:
      return "PgUp";
    case KeyCode::kPageDown:
      return "PgDn";
    case KeyCode::kBackspace:
      return "Backspace";
    case KeyCode::kDelete:
      return "Del";
    case KeyCode::kF1:
      return "F1";
    case KeyCode::kF10:
      return "F10";
    case KeyCode::kResize:
    case KeyCode::kNone:
      break;
  }
  return "";
}

std::optional<Action> KeyTable::Lookup(const Key& key, bool in_text) const {
  for (const auto& b : bindings_) {
    if (b.key == key && !(in_text && b.outside_text)) return b.action;
  }
  return std::nullopt;
}

}  // namespace mano::client::ui
