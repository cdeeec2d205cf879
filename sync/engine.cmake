# Engine piece of mano_sync: libcurl transport, backoff, batch sizing, data budget,
# network watcher and the sync engine. Included by sync/CMakeLists.txt.
target_sources(mano_sync PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/http_request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/curl_transport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/curl_share.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/transfer_cancel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/backoff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/batch_sizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/data_budget.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/net_watcher.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server_api.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/result_builder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/assignment_outcome.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/account_pass.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/anchor_sender.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/asset_fetcher.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/asset_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/claimer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/event_applier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/lease_expiry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/outbox_sender.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/pass_progress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/receipt_applier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/tus_uploader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/asset_room.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dict_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/sync_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/report_note.cpp
)
