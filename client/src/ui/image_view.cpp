#include "mano/client/ui/image_view.h"

#include <chafa.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "mano/client/utf8.h"

namespace mano::client::ui {
namespace {

struct ChafaFree {
  void operator()(ChafaSymbolMap* p) const { chafa_symbol_map_unref(p); }
  void operator()(ChafaCanvasConfig* p) const { chafa_canvas_config_unref(p); }
  void operator()(ChafaCanvas* p) const { chafa_canvas_unref(p); }
  void operator()(ChafaTermInfo* p) const { chafa_term_info_unref(p); }
  void operator()(GString* p) const { g_string_free(p, TRUE); }
};

const char* EnvValue(char** envp, const char* name) {
  size_t n = std::strlen(name);
  for (char** e = envp; e && *e; ++e) {
    if (std::strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  }
  return nullptr;
}

}  // namespace

Picture RenderPicture(const Image& image, int max_cols, int max_rows) {
  Picture out;
  if (image.width <= 0 || image.height <= 0 || max_cols <= 0 || max_rows <= 0 ||
      image.rgba.size() != static_cast<size_t>(image.width * image.height * 4)) {
    return out;
  }
  gint cols = max_cols, rows = max_rows;
  chafa_calc_canvas_geometry(static_cast<gint>(image.width), static_cast<gint>(image.height), &cols,
                             &rows, 0.5f, TRUE, FALSE);
  cols = std::clamp<gint>(cols, 1, max_cols);
  rows = std::clamp<gint>(rows, 1, max_rows);
  std::unique_ptr<ChafaSymbolMap, ChafaFree> map(chafa_symbol_map_new());
  chafa_symbol_map_add_by_tags(
      map.get(), static_cast<ChafaSymbolTags>(CHAFA_SYMBOL_TAG_SPACE | CHAFA_SYMBOL_TAG_SOLID |
                                              CHAFA_SYMBOL_TAG_HALF | CHAFA_SYMBOL_TAG_STIPPLE));
  std::unique_ptr<ChafaCanvasConfig, ChafaFree> config(chafa_canvas_config_new());
  chafa_canvas_config_set_canvas_mode(config.get(), CHAFA_CANVAS_MODE_FGBG);
  chafa_canvas_config_set_geometry(config.get(), cols, rows);
  chafa_canvas_config_set_symbol_map(config.get(), map.get());
  chafa_canvas_config_set_dither_mode(config.get(), CHAFA_DITHER_MODE_NONE);
  std::unique_ptr<ChafaCanvas, ChafaFree> canvas(chafa_canvas_new(config.get()));
  chafa_canvas_draw_all_pixels(canvas.get(), CHAFA_PIXEL_RGBA8_UNASSOCIATED, image.rgba.data(),
                               static_cast<gint>(image.width), static_cast<gint>(image.height),
                               static_cast<gint>(image.width * 4));
  out.cols = cols;
  out.rows = rows;
  out.cells.assign(static_cast<size_t>(rows), std::vector<std::string>(cols, " "));
  for (gint y = 0; y < rows; ++y) {
    for (gint x = 0; x < cols; ++x) {
      gunichar c = chafa_canvas_get_char_at(canvas.get(), x, y);
      out.cells[y][x] = EncodeUtf8(std::u32string(1, static_cast<char32_t>(c)));
    }
  }
  return out;
}

PixelMode ChoosePixelMode(const std::string& setting, char** envp) {
  if (setting == "symbols") return PixelMode::kSymbols;
  if (setting == "sixel") return PixelMode::kSixel;
  if (setting == "kitty") return PixelMode::kKitty;
  const char* no_color = EnvValue(envp, "NO_COLOR");
  const char* term = EnvValue(envp, "TERM");
  if ((no_color && *no_color) || !term || std::strcmp(term, "linux") == 0) {
    return PixelMode::kSymbols;
  }
  std::unique_ptr<ChafaTermInfo, ChafaFree> info(
      chafa_term_db_detect(chafa_term_db_get_default(), envp));
  if (!info) return PixelMode::kSymbols;
  if (chafa_term_info_have_seq(info.get(), CHAFA_TERM_SEQ_BEGIN_KITTY_IMMEDIATE_IMAGE_V1)) {
    return PixelMode::kKitty;
  }
  if (chafa_term_info_have_seq(info.get(), CHAFA_TERM_SEQ_BEGIN_SIXELS)) return PixelMode::kSixel;
  return PixelMode::kSymbols;
}

std::string RenderPixels(const Image& image, int cols, int rows, PixelMode mode, int cell_w,
                         int cell_h) {
  if (mode == PixelMode::kSymbols || image.width <= 0 || image.height <= 0 || cols <= 0 ||
      rows <= 0 || image.rgba.size() != static_cast<size_t>(image.width * image.height * 4)) {
    return {};
  }
  std::unique_ptr<ChafaCanvasConfig, ChafaFree> config(chafa_canvas_config_new());
  chafa_canvas_config_set_canvas_mode(config.get(), CHAFA_CANVAS_MODE_TRUECOLOR);
  chafa_canvas_config_set_pixel_mode(
      config.get(), mode == PixelMode::kKitty ? CHAFA_PIXEL_MODE_KITTY : CHAFA_PIXEL_MODE_SIXELS);
  chafa_canvas_config_set_cell_geometry(config.get(), std::max(1, cell_w), std::max(1, cell_h));
  chafa_canvas_config_set_geometry(config.get(), cols, rows);
  std::unique_ptr<ChafaCanvas, ChafaFree> canvas(chafa_canvas_new(config.get()));
  chafa_canvas_draw_all_pixels(canvas.get(), CHAFA_PIXEL_RGBA8_UNASSOCIATED, image.rgba.data(),
                               static_cast<gint>(image.width), static_cast<gint>(image.height),
                               static_cast<gint>(image.width * 4));
  // The sequences themselves come from chafa's fallback terminal (every protocol it knows):
  // the mode has been chosen already, maybe forced by the config.
  ChafaTermDb* db = chafa_term_db_get_default();
  std::unique_ptr<ChafaTermInfo, ChafaFree> info(chafa_term_db_get_fallback_info(db));
  std::unique_ptr<GString, ChafaFree> printed(chafa_canvas_print(canvas.get(), info.get()));
  if (!printed) return {};
  return std::string(printed->str, printed->len);
}

Image ScaleDown(const Image& image, int64_t max_w, int64_t max_h) {
  if (image.width <= 0 || image.height <= 0 || max_w <= 0 || max_h <= 0) return {};
  if (image.width <= max_w && image.height <= max_h) return image;
  // The same factor on both axes, so the proportions hold.
  int64_t w = max_w, h = image.height * max_w / image.width;
  if (h > max_h) {
    h = max_h;
    w = image.width * max_h / image.height;
  }
  w = std::max<int64_t>(1, w);
  h = std::max<int64_t>(1, h);
  Image out;
  out.width = w;
  out.height = h;
  out.rgba.resize(static_cast<size_t>(w * h * 4));
  for (int64_t y = 0; y < h; ++y) {
    int64_t sy = y * image.height / h;
    for (int64_t x = 0; x < w; ++x) {
      int64_t sx = x * image.width / w;
      std::memcpy(&out.rgba[static_cast<size_t>((y * w + x) * 4)],
                  &image.rgba[static_cast<size_t>((sy * image.width + sx) * 4)], 4);
    }
  }
  return out;
}

void CellPixels(int fd, int& cell_w, int& cell_h) {
  cell_w = 10;
  cell_h = 20;
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0 && ws.ws_xpixel > 0 &&
      ws.ws_ypixel > 0) {
    cell_w = std::max(1, ws.ws_xpixel / ws.ws_col);
    cell_h = std::max(1, ws.ws_ypixel / ws.ws_row);
  }
}

}  // namespace mano::client::ui
