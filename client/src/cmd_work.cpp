// mano claim, list, show, answer, undo, submit, unsubmit, return: the work on assignments.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

#include "mano/client/assignment_view.h"
#include "mano/client/commands.h"
#include "mano/client/field_value.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/work_time.h"
#include "mano/client/state_text.h"
#include "mano/client/sync_text.h"
#include "mano/client/terminal_text.h"
#include "mano/client/time_format.h"
#include "mano/sync/assignment_outcome.h"
#include "mano/sync/limits.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/validate.h"

namespace mano::client {
namespace {

std::string ReadAll(const std::string& file) {
  if (file == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw CliError(ExitCode::kUsage,
                   TrFormat("Cannot read {0}: {1}.", {file, std::strerror(errno)}));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Describe(const std::vector<sync::ValidationError>& errors) {
  return ValidationSummary(errors);
}

sync::Form FormOf(const storage::Assignment& a) { return sync::ServerAssignmentOf(a).form; }

// Work time (ledger/work_time.h): the worker is on this task from now, when it is still hers
// to work on. Best effort: a disk too full for the mark does not stop her reading the task.
void MarkOnTask(storage::Store& store, const storage::Assignment& a) {
  if (!IsEditable(a.state)) return;
  try {
    ledger::WriteFocusMark(store, {ledger::FocusOn::kTask, a.account, a.id}, "cli");
  } catch (const storage::StoreError&) {
  }
}

void RequireEditable(const storage::Assignment& a) {
  if (!IsEditable(a.state))
    throw CliError(ExitCode::kUsage,
                   TrFormat("Assignment {0} is {1} and can no longer be changed.",
                            {std::to_string(a.id), StateName(storage::ToString(a.state))}));
}

std::string ResolveAccount(storage::Store& store, const std::string& wanted) {
  auto accounts = store.ListAccounts();
  if (!wanted.empty()) {
    for (const auto& a : accounts)
      if (a.name == wanted) return wanted;
    throw CliError(ExitCode::kUsage,
                   TrFormat("There is no account '{0}' (see mano accounts).", {wanted}));
  }
  if (accounts.empty())
    throw CliError(ExitCode::kUsage, Tr("There is no account yet: run mano login first."));
  if (accounts.size() > 1)
    throw CliError(ExitCode::kUsage,
                   Tr("There are several accounts: choose one with --account NAME."));
  return accounts.front().name;
}

// The draft with the --json file and --set values applied; throws CliError on bad input.
sync::Answer ApplyAnswerArgs(const AnswerArgs& args, const sync::Form& form, sync::Answer draft) {
  if (!args.json_file.empty()) {
    sync::Answer given;
    try {
      given = sync::Answer::FromJson(ReadAll(args.json_file));
    } catch (const sync::SyncError& e) {
      throw CliError(
          ExitCode::kValidation,
          TrFormat("The answer file {0} is not a valid answer: {1}", {args.json_file, e.what()}));
    }
    for (const auto& [name, value] : given.values()) draft.Set(name, value);
  }
  for (const auto& set : args.sets) {
    auto [name, text] = SplitAssignment(set);
    const sync::Field* field = form.FindField(name);
    if (!field)
      throw CliError(
          ExitCode::kValidation,
          TrFormat("This task has no field '{0}' (see mano show {1}).", {name, args.id}));
    if (auto value = ParseFieldValue(*field, text))
      draft.Set(name, std::move(*value));
    else
      draft.Erase(name);
  }
  // A draft may still lack required fields; every other rule applies already.
  std::vector<sync::ValidationError> problems;
  for (auto& e : sync::Validate(form, draft))
    if (e.code != sync::ValidationCode::kRequired) problems.push_back(std::move(e));
  if (!problems.empty())
    throw CliError(ExitCode::kValidation,
                   TrFormat("The answer was not saved: {0}.", {Describe(problems)}));
  return draft;
}

}  // namespace

ExitCode CmdClaim(const CliContext& ctx, const ClaimArgs& args) {
  if (args.count < 1) throw CliError(ExitCode::kUsage, Tr("--count must be 1 or more."));
  std::string account;
  {
    storage::Store store = ctx.OpenStore();
    account = ResolveAccount(store, args.account);
    // Looking for work: "searching" until the worker opens a task.
    try {
      ledger::WriteFocusMark(store, {ledger::FocusOn::kSearch, account, std::nullopt}, "cli");
    } catch (const storage::StoreError&) {
    }
  }
  std::vector<std::string> kinds = args.kinds.empty() ? ctx.config.kinds : args.kinds;
  sync::SyncEngine engine(ctx.data_dir, ctx.EngineOptionsFor(nullptr));
  std::vector<int64_t> ids = engine.Claim(account, args.count, kinds);
  if (ids.empty()) {
    *ctx.out << Tr("The server has no work to hand out right now.") << "\n";
    return ExitCode::kOk;
  }
  // Fetch the new tasks' assets now, while the link is there (best effort: the work is
  // claimed either way, and the next sync retries what is missing).
  try {
    for (const auto& report : engine.RunPass(true, account).accounts)
      PrintAssetRefusals(ctx, engine.store(), report);
  } catch (const std::exception&) {
  }
  storage::ListingQuery claimed;
  claimed.ids = ids;
  *ctx.out << AssignmentTable(engine.store().ListAssignmentSummaries(claimed).rows);
  return ExitCode::kOk;
}

ExitCode CmdList(const CliContext& ctx, bool json) {
  // The lean listing: no task payload is loaded (10,000 cached tasks stay cheap).
  storage::Store store = ctx.OpenStore();
  if (WriteAssignmentList(*ctx.out, store, json) == 0 && !json)
    *ctx.out << Tr("No assignments yet: claim some with mano claim.") << "\n";
  return ExitCode::kOk;
}

ExitCode CmdShow(const CliContext& ctx, const std::string& id, bool json) {
  storage::Store store = ctx.OpenStore();
  storage::Assignment a = FindAssignmentOrThrow(store, id);
  MarkOnTask(store, a);
  *ctx.out << (json ? JsonForTerminal(AssignmentDetailJson(store, a)) + "\n"
                    : AssignmentDetailText(store, a));
  return ExitCode::kOk;
}

ExitCode CmdAnswer(const CliContext& ctx, const AnswerArgs& args) {
  if (args.sets.empty() && args.json_file.empty())
    throw CliError(ExitCode::kUsage, Tr("Give at least one --set FIELD=VALUE or --json FILE."));
  storage::Store store = ctx.OpenStore();
  storage::Assignment a = FindAssignmentOrThrow(store, args.id);
  RequireEditable(a);
  MarkOnTask(store, a);
  sync::Form form = FormOf(a);
  // Compare-and-set: the changes land only on the version read here; when another window
  // saved in between, read again and apply them on top of that (nothing is overwritten).
  for (int attempt = 0;; ++attempt) {
    auto latest = store.LatestCheckpoint(a.id);
    int64_t base = latest ? latest->version : 0;
    sync::Answer read;
    if (latest && !latest->content.empty())
      read = sync::Answer::FromJson(latest->content, latest->content.size());
    sync::Answer draft = ApplyAnswerArgs(args, form, std::move(read));
    storage::SaveResult saved =
        store.SaveCheckpoint(a.id, draft.ToJson(), "", base, storage::OnConflict::kRefuse);
    if (saved.conflict && attempt < 10) continue;
    if (saved.conflict)
      throw CliError(ExitCode::kOther,
                     TrFormat("The draft of assignment {0} keeps changing in another window; "
                              "nothing was saved. Try again.",
                              {std::to_string(a.id)}));
    if (a.state == storage::AssignmentState::kClaimed)
      store.SetState(a.id, storage::AssignmentState::kInProgress, "answer");
    *ctx.out << TrFormat("Draft of assignment {0} saved (version {1}).",
                         {std::to_string(a.id), std::to_string(saved.version)})
             << "\n";
    return ExitCode::kOk;
  }
}

ExitCode CmdUndo(const CliContext& ctx, const std::string& id) {
  storage::Store store = ctx.OpenStore();
  storage::Assignment a = FindAssignmentOrThrow(store, id);
  RequireEditable(a);
  MarkOnTask(store, a);
  auto restored = store.UndoCheckpoint(a.id);
  if (!restored)
    throw CliError(ExitCode::kOther,
                   TrFormat("Assignment {0} has no older version to go back to.", {id}));
  *ctx.out << TrFormat(
                  "Draft of assignment {0} is back to version {1} (saved as version {2}).",
                  {id, std::to_string(restored->restored_from), std::to_string(restored->version)})
           << "\n";
  return ExitCode::kOk;
}

ExitCode CmdSubmit(const CliContext& ctx, const std::string& id) {
  storage::Store store = ctx.OpenStore();
  storage::Assignment a = FindAssignmentOrThrow(store, id);
  if (!IsEditable(a.state)) {
    if (a.state == storage::AssignmentState::kQueued || sync::IsAcceptedState(a.state)) {
      *ctx.out << TrFormat("Assignment {0} was already submitted ({1}).",
                           {id, StateName(storage::ToString(a.state))})
               << "\n";
      return ExitCode::kOk;
    }
    RequireEditable(a);
  }
  sync::Answer draft = DraftOf(store, a.id);
  auto problems = sync::Validate(FormOf(a), draft);
  if (!problems.empty())
    throw CliError(ExitCode::kValidation, TrFormat("Assignment {0} cannot be submitted yet: {1}.",
                                                   {id, Describe(problems)}));
  if (std::string warning = LateWarningText(sync::LateOutlookFor(store, a)); !warning.empty())
    *ctx.err << "mano: " << warning << "\n";
  try {
    sync::QueueResult(store, a.id, draft);
  } catch (const sync::SyncError& e) {
    if (e.kind() == sync::SyncErrorKind::kBadMessage)
      throw CliError(ExitCode::kValidation,
                     TrFormat("Assignment {0} cannot be submitted yet: {1}", {id, e.what()}));
    if (e.kind() == sync::SyncErrorKind::kTooLarge)
      throw CliError(ExitCode::kValidation,
                     TrFormat("Assignment {0} cannot be submitted yet: {1}",
                              {id, AnswerTooLargeText(sync::OversizeAnswer(draft).value_or(0),
                                                      sync::kMaxUploadBytes)}));
    throw;
  }
  *ctx.out << TrFormat("Assignment {0} is finished and waits in the outbox; mano sync sends it.",
                       {id})
           << "\n";
  return ExitCode::kOk;
}

ExitCode CmdUnsubmit(const CliContext& ctx, const std::string& id) {
  storage::Store store = ctx.OpenStore();
  storage::Assignment a = FindAssignmentOrThrow(store, id);
  storage::TakeBack taken = sync::TakeBackResult(store, a.id);
  switch (taken.status) {
    case storage::TakeBackStatus::kTakenBack:
      if (auto again = store.GetAssignment(a.id)) MarkOnTask(store, *again);
      *ctx.out << TrFormat(
                      "Assignment {0} is a draft again; nothing of it was sent. Change it and "
                      "submit it again with mano submit {0}.",
                      {id})
               << "\n";
      return ExitCode::kOk;
    case storage::TakeBackStatus::kOnTheWire:
      throw CliError(ExitCode::kAlreadySent,
                     TrFormat("Assignment {0} cannot be taken back: its result has already gone "
                              "to the server (or is being sent now).",
                              {id}));
    case storage::TakeBackStatus::kNotQueued:
      break;
  }
  throw CliError(ExitCode::kUsage,
                 TrFormat("Assignment {0} has no result waiting in the outbox.", {id}));
}

ExitCode CmdReturn(const CliContext& ctx, const std::string& id) {
  int64_t local_id;
  {
    storage::Store store = ctx.OpenStore();
    local_id = FindAssignmentOrThrow(store, id).id;
  }
  sync::SyncEngine engine(ctx.data_dir, ctx.EngineOptionsFor(nullptr));
  engine.Return(local_id);
  *ctx.out << TrFormat("Assignment {0} was handed back.", {id}) << "\n";
  return ExitCode::kOk;
}

}  // namespace mano::client
