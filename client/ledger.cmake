# The ledger: active time, pay, rejections and evidence (issue 6). Built into mano_client.
target_sources(mano_client PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/active_time_tracker.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger_format.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/money.cpp
)
target_sources(mano_client PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/evidence_builder.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/evidence_common.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/evidence_verifier.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger_commands.cpp
)
target_sources(mano_client PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src/ledger/ledger_bars.cpp)
