// The UI's names for the client's UTF-8 codec and display-width model
// (mano/client/utf8.h: utf8proc graphemes and widths, no dependence on the locale), and for
// the cleaner every server text goes through before it is drawn
// (mano/client/terminal_text.h). Every screen lays text out through these functions so
// accents, Arabic and emoji never push a line past its width.
#pragma once

#include "mano/client/terminal_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {

using mano::client::CodePointWidth;
using mano::client::DecodeUtf8;
using mano::client::DisplayWidth;
using mano::client::EncodeUtf8;
using mano::client::FitToWidth;
using mano::client::GraphemeBoundaries;
using mano::client::GraphemeWidth;
using mano::client::LineBreaks;
using mano::client::PadToWidth;
using mano::client::TerminalSafe;
using mano::client::WrapText;

}  // namespace mano::client::ui
