# Protocol half of mano::sync: error type, wire messages, forms, validation, codec, signing,
# presets and the task import format. Shared by the client and by manod.
set(mano_protocol_sources
  ${CMAKE_CURRENT_LIST_DIR}/src/sync_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/json_util.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/jcs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/crypto_util.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/form.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/answer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/answer_handler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/validate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/messages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/sync_exchange.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/receipt_signer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/receipt_batch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/zstd_dictionary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/zstd_stream_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/task_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/presets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/csv_cell.cpp
)
target_sources(mano_sync PRIVATE ${mano_protocol_sources})
# tests/fuzz compiles these into instrumented libFuzzer binaries.
set_property(GLOBAL PROPERTY MANO_PROTOCOL_SOURCES ${mano_protocol_sources})
