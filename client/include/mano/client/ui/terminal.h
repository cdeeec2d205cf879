// Terminal: what the ScreenManager needs from the real terminal — a Canvas to draw on, keys
// decoded into Key values without blocking, the input file descriptor to poll, and a way to
// push the drawn frame out. CursesTerminal (curses_terminal.cpp, the one file that includes
// the curses header) is the real one: ncursesw, raw keys, no colour, A_BOLD / A_REVERSE only.
// Not thread-safe: the UI thread owns it.
#pragma once

#include <memory>
#include <optional>

#include "mano/client/ui/canvas.h"
#include "mano/client/ui/keys.h"

namespace mano::client::ui {

class Terminal {
 public:
  virtual ~Terminal() = default;
  virtual Canvas& canvas() = 0;
  // The next decoded key, or nullopt when none is waiting (never blocks).
  virtual std::optional<Key> ReadKey() = 0;
  virtual int input_fd() const = 0;
  // Sends what was drawn since the last Present (only the differences).
  virtual void Present() = 0;
  // After KEY_RESIZE: re-reads the size.
  virtual void Resized() = 0;
  // Hands the terminal to another program (a text browser) and takes it back: Suspend ends
  // curses (the shell's mode restored), Resume restores the UI's mode and repaints it all on
  // the next Present.
  virtual void Suspend() {}
  virtual void Resume() {}
};

// Starts curses on the controlling terminal; restores the terminal in its destructor (also
// when unwinding after an exception). Throws std::runtime_error when there is no terminal.
std::unique_ptr<Terminal> OpenCursesTerminal();

}  // namespace mano::client::ui
