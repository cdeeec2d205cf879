# The terminal UI (issue 5): library mano_ui, linked into mano_client. The pure models
# (text editing, forms, box editor, autosave, layout) build without curses; exactly one
# file, src/ui/curses_terminal.cpp, includes the curses header.
mano_library(mano_ui STATIC ALIAS mano::ui HEADERS include SOURCES
  src/ui/text_edit.cpp
  src/ui/box_editor.cpp
  src/ui/image_loader.cpp
  src/ui/image_view.cpp
  src/ui/keys.cpp
  src/ui/form_model.cpp
  src/ui/autosave.cpp
  src/ui/canvas.cpp
  src/ui/ui_text.cpp
  src/ui/status_line.cpp
  src/ui/media_opener.cpp
  src/ui/audio_duration.cpp
  src/ui/clip_player.cpp
  src/ui/spawn.cpp
  src/ui/task_layout.cpp
  src/ui/review_layout.cpp
  src/ui/queue_screen.cpp
  src/ui/task_screen.cpp
  src/ui/task_screen_media.cpp
  src/ui/task_lock.cpp
  src/ui/help_screen.cpp
  src/ui/ledger_screen.cpp
  src/ui/resume.cpp
  src/ui/screen_manager.cpp
  src/ui/background_sync.cpp
  src/ui/curses_terminal.cpp
  src/ui/terminal_ui.cpp
)
target_include_directories(mano_ui PRIVATE ${CURSES_INCLUDE_DIRS})
target_link_libraries(mano_ui PUBLIC mano_client_base mano::sync mano::storage Threads::Threads
  PRIVATE ${CURSES_LIBRARIES})
# Pictures in the terminal (issue 16): chafa draws, libpng and libjpeg-turbo decode.
pkg_check_modules(CHAFA REQUIRED IMPORTED_TARGET chafa)
pkg_check_modules(LIBPNG REQUIRED IMPORTED_TARGET libpng)
pkg_check_modules(LIBJPEG REQUIRED IMPORTED_TARGET libjpeg)
target_link_libraries(mano_ui PRIVATE PkgConfig::CHAFA PkgConfig::LIBPNG PkgConfig::LIBJPEG)
target_link_libraries(mano_client PUBLIC mano_ui)

# The UI's own translations: text domain "mano-ui", next to the command line's "mano", in
# the same languages (mano_catalogs is defined in client/CMakeLists.txt).
mano_catalogs(mano_ui_translations mano-ui ${CMAKE_CURRENT_LIST_DIR}/src/ui/po ${MANO_LANGUAGES})
add_dependencies(mano mano_ui_translations)
