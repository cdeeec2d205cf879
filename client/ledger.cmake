# The ledger: active time, pay, rejections and evidence (issue 6). Built into mano_client.
# The core (tracker, computation, bars) goes into mano_ui: the terminal UI measures work
# time and shows the ledger screen; mano_client links mano_ui publicly.
target_sources(mano_ui PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/work_time.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/work_time_tracker.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger_format.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/money.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger_bars.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/requester_report.cpp
)
target_sources(mano_client PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/evidence_builder.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/evidence_common.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/evidence_verifier.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger_commands.cpp
)
