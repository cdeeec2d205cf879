// The only file that includes the curses header (htop's rule): everything else sees Canvas,
// Key and Terminal.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "mano/client/terminal_text.h"
#include "mano/client/ui/terminal.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {
namespace {

// The shell's terminal mode, put back at process exit. Between endwin and exit (tearing down
// threads and libraries) echo stays off, so keys typed while mano quits are neither echoed
// over its last screen nor left for the shell: they are dropped when the mode is restored.
termios g_exit_mode{};
bool g_exit_mode_saved = false;

void RestoreModeAtExit() {
  ::tcflush(STDIN_FILENO, TCIFLUSH);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &g_exit_mode);
}

struct Graphic {
  int row = 0, col = 0;
  std::string bytes;
  bool kitty = false;
  bool operator==(const Graphic& o) const {
    return row == o.row && col == o.col && kitty == o.kitty && bytes == o.bytes;
  }
};

class CursesCanvas final : public Canvas {
 public:
  int rows() const override { return LINES; }
  int cols() const override { return COLS; }
  void Clear() override {
    erase();
    cursor_visible_ = false;
    graphic_ = {};
  }
  void SetGraphic(int row, int col, std::string bytes, bool kitty) override {
    graphic_ = {row, col, std::move(bytes), kitty};
  }
  const Graphic& graphic() const { return graphic_; }
  int Put(int row, int col, std::string_view text, unsigned attrs) override {
    if (row < 0 || row >= LINES || col < 0 || col >= COLS) return 0;
    std::string fitted = FitToWidth(TerminalSafe(text), COLS - col, false);
    std::u32string cps = DecodeUtf8(fitted);
    std::wstring wide(cps.begin(), cps.end());
    attr_t a = A_NORMAL;
    if (attrs & kAttrBold) a |= A_BOLD;
    if (attrs & kAttrReverse) a |= A_REVERSE;
    if (attrs & kAttrUnderline) a |= A_UNDERLINE;
    attrset(a);
    mvaddnwstr(row, col, wide.c_str(), static_cast<int>(wide.size()));
    attrset(A_NORMAL);
    return DisplayWidth(fitted);
  }
  void SetCursor(int row, int col, bool visible) override {
    cursor_row_ = row;
    cursor_col_ = col;
    cursor_visible_ = visible;
  }
  void Finish() {
    curs_set(cursor_visible_ ? 1 : 0);
    if (cursor_visible_) move(cursor_row_, cursor_col_);
  }

 private:
  int cursor_row_ = 0, cursor_col_ = 0;
  bool cursor_visible_ = false;
  Graphic graphic_;
};

// Writes all of `bytes` to the terminal (a picture's escape sequences), past EINTR and
// short writes.
void WriteAll(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

class CursesTerminal final : public Terminal {
 public:
  CursesTerminal() {
    if (!::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO)) {
      throw std::runtime_error("the terminal UI needs a terminal");
    }
    // A mano killed outright (SIGKILL) leaves the terminal raw and silent; curses would
    // take that as the mode to restore on exit. Start from a sane line mode instead.
    termios mode{};
    if (::tcgetattr(STDIN_FILENO, &mode) == 0 &&
        (mode.c_lflag & (ECHO | ICANON | ISIG)) != (ECHO | ICANON | ISIG)) {
      mode.c_lflag |= ECHO | ECHOE | ECHOK | ICANON | ISIG | IEXTEN;
      mode.c_iflag |= ICRNL | IXON;
      mode.c_oflag |= OPOST | ONLCR;
      ::tcsetattr(STDIN_FILENO, TCSANOW, &mode);
    }
    set_escdelay(25);
    if (initscr() == nullptr) throw std::runtime_error("cannot start the terminal UI");
    clearok(curscr, TRUE);  // the first frame repaints everything, whatever was left on screen
    raw();                  // Ctrl-Z, Ctrl-C, Ctrl-O arrive as keys (the UI saves before quitting)
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, FALSE);
  }
  ~CursesTerminal() override {
    if (shown_.kitty && !shown_.bytes.empty())
      WriteAll("\x1b_Ga=d\x1b\\");  // not left on the shell
    flushinp();                     // keys typed while quitting do not spill into the shell
    endwin();
    termios mode{};
    if (::tcgetattr(STDIN_FILENO, &mode) != 0) return;
    g_exit_mode = mode;
    if (!g_exit_mode_saved) {
      g_exit_mode_saved = true;
      std::atexit(RestoreModeAtExit);
    }
    mode.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &mode);
  }

  Canvas& canvas() override { return canvas_; }
  int input_fd() const override { return STDIN_FILENO; }

  std::optional<Key> ReadKey() override {
    wint_t ch = 0;
    int kind = get_wch(&ch);
    if (kind == ERR) return std::nullopt;
    if (kind == KEY_CODE_YES) return Special(static_cast<int>(ch));
    switch (ch) {
      case L'\r':
      case L'\n':
        return Key::Named(KeyCode::kEnter);
      case L'\t':
        return Key::Named(KeyCode::kTab);
      case 27:
        return Key::Named(KeyCode::kEscape);
      case 127:
      case 8:
        return Key::Named(KeyCode::kBackspace);
      default:
        break;
    }
    if (ch >= 1 && ch <= 26) return Key::Ctrl(static_cast<char>('a' + ch - 1));
    if (ch < 32) return Key{};
    return Key::Char(static_cast<char32_t>(ch));
  }

  void Present() override {
    canvas_.Finish();
    const Graphic& now = canvas_.graphic();
    bool changed = !(now == shown_);
    if (changed && !shown_.bytes.empty()) {
      // Take the old picture away: kitty deletes its placements; sixel pixels go when the
      // cells are painted again, so the whole screen is.
      if (shown_.kitty) {
        WriteAll("\x1b_Ga=d\x1b\\");
      } else {
        clearok(curscr, TRUE);
      }
    }
    refresh();
    if (changed && !now.bytes.empty()) {
      // Over the text just written: save the cursor, go to the picture's cell, draw, and put
      // the cursor back where curses left it.
      char go[32];
      std::snprintf(go, sizeof go, "\x1b" "7\x1b[%d;%dH", now.row + 1, now.col + 1);
      WriteAll(go + now.bytes + "\x1b" "8");
    }
    shown_ = now;
  }

  void Suspend() override {
    if (shown_.kitty && !shown_.bytes.empty()) WriteAll("\x1b_Ga=d\x1b\\");
    shown_ = {};
    def_prog_mode();
    endwin();
  }

  void Resume() override {
    reset_prog_mode();
    clearok(curscr, TRUE);  // whatever the other program left is painted over
    refresh();
  }

  void Resized() override {
    // ncurses has already updated LINES/COLS when it returned KEY_RESIZE.
    erase();
    if (shown_.kitty && !shown_.bytes.empty()) WriteAll("\x1b_Ga=d\x1b\\");
    shown_ = {};  // drawn again where the new layout puts it
  }

 private:
  static Key Special(int code) {
    switch (code) {
      case KEY_ENTER:
        return Key::Named(KeyCode::kEnter);
      case KEY_BTAB:
        return Key::Named(KeyCode::kBackTab);
      case KEY_UP:
        return Key::Named(KeyCode::kUp);
      case KEY_DOWN:
        return Key::Named(KeyCode::kDown);
      case KEY_LEFT:
        return Key::Named(KeyCode::kLeft);
      case KEY_RIGHT:
        return Key::Named(KeyCode::kRight);
      // Shift-arrows (xterm and most terminal windows; a Linux console has none).
      case KEY_SR:
        return Key::Shifted(KeyCode::kUp);
      case KEY_SF:
        return Key::Shifted(KeyCode::kDown);
      case KEY_SLEFT:
        return Key::Shifted(KeyCode::kLeft);
      case KEY_SRIGHT:
        return Key::Shifted(KeyCode::kRight);
      case KEY_HOME:
        return Key::Named(KeyCode::kHome);
      case KEY_END:
        return Key::Named(KeyCode::kEnd);
      case KEY_PPAGE:
        return Key::Named(KeyCode::kPageUp);
      case KEY_NPAGE:
        return Key::Named(KeyCode::kPageDown);
      case KEY_BACKSPACE:
        return Key::Named(KeyCode::kBackspace);
      case KEY_DC:
        return Key::Named(KeyCode::kDelete);
      case KEY_F(1):
        return Key::Named(KeyCode::kF1);
      case KEY_F(10):
        return Key::Named(KeyCode::kF10);
      case KEY_RESIZE:
        return Key::Named(KeyCode::kResize);
      default:
        return Key{};
    }
  }

  CursesCanvas canvas_;
  Graphic shown_;  // the picture on the terminal now
};

}  // namespace

std::unique_ptr<Terminal> OpenCursesTerminal() { return std::make_unique<CursesTerminal>(); }

}  // namespace mano::client::ui
